import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { HttpError } from '../../core/http/http-error.ts'
import { CASE_ROLES, canRead } from './access.ts'
import { parseIfMatch } from '../../core/http/if-match.ts'
import { toCaseDto } from './case-dto.ts'
import { toLeadDto } from './lead-dto.ts'
import { findCase } from './cases.repository.ts'
import { findLead, listLeads, type LeadRow } from './leads.repository.ts'
import { registerCase } from './registration.service.ts'
import { applyLeadAction, leadNotFound, registerLead } from './leads.service.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'
import {
  CaseSchema,
  CategorySchema,
  IdParams,
  IfMatchHeaders,
  LeadSchema,
  LeadStatusSchema,
  PartyInputSchema,
  SeveritySchema,
  TierSchema,
} from './cases.schemas.ts'
import { publishCaseEvent } from './reply.ts'
import { STAFF_GRID_SCOPED } from '../../core/auth/access.ts'

const ERRORS = errorResponses(400, 401, 403, 404, 409, 412)

const ConvertBody = Type.Object(
  {
    kind: Type.Enum(['hazard', 'dispute']),
    category: CategorySchema,
    severity: Type.Optional(SeveritySchema),
    tier: Type.Optional(TierSchema),
    parties: Type.Optional(Type.Array(PartyInputSchema, { minItems: 1, maxItems: 50 })),
    description: Type.Optional(Type.String({ minLength: 1, maxLength: 4000, description: "Default: the lead's description" })),
    reporterName: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: "Default: the lead's department" })),
    lon: Type.Optional(Type.Number({ description: "Default: the lead's point" })),
    lat: Type.Optional(Type.Number()),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  },
  { additionalProperties: false },
)

