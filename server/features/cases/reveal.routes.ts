import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { canRead } from './access.ts'
import { currentUser } from '../../core/auth/auth.plugin.ts'
import { findCaseById } from './cases.repository.ts'
import { auditActor, runAudited } from '../../core/audit/audit.service.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { revealCaseFields } from './privacy.service.ts'
import { RevealReasonSchema } from '../../core/privacy/reveal-reason.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { IdParams } from './cases.schemas.ts'
import { STAFF_GRID_SCOPED } from '../../core/auth/access.ts'

const Phone = Type.Union([Type.String(), Type.Null()])

/** Revealing the masked phones of a case, with a reason, audited. */
const caseRevealRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/:id/reveal',
    {
      config: { access: STAFF_GRID_SCOPED },
      schema: {
        tags: ['Cases'],
        summary: 'Reveal the masked reporter or party phones of a hazard or dispute with a reason; audited',
        description:
          'Phones are masked (138****1234) in every case view. Admin and dispatcher may reveal any case; a grid worker cases in their grids ' +
          'or registered by them; station staff cases dispatched to their station; leaders never (403, audited as denied).',
        params: IdParams,
        body: Type.Object(
          {
            fields: Type.Array(Type.Enum(['reporterPhone', 'partyPhones']), { minItems: 1, maxItems: 2 }),
            reason: RevealReasonSchema,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            id: Type.Integer(),
            reporterPhone: Type.Optional(Phone),
            parties: Type.Optional(Type.Array(Type.Object({ seq: Type.Integer(), name: Type.String(), phone: Phone }))),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const user = currentUser(request)
      const { fields, reason } = request.body
      return runAudited(app.db, async (trx) => {
        const row = await findCaseById(trx, request.params.id)
        if (!row || !canRead(user, row)) return new HttpError(404, 'case_not_found', { id: request.params.id, kind: 'case' })
        const revealed = await revealCaseFields(trx, user, auditActor(request), row, fields, reason)
        if (revealed instanceof HttpError) return revealed
        return { id: row.id, ...revealed }
      })
    },
  )
}

export default caseRevealRoutes
