import { CASE_ROLES } from './access.ts'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { baseUrl } from '../../core/ogc/links.ts'
import { findCase } from './cases.repository.ts'
import { registerCase, type CaseRegistration } from './registration.service.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'
import {
  CaseFeatureSchema,
  DisputeFeatureRegistrationSchema,
  DisputeRegistrationSchema,
  featureBody,
  HazardRegistrationSchema,
  PartyInputSchema,
  type DisputeRegistration,
  type HazardRegistration,
} from './cases.schemas.ts'
import { writableOnly } from '../../core/ogc/read-only.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { publishCaseEvent } from './reply.ts'
import { toCaseFeature } from './case-dto.ts'

const GEOJSON_BODY = ['application/geo+json', 'application/json']

const DESCRIPTION =
  'OGC API – Features – Part 4 (create): POST a GeoJSON Feature with a Point geometry [lon, lat] and the registration as properties. ' +
  'The village and grids are found at the boundary versions in force at `reportedAt` (default now) and recorded with those versions. ' +
  'Answers 201 with Location and ETag. Roles: dispatcher and admin anywhere; grid workers inside their own grids (403 elsewhere). ' +
  '400 when the point is in no village of the township.'

/** Registration (排查登记) of hazards and disputes by POST to their OGC collections. */
const caseItemsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser('application/geo+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'))

  async function create(request: FastifyRequest, reply: FastifyReply, collectionId: string, registration: CaseRegistration) {
    const id = await app.db.transaction().execute((trx) => registerCase(trx, request.user!, registration))
    const row = (await findCase(app.db, registration.kind, id))!
    publishCaseEvent(app, row, 'register')
    reply.header('location', `${baseUrl(request)}/api/collections/${collectionId}/items/${id}`)
    reply.header('etag', `"${row.version}"`)
    return reply.code(201).type('application/geo+json').send(toCaseFeature(row, request.user!))
  }

  const point = (coordinates: number[]) => ({ lon: coordinates[0], lat: coordinates[1] })

  /** A phone as read by a role that sees it masked cannot be registered: it is not a number. */
  const unmasked = (phone: string | null | undefined, field: string) => {
    if (phone?.includes('*')) throw new HttpError(400, 'bad_feature', { detail: `${field} is masked (as read); leave it out or send the full number` })
    return phone
  }
  const hazardProperties = (properties: HazardRegistration): HazardRegistration => {
    const writable = writableOnly(HazardRegistrationSchema, properties)
    return { ...writable, reporterPhone: unmasked(writable.reporterPhone, 'reporterPhone') }
  }
  const disputeProperties = (properties: DisputeRegistration): DisputeRegistration => {
    const writable = writableOnly(DisputeRegistrationSchema, properties)
    return {
      ...writable,
      reporterPhone: unmasked(writable.reporterPhone, 'reporterPhone'),
      parties: writable.parties.map((party) => {
        const kept = writableOnly(PartyInputSchema, party)
        return { ...kept, phone: unmasked(kept.phone, 'parties[].phone') }
      }),
    }
  }

  app.post(
    '/hazards/items',
    {
      config: { access: { roles: CASE_ROLES.register, gridScoped: true } },
      schema: {
        tags: ['OGC API – Features', 'Cases'],
        summary: 'Register a hazard (排查登记) — OGC API – Features – Part 4 create',
        description: DESCRIPTION,
        consumes: GEOJSON_BODY,
        body: featureBody(HazardRegistrationSchema, 'hazard'),
        response: { 201: CaseFeatureSchema, ...errorResponses(400, 401, 403, 415) },
      },
    },
    async (request, reply) =>
      create(request, reply, 'hazards', { kind: 'hazard', ...point(request.body.geometry.coordinates), properties: hazardProperties(request.body.properties) }),
  )

  app.post(
    '/disputes/items',
    {
      config: { access: { roles: CASE_ROLES.register, gridScoped: true } },
      schema: {
        tags: ['OGC API – Features', 'Cases'],
        summary: 'Register a dispute (排查登记) with its parties — OGC API – Features – Part 4 create',
        description: DESCRIPTION,
        consumes: GEOJSON_BODY,
        body: featureBody(DisputeFeatureRegistrationSchema, 'dispute'),
        response: { 201: CaseFeatureSchema, ...errorResponses(400, 401, 403, 415) },
      },
    },
    async (request, reply) =>
      create(request, reply, 'disputes', { kind: 'dispute', ...point(request.body.geometry.coordinates), properties: disputeProperties(request.body.properties) }),
  )
}

export default caseItemsRoutes
