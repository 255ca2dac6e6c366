import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { HttpError } from '../../core/http/http-error.ts'
import { canRead } from './access.ts'
import { toCaseEventDto } from './event-dto.ts'
import { findCaseEvents } from './events.repository.ts'
import { findCase } from './cases.repository.ts'
import { findLead } from './leads.repository.ts'
import { caseNotFound } from './action.service.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { CaseTimelineSchema } from './cases.schemas.ts'
import { STAFF_GRID_SCOPED } from '../../core/auth/access.ts'

/** The ledger (台账) of a case or a lead. */
const caseTimelineRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/:kind/:id/timeline',
    {
      config: { access: STAFF_GRID_SCOPED },
      schema: {
        tags: ['Cases'],
        summary: 'Every ledger entry (台账) of a hazard, dispute or lead, oldest first: who, role, when, action, changed fields, why',
        params: Type.Object({ kind: Type.Enum(['hazard', 'dispute', 'lead']), id: Type.Integer({ minimum: 1 }) }),
        response: {
          200: CaseTimelineSchema,
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const { kind, id } = request.params
      const user = request.user!
      if (kind === 'lead') {
        const lead = await findLead(app.db, id)
        if (!lead || !canRead(user, lead)) throw new HttpError(404, 'lead_not_found', { id })
        reply.header('etag', `"${lead.version}"`)
        const events = await findCaseEvents(app.db, { leadId: id })
        return { kind, id, status: lead.status, version: lead.version, events: events.map(toCaseEventDto) }
      }
      const row = await findCase(app.db, kind, id)
      if (!row || !canRead(user, row)) throw caseNotFound(kind, id)
      reply.header('etag', `"${row.version}"`)
      const events = await findCaseEvents(app.db, { caseId: id })
      return { kind, id, status: row.status, version: row.version, events: events.map(toCaseEventDto) }
    },
  )
}

export default caseTimelineRoutes
