import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { HttpError } from '../../../core/http/http-error.ts'
import { currentUser } from '../../../core/auth/auth.plugin.ts'
import { findAreaVersions, findVersionGeometry } from './history.repository.ts'
import { parseDatetime } from '../../../core/ogc/datetime.ts'
import { ALL_TIME, type AreaTime } from '../areas.repository.ts'
import { saveAreaEdits } from '../boundaries/edit.service.ts'
import { toBoundaryResultDto } from '../boundaries/result-dto.ts'
import { BoundaryResultSchema } from '../boundaries/boundaries.schemas.ts'
import { errorResponses } from '../../../core/http/common.schemas.ts'
import { roles, STAFF } from '../../../core/auth/access.ts'

const Params = Type.Object({ id: Type.Integer({ minimum: 1 }) })

/** The versions a `datetime` parameter selects (400 `bad_datetime` when malformed); every version without it. */
function timeOf(datetime: string | undefined): AreaTime {
  if (datetime === undefined) return ALL_TIME
  const parsed = parseDatetime(datetime)
  if (!parsed.valid) throw new HttpError(400, 'bad_datetime', { reason: parsed.reason })
  return { from: parsed.from, to: parsed.to }
}

/** Version history of an area and restoring an earlier geometry as a new version. */
const areaHistoryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/:id/versions',
    {
      config: { access: STAFF },
      schema: {
        tags: ['Areas'],
        summary: 'Every version of an area (or those in force within datetime), oldest first, with author, time, reason and geometry',
        params: Params,
        querystring: Type.Object(
          {
            datetime: Type.Optional(
              Type.String({ description: 'RFC 3339 instant or interval a/b, ../b, a/.. (ends inclusive): only the versions in force then, as the OGC items select them' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ id: Type.Integer(), versions: Type.Array(Type.Object({}, { additionalProperties: true })) }), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const time = timeOf(request.query.datetime)
      const rows = await findAreaVersions(app.db, request.params.id, time)
      // An area with no version in the interval answers an empty list; only an unknown area is a 404.
      if (rows.length === 0 && (time === ALL_TIME || (await findAreaVersions(app.db, request.params.id)).length === 0)) {
        throw new HttpError(404, 'area_not_found', { id: request.params.id })
      }
      return {
        id: request.params.id,
        versions: rows.map((row) => ({
          ...row,
          validFrom: new Date(row.validFrom).toISOString(),
          validTo: row.validTo === null ? null : new Date(row.validTo).toISOString(),
          geometry: JSON.parse(row.geometry),
        })),
      }
    },
  )

  app.post(
    '/:id/restore',
    {
      config: { access: roles('admin') },
      schema: {
        tags: ['Areas'],
        summary: 'Restore the geometry of an earlier version as a new version, validated like any edit (admin)',
        params: Params,
        body: Type.Object(
          {
            version: Type.Integer({ minimum: 1, description: 'The version whose geometry comes back' }),
            reason: Type.String({ minLength: 1, maxLength: 2000 }),
            ifMatch: Type.Integer({ minimum: 1, description: 'The current version you saw' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: BoundaryResultSchema, ...errorResponses(400, 401, 403, 404, 412, 422) },
      },
    },
    async (request) => {
      const user = currentUser(request)
      const { version, reason, ifMatch } = request.body
      const geometry = await findVersionGeometry(app.db, request.params.id, version)
      if (!geometry) throw new HttpError(404, 'area_version_not_found', { id: request.params.id, version })
      const result = await app.db.transaction().execute((trx) =>
        saveAreaEdits(trx, [{ areaId: request.params.id, ifMatch, geometry: JSON.parse(geometry) }], { by: user.username, reason, lang: request.lang }, 'restore'),
      )
      return toBoundaryResultDto(result)
    },
  )
}

export default areaHistoryRoutes
