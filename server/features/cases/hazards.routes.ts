import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { CASE_ROLES } from './access.ts'
import { HAZARD_ACTIONS, HAZARD_WORKFLOW, type HazardAction } from './hazard-workflow.ts'
import { parseIfMatch } from '../../core/http/if-match.ts'
import { applyCaseAction } from './action.service.ts'
import { HAZARD_PATCHES, type HazardBodies } from './action-patches.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { CaseSchema, HazardActionBodies, IdParams, IfMatchHeaders } from './cases.schemas.ts'
import { publishCaseEvent, replyWithCase } from './reply.ts'

const SUMMARIES: Record<HazardAction, string> = {
  verify: 'Verify a reported hazard (核实), optionally correcting its severity',
  reject: 'Find a reported hazard unfounded (不属实), with a reason',
  'start-rectification': 'Start rectification (整改中) with a plan',
  rectify: 'Record the rectification as done (已整改)',
  close: 'Close the hazard (销号)',
}

/** The hazard workflow actions: `POST /api/hazards/{id}/{action}` (grid worker of its grid, dispatcher, admin). */
const hazardsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const action of HAZARD_ACTIONS) {
    const { from, to } = HAZARD_WORKFLOW.transitions[action]
    app.post(
      `/:id/${action}`,
      {
        config: { access: { roles: CASE_ROLES.hazardStep, gridScoped: true } },
        schema: {
          tags: ['Cases'],
          summary: `${SUMMARIES[action]} (grid worker of its grid, dispatcher, admin)`,
          description: `Allowed from ${from.join(', ')}; leads to ${to}. Send If-Match with the ETag you saw to avoid overwriting someone else's change.`,
          params: IdParams,
          headers: IfMatchHeaders,
          body: HazardActionBodies[action],
          response: { 200: CaseSchema, ...errorResponses(400, 401, 403, 404, 409, 412) },
        },
      },
      async (request, reply) => {
        const body = request.body as HazardBodies[typeof action]
        const row = await applyCaseAction(app.db, request.user!, {
          kind: 'hazard',
          id: request.params.id,
          action,
          roles: CASE_ROLES.hazardStep,
          ifMatch: parseIfMatch(request.headers['if-match']),
          reason: body.reason ?? ('note' in body ? (body.note ?? null) : null),
          patch: (trx, current, now) => (HAZARD_PATCHES[action] as (typeof HAZARD_PATCHES)[typeof action])(trx, current, body as never, now),
        })
        publishCaseEvent(app, row, action)
        return replyWithCase(reply, row, request.user!)
      },
    )
  }
}

export default hazardsRoutes
