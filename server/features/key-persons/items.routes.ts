import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { HttpError } from '../../core/http/http-error.ts'
import type { Lang } from '../../core/i18n/messages.ts'
import { toKeyPersonDto, toKeyPersonFeatureText } from './person-dto.ts'
import { baseUrl, GEOJSON } from '../../core/ogc/links.ts'
import { currentUser } from '../../core/auth/auth.plugin.ts'
import type { KeyPersonRow } from './key-persons.repository.ts'
import { auditActor } from '../../core/audit/audit.service.ts'
import { applyKeyPersonChange, registerKeyPerson, type KeyPersonPatch } from './key-persons.service.ts'
import { parseIfMatch } from '../../core/http/if-match.ts'
import { IDENTITY_ACCESS } from './access.ts'
import {
  KeyPersonFeatureSchema,
  KeyPersonReplaceFeatureSchema,
  type KeyPersonFeatureBody,
  type KeyPersonFields,
  type KeyPersonReplaceFeatureBody,
} from './key-persons.schemas.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'

const COLLECTION = 'key-persons'
const GEOJSON_BODY = ['application/geo+json', 'application/json']
const FeatureResponse = Type.Object({ type: Type.Literal('Feature') }, { additionalProperties: true, description: 'GeoJSON Feature' })

/** [lon, lat] of a Point Feature, refusing coordinates that are not degrees. */
function householdOf(body: KeyPersonFeatureBody | KeyPersonReplaceFeatureBody): { lon: number; lat: number } {
  const [lon, lat] = body.geometry.coordinates
  if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
    throw new HttpError(400, 'bad_feature', { detail: 'coordinates must be [lon, lat] in degrees' })
  }
  return { lon, lat }
}

/** The registration fields among a Feature's properties (read-only ones such as `visitState` are ignored). */
function fieldsOf(properties: KeyPersonFeatureBody['properties'] | KeyPersonReplaceFeatureBody['properties']): KeyPersonFields {
  const { name, gender, birthYear, idNumber, phone, address, category, colour, status, responsibleUserId, responsibleStaffId, note } = properties
  return { name, gender, birthYear, idNumber, phone, address, category, colour, status, responsibleUserId, responsibleStaffId, note }
}

/**
 * A replacement (PUT) as a patch: every editable field is set, absent ones
 * cleared, except masked values sent back exactly as they were shown, which
 * keep the stored value (another masked value is a 400).
 */
function replacementOf(body: KeyPersonReplaceFeatureBody, lang: Lang): (current: KeyPersonRow) => KeyPersonPatch {
  return (current) => {
    const shown = toKeyPersonDto(current, lang)
    const fields = fieldsOf(body.properties)
    const keepMasked = (key: 'idNumber' | 'phone' | 'address') => {
      const value = fields[key]
      if (value === undefined || value === null) return null
      if (value === shown[key]) return undefined
      if (key !== 'address' && value.includes('*')) {
        throw new HttpError(400, 'bad_feature', { detail: `${key} is masked but is not the value as read` })
      }
      return value
    }
    const household = householdOf(body)
    // The household and birth year are shown only as a fine-grid point and an age band: sent back as shown
    // (or left out), they keep the stored values instead of moving the household or clearing the year.
    const sameAsShown = shown.household !== null && household.lon === shown.household.lon && household.lat === shown.household.lat
    return {
      ...fields,
      gender: fields.gender ?? null,
      birthYear: fields.birthYear === undefined ? undefined : fields.birthYear,
      idNumber: keepMasked('idNumber'),
      phone: keepMasked('phone'),
      address: keepMasked('address'),
      status: fields.status ?? 'in_management',
      responsibleUserId: fields.responsibleUserId ?? null,
      responsibleStaffId: fields.responsibleStaffId ?? null,
      note: fields.note ?? '',
      household: sameAsShown ? undefined : household,
    }
  }
}

/**
 * Key persons through OGC API – Features – Part 4: create with POST …/items,
 * replace with PUT …/items/{id} under If-Match. Reads go through the generic
 * items routes (see `key-persons-collection.provider.ts`).
 */
const keyPersonsItemsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  if (!app.hasContentTypeParser('application/geo+json')) {
    app.addContentTypeParser('application/geo+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'))
  }

  app.post(
    `/${COLLECTION}/items`,
    {
      config: { access: IDENTITY_ACCESS },
      schema: {
        tags: ['OGC API – Features', 'Key persons'],
        summary: 'Register a key person — OGC API – Features – Part 4 create',
        description:
          'POST a GeoJSON Feature whose Point is the registered household [lon, lat] and whose properties are the registration ' +
          '(name, category, colour, …). Answers 201 with Location and ETag. Grid workers register inside their own grids only; ' +
          'leaders and station staff may not register. 400 when the point is in no village of the township.',
        consumes: GEOJSON_BODY,
        body: KeyPersonFeatureSchema,
        response: { 201: FeatureResponse, ...errorResponses(400, 401, 403, 415) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const input = { ...fieldsOf(request.body.properties), household: householdOf(request.body) }
      const row = await app.db.transaction().execute((trx) => registerKeyPerson(trx, user, auditActor(request), input, new Date()))
      reply.header('location', `${baseUrl(request)}/api/collections/${COLLECTION}/items/${row.id}`).header('etag', `"${row.version}"`)
      return reply.code(201).type(GEOJSON).send(toKeyPersonFeatureText(row, request.lang) as never)
    },
  )

  app.put(
    `/${COLLECTION}/items/:featureId`,
    {
      config: { access: IDENTITY_ACCESS },
      schema: {
        tags: ['OGC API – Features', 'Key persons'],
        summary: 'Replace a key person — OGC API – Features – Part 4 replace; send If-Match (stale: 412 with the current state)',
        description:
          'Masked values sent back unchanged (e.g. the idNumber as read) keep the stored value; other absent optional fields are cleared.',
        consumes: GEOJSON_BODY,
        params: Type.Object({ featureId: Type.Integer({ minimum: 1 }) }),
        headers: Type.Object({ 'if-match': Type.Optional(Type.String()) }),
        body: KeyPersonReplaceFeatureSchema,
        response: { 200: FeatureResponse, ...errorResponses(400, 401, 403, 404, 409, 412, 415) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const ifMatch = parseIfMatch(request.headers['if-match'])
      const row = await applyKeyPersonChange(
        app.db,
        user,
        auditActor(request),
        request.params.featureId,
        replacementOf(request.body, request.lang),
        { ifMatch },
        request.lang,
      )
      reply.header('etag', `"${row.version}"`)
      return reply.type(GEOJSON).send(toKeyPersonFeatureText(row, request.lang) as never)
    },
  )
}

export default keyPersonsItemsRoutes
