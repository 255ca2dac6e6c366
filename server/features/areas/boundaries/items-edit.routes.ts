import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { AreaLevel } from '../../../core/db/tables/area.ts'
import { HttpError } from '../../../core/http/http-error.ts'
import { parseIfMatch } from '../../../core/http/if-match.ts'
import { BOUNDARY_BODY_LIMIT_BYTES } from './limits.ts'
import { currentUser } from '../../../core/auth/auth.plugin.ts'
import { findAreaFeature } from '../areas.repository.ts'
import { saveAreaEdits, type EditableAreaProperties } from './edit.service.ts'
import { GEOJSON } from '../../../core/ogc/links.ts'
import { EditablePropertiesSchema, GeometryInput } from './boundaries.schemas.ts'
import { errorResponses } from '../../../core/http/common.schemas.ts'
import { roles } from '../../../core/auth/access.ts'

/** Area collections whose features can be replaced (PUT) and updated (PATCH). */
export const EDITABLE_AREA_COLLECTIONS: Array<{ id: string; level: AreaLevel }> = [
  { id: 'villages', level: 'village' },
  { id: 'base-grids', level: 'base_grid' },
  { id: 'fine-grids', level: 'fine_grid' },
]

const Params = Type.Object({ featureId: Type.Integer({ minimum: 1 }) })
const Headers = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'ETag of the current version, e.g. "3" (required: 428 without, 412 when stale)' })),
  'x-change-reason': Type.Optional(Type.String({ description: 'Change reason, percent-encoded UTF-8 (or properties.reason)' })),
})

const PutBody = Type.Object(
  {
    type: Type.Literal('Feature'),
    id: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
    geometry: GeometryInput,
    properties: Type.Intersect([
      EditablePropertiesSchema,
      Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), kind: EditablePropertiesSchema.properties.kind }),
    ]),
  },
  { additionalProperties: true },
)

const PatchBody = Type.Object(
  {
    type: Type.Optional(Type.Literal('Feature')),
    id: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
    geometry: Type.Optional(GeometryInput),
    properties: Type.Optional(EditablePropertiesSchema),
  },
  { additionalProperties: true },
)

const JSON_TYPES = ['application/geo+json', 'application/merge-patch+json']

/** The change reason: the `X-Change-Reason` header (percent-decoded) or `properties.reason`; 400 without one. */
function changeReason(request: FastifyRequest, properties: { reason?: string } | undefined): string {
  const header = request.headers['x-change-reason']
  const fromHeader = typeof header === 'string' && header.trim() !== '' ? safeDecode(header.trim()) : undefined
  const reason = fromHeader ?? properties?.reason?.trim()
  if (!reason) throw new HttpError(400, 'boundary_reason_required')
  return reason.slice(0, 2000)
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function editable(properties: Record<string, unknown> | undefined): Partial<EditableAreaProperties> {
  if (!properties) return {}
  const { name, nameEn, kind, households, population } = properties as Partial<EditableAreaProperties>
  return { name, nameEn, kind, households, population }
}

/**
 * OGC API – Features – Part 4 replace (PUT) and update (PATCH) of villages,
 * base grids and fine grids. Each save is one transaction that closes the
 * current version and writes version+1 with the author and reason, after the
 * same validation as `POST /api/boundaries/validate` (400 input, 422 topology).
 * Admin only; If-Match required (428 without, 412 with the current Feature
 * when stale). Answers 200 with the new Feature and its ETag.
 */
const areaItemsEditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const type of JSON_TYPES) {
    if (!app.hasContentTypeParser(type)) app.addContentTypeParser(type, { parseAs: 'string', bodyLimit: BOUNDARY_BODY_LIMIT_BYTES }, app.getDefaultJsonParser('error', 'error'))
  }
  for (const collection of EDITABLE_AREA_COLLECTIONS) {
    for (const method of ['PUT', 'PATCH'] as const) {
      app.route({
        method,
        url: `/${collection.id}/items/:featureId`,
        bodyLimit: BOUNDARY_BODY_LIMIT_BYTES,
        config: { access: roles('admin') },
        schema: {
          tags: ['OGC API – Features'],
          summary:
            method === 'PUT'
              ? `Replace a feature of ${collection.id} (geometry and properties) as a new version (admin)`
              : `Update a feature of ${collection.id} (geometry and/or properties) as a new version (admin)`,
          params: Params,
          headers: Headers,
          body: method === 'PUT' ? PutBody : PatchBody,
          response: { 200: Type.Object({ type: Type.Literal('Feature') }, { additionalProperties: true }), ...errorResponses(400, 401, 403, 404, 412, 422, 428) },
        },
        handler: async (request, reply) => {
          const id = request.params.featureId
          const body = request.body as { id?: unknown; geometry?: unknown; properties?: Record<string, unknown> }
          if (body.id !== undefined && String(body.id) !== String(id)) throw new HttpError(400, 'boundary_feature_id_mismatch', { id, bodyId: body.id })
          const ifMatch = parseIfMatch(request.headers['if-match'])
          if (ifMatch === undefined) throw new HttpError(428, 'boundary_if_match_required')
          const reason = changeReason(request, body.properties as { reason?: string })
          const user = currentUser(request)
          const result = await app.db.transaction().execute((trx) =>
            saveAreaEdits(
              trx,
              [{ areaId: id, ifMatch, geometry: body.geometry, properties: editable(body.properties) }],
              { by: user.username, reason, lang: request.lang, level: collection.level },
            ),
          )
          const found = await findAreaFeature(app.db, collection.level, id)
          const version = result.areas.find((area) => area.id === id)!.version
          reply.header('etag', `"${version}"`)
          const feature = JSON.parse(found!.featureText)
          return reply.type(GEOJSON).send({ ...feature, changeId: result.changeId, warnings: result.warnings, normalised: result.normalised[id] ?? [] })
        },
      })
    }
  }
}

export default areaItemsEditRoutes
