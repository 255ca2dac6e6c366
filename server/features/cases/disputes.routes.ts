import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Role } from '../../core/db/tables/auth.ts'
import { DISPUTE_ACTION_ROLES } from './access.ts'
import { DISPUTE_ACTIONS, DISPUTE_WORKFLOW, type DisputeAction } from './dispute-workflow.ts'
import { parseIfMatch } from '../../core/http/if-match.ts'
import { applyCaseAction } from './action.service.ts'
import { DISPUTE_PATCHES, type DisputeBodies } from './action-patches.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { CaseSchema, DisputeActionBodies, IdParams, IfMatchHeaders } from './cases.schemas.ts'
import { publishCaseEvent, replyWithCase } from './reply.ts'

const ROLES: Record<DisputeAction, readonly Role[]> = DISPUTE_ACTION_ROLES

type PatchOf<A extends DisputeAction> = (typeof DISPUTE_PATCHES)[A]

const SUMMARIES: Record<DisputeAction, string> = {
  dispatch: 'Dispatch (任务分流) to a station or a village center, with a tier; complex disputes need a mediator (dispatcher, admin)',
  escalate: 'Escalate (事件上报) to a city department with a reason (dispatcher, admin)',
  resolve: 'Record the resolution (纠纷化解): mediation mode, outcome (station of the case, dispatcher, admin)',
  feedback: 'Record the feedback (结果反馈) to the parties and the reporter (station of the case, dispatcher, admin)',
  evaluate: 'Evaluate (考核评价): satisfaction 1–5; timeliness is computed from the deadline (dispatcher, admin)',
}

/** The dispute workflow actions: `POST /api/disputes/{id}/{action}`. */
const disputesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const action of DISPUTE_ACTIONS) {
    const { from, to } = DISPUTE_WORKFLOW.transitions[action]
    app.post(
      `/:id/${action}`,
      {
        config: { access: { roles: ROLES[action] } },
        schema: {
          tags: ['Cases'],
          summary: SUMMARIES[action],
          description: `Allowed from ${from.join(', ')}; leads to ${to}. Send If-Match with the ETag you saw to avoid overwriting someone else's change.`,
          params: IdParams,
          headers: IfMatchHeaders,
          body: DisputeActionBodies[action],
          response: { 200: CaseSchema, ...errorResponses(400, 401, 403, 404, 409, 412) },
        },
      },
      async (request, reply) => {
        const body = request.body as DisputeBodies[typeof action]
        const row = await applyCaseAction(app.db, request.user!, {
          kind: 'dispute',
          id: request.params.id,
          action,
          roles: ROLES[action],
          ifMatch: parseIfMatch(request.headers['if-match']),
          reason: body.reason ?? ('note' in body ? (body.note ?? null) : null),
          patch: (trx, current, now) => (DISPUTE_PATCHES[action] as PatchOf<typeof action>)(trx, current, body as never, now),
        })
        publishCaseEvent(app, row, action)
        return replyWithCase(reply, row, request.user!)
      },
    )
  }
}

export default disputesRoutes
