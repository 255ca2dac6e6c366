import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { parseIfMatch } from '../../core/http/if-match.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { currentUser } from '../../core/auth/auth.plugin.ts'
import { findCaseEvents, publishCaseEvent, toCaseEventDto } from '../cases/index.ts'
import { COUNTY_ACCESS_ROLES, countyAccess } from './access.ts'
import { EscalationDetailSchema, EscalationSchema, EscalationStatusSchema, Text } from './county.schemas.ts'
import { toEscalationDto } from './escalation-dto.ts'
import { ESCALATION_ACTIONS, ESCALATION_TRANSITIONS, LEDGER_ACTION, type EscalationAction } from './escalation-workflow.ts'
import { findEscalation, findEscalations } from './escalations.repository.ts'
import { applyEscalationStep, escalateCase, maySeeEscalation } from './escalations.service.ts'
import { isCountyUser, userTownId } from './town-scope.ts'

const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'ETag you saw ("3"); a stale one is refused with 412' })),
})
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })

const STEP_BODIES: Record<EscalationAction, ReturnType<typeof Type.Object>> = {
  accept: Type.Object({ note: Type.Optional(Text('Optional note recorded in the ledger')) }, { additionalProperties: false }),
  return: Type.Object({ instructions: Text('What the town must do (交办意见)') }, { additionalProperties: false }),
  close: Type.Object({ note: Text('How the county concluded it (办结意见)') }, { additionalProperties: false }),
}

const STEP_SUMMARIES: Record<EscalationAction, string> = {
  accept: 'Accept (受理) an escalated case (county dispatcher)',
  return: 'Assign an escalated case back to its town with instructions (交办) (county dispatcher)',
  close: 'Close (办结) an escalated case at the county with a note (county dispatcher)',
}

/** Escalation to the county (事件上报): `/api/county/escalations`. */
const escalationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/',
    {
      config: { access: countyAccess(COUNTY_ACCESS_ROLES.escalate) },
      schema: {
        tags: ['County'],
        summary: "Escalate a case of the user's town to the county (事件上报) with a reason (town dispatcher)",
        description:
          'The case keeps its town, ledger, parties and photos; it enters the county queue as pending. If-Match: the case ETag. ' +
          '409 when the case is finished or already in the county queue; 404 for a case of another town.',
        headers: IfMatchHeaders,
        body: Type.Object(
          {
            caseId: Type.Integer({ minimum: 1 }),
            // Checked in the service, not by a pattern: a blank reason gets its own message (请填写上报理由), not "reason 的格式不正确".
            reason: Type.String({ maxLength: 2000, description: 'Why the county must handle it (required, not blank)' }),
          },
          { additionalProperties: false },
        ),
        response: { 201: EscalationSchema, ...errorResponses(400, 401, 403, 404, 409, 412) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const { escalation, caseRow } = await escalateCase(app.db, user, {
        caseId: request.body.caseId,
        reason: request.body.reason,
        ifMatch: parseIfMatch(request.headers['if-match']),
      })
      publishCaseEvent(app, caseRow, LEDGER_ACTION.escalate)
      reply.code(201).header('etag', `"${escalation.version}"`)
      return toEscalationDto(escalation)
    },
  )

  app.get(
    '/',
    {
      config: { access: countyAccess(COUNTY_ACCESS_ROLES.readEscalations) },
      schema: {
        tags: ['County'],
        summary: 'The county queue of escalated cases (县级事件上报队列): in progress first, newest first; county users all towns (filter townId), town users their own',
        querystring: Type.Object(
          {
            townId: Type.Optional(Type.Integer({ minimum: 1, description: 'Only this town (county users; a town user may give only their own)' })),
            status: Type.Optional(Type.Array(EscalationStatusSchema, { description: 'Only these statuses (repeat the parameter)' })),
            caseId: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ escalations: Type.Array(EscalationSchema) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const user = currentUser(request)
      const { townId, status, caseId } = request.query
      const ownTown = userTownId(user)
      if (!isCountyUser(user) && townId !== undefined && townId !== ownTown) throw new HttpError(403, 'county_town_filter_town_user')
      const scopeTown = isCountyUser(user) ? townId : (ownTown ?? -1)
      const rows = await findEscalations(app.db, { townId: scopeTown, statuses: status, caseId })
      return { escalations: rows.map(toEscalationDto) }
    },
  )

  app.get(
    '/:id',
    {
      config: { access: countyAccess(COUNTY_ACCESS_ROLES.readEscalations) },
      schema: {
        tags: ['County'],
        summary: "One escalation with its case's whole ledger (台账), oldest entry first",
        params: IdParams,
        response: { 200: EscalationDetailSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const row = await findEscalation(app.db, request.params.id)
      if (!row || !maySeeEscalation(user, row)) throw new HttpError(404, 'escalation_not_found', { id: request.params.id })
      const ledger = await findCaseEvents(app.db, { caseId: row.case_id })
      reply.header('etag', `"${row.version}"`)
      return { ...toEscalationDto(row), ledger: ledger.map(toCaseEventDto) }
    },
  )

  for (const action of ESCALATION_ACTIONS) {
    app.post(
      `/:id/${action}`,
      {
        config: { access: countyAccess(COUNTY_ACCESS_ROLES.act) },
        schema: {
          tags: ['County'],
          summary: STEP_SUMMARIES[action],
          description: `Allowed from ${ESCALATION_TRANSITIONS[action].from.join(', ')}; leads to ${ESCALATION_TRANSITIONS[action].to}. If-Match: the escalation ETag.`,
          params: IdParams,
          headers: IfMatchHeaders,
          body: STEP_BODIES[action],
          response: { 200: EscalationSchema, ...errorResponses(400, 401, 403, 404, 409, 412) },
        },
      },
      async (request, reply) => {
        const user = currentUser(request)
        const body = request.body as { note?: string; instructions?: string }
        const { escalation, caseRow } = await applyEscalationStep(app.db, user, {
          id: request.params.id,
          action,
          text: body.instructions ?? body.note,
          ifMatch: parseIfMatch(request.headers['if-match']),
        })
        publishCaseEvent(app, caseRow, LEDGER_ACTION[action])
        reply.header('etag', `"${escalation.version}"`)
        return toEscalationDto(escalation)
      },
    )
  }
}

export default escalationsRoutes