/** The lead list (线索清单): departments' clues, verified, then converted into a hazard or dispute, or dismissed. */
const leadsRoutes: FastifyPluginAsyncTypebox = async (app) => {

  function replyWithLead(reply: FastifyReply, row: LeadRow) {
    reply.header('etag', `"${row.version}"`)
    return toLeadDto(row)
  }

  function publishLead(row: LeadRow, action: string) {
    app.live.publish({
      kind: 'lead',
      id: row.id,
      status: row.status,
      action,
      at: row.updated_at.toISOString(),
      scope: { villageId: row.village_id, baseGridId: row.base_grid_id, fineGridId: row.fine_grid_id },
    })
  }

  app.post(
    '',
    {
      config: { access: { roles: CASE_ROLES.leadWrite } },
      schema: {
        tags: ['Leads'],
        summary: 'Register a lead handed over by a department (dispatcher, admin)',
        body: Type.Object(
          {
            department: Type.String({ minLength: 1, maxLength: 100 }),
            category: Type.Optional(CategorySchema),
            description: Type.String({ minLength: 1, maxLength: 4000 }),
            lon: Type.Optional(Type.Number()),
            lat: Type.Optional(Type.Number()),
            receivedAt: Type.Optional(Type.String({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: LeadSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const body = request.body
      if ((body.lon === undefined) !== (body.lat === undefined)) throw new HttpError(400, 'bad_request', { detail: 'lon and lat go together' })
      const id = await app.db.transaction().execute((trx) => registerLead(trx, request.user!, body))
      const row = (await findLead(app.db, id))!
      publishLead(row, 'register')
      reply.header('location', `/api/leads/${id}`)
      return reply.code(201).send(replyWithLead(reply, row))
    },
  )

  app.get(
    '',
    {
      config: { access: STAFF_GRID_SCOPED },
      schema: {
        tags: ['Leads'],
        summary: 'The lead list, newest first (grid workers: leads located in their grids)',
        querystring: Type.Object(
          {
            status: Type.Optional(LeadStatusSchema),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            offset: Type.Optional(Type.Integer({ minimum: 0 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ leads: Type.Array(LeadSchema) }), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const { status, limit, offset } = request.query
      const rows = await listLeads(app.db, request.user!, { statuses: status ? [status] : undefined, limit: limit ?? 200, offset: offset ?? 0 })
      return { leads: rows.map(toLeadDto) }
    },
  )

  app.get(
    '/:id',
    {
      config: { access: STAFF_GRID_SCOPED },
      schema: { tags: ['Leads'], summary: 'One lead; the ETag carries its version', params: IdParams, response: { 200: LeadSchema, ...errorResponses(400, 401, 404) } },
    },
    async (request, reply) => {
      const row = await findLead(app.db, request.params.id)
      if (!row || !canRead(request.user!, row)) throw leadNotFound(request.params.id)
      return replyWithLead(reply, row)
    },
  )

  app.post(
    '/:id/verify',
    {
      config: { access: { roles: CASE_ROLES.leadWrite } },
      schema: {
        tags: ['Leads'],
        summary: 'Verify a pending lead (dispatcher, admin)',
        params: IdParams,
        headers: IfMatchHeaders,
        body: Type.Object({ note: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) }, { additionalProperties: false }),
        response: { 200: LeadSchema, ...ERRORS },
      },
    },
    async (request, reply) => {
      const row = await applyLeadAction(app.db, request.user!, {
        id: request.params.id,
        action: 'verify',
        ifMatch: parseIfMatch(request.headers['if-match']),
        reason: request.body.note ?? null,
        patch: async (_trx, _row, now) => ({ patch: { verified_at: now, verification_note: request.body.note ?? null } }),
      })
      publishLead(row, 'verify')
      return replyWithLead(reply, row)
    },
  )

  app.post(
    '/:id/dismiss',
    {
      config: { access: { roles: CASE_ROLES.leadWrite } },
      schema: {
        tags: ['Leads'],
        summary: 'Dismiss a lead with a reason (dispatcher, admin)',
        params: IdParams,
        headers: IfMatchHeaders,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: LeadSchema, ...ERRORS },
      },
    },
    async (request, reply) => {
      const row = await applyLeadAction(app.db, request.user!, {
        id: request.params.id,
        action: 'dismiss',
        ifMatch: parseIfMatch(request.headers['if-match']),
        reason: request.body.reason,
        patch: async () => ({ patch: { dismissed_reason: request.body.reason } }),
      })
      publishLead(row, 'dismiss')
      return replyWithLead(reply, row)
    },
  )

  app.post(
    '/:id/convert',
    {
      config: { access: { roles: CASE_ROLES.leadWrite } },
      schema: {
        tags: ['Leads'],
        summary: 'Turn a verified lead into a hazard or a dispute (source "lead"), in one transaction (dispatcher, admin)',
        params: IdParams,
        headers: IfMatchHeaders,
        body: ConvertBody,
        response: { 200: Type.Object({ lead: LeadSchema, case: CaseSchema }), ...ERRORS },
      },
    },
    async (request, reply) => {
      const body = request.body
      const user = request.user!
      let caseId = 0
      const lead = await applyLeadAction(app.db, user, {
        id: request.params.id,
        action: 'convert',
        ifMatch: parseIfMatch(request.headers['if-match']),
        reason: body.reason ?? null,
        patch: async (trx, row) => {
          const lon = body.lon ?? row.lon
          const lat = body.lat ?? row.lat
          if (lon === null || lat === null) throw new HttpError(400, 'lead_location_required')
          const common = {
            category: body.category,
            description: body.description ?? row.description,
            source: 'lead' as const,
            reporterName: body.reporterName ?? row.department.slice(0, 50),
          }
          if (body.kind === 'hazard') {
            if (!body.severity) throw new HttpError(400, 'bad_request', { detail: 'severity is required to convert into a hazard' })
            caseId = await registerCase(trx, user, { kind: 'hazard', lon, lat, leadId: row.id, properties: { ...common, severity: body.severity } })
          } else {
            if (!body.tier || !body.parties) throw new HttpError(400, 'bad_request', { detail: 'tier and parties are required to convert into a dispute' })
            caseId = await registerCase(trx, user, { kind: 'dispute', lon, lat, leadId: row.id, properties: { ...common, tier: body.tier, parties: body.parties } })
          }
          return { patch: {}, extraChanges: { convertedCase: { before: null, after: { kind: body.kind, id: caseId } } } }
        },
      })
      const created = (await findCase(app.db, body.kind, caseId))!
      publishLead(lead, 'convert')
      publishCaseEvent(app, created, 'register')
      reply.header('etag', `"${lead.version}"`)
      return { lead: toLeadDto(lead), case: toCaseDto(created, user) }
    },
  )
}

export default leadsRoutes
