import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { HttpError } from '../../../core/http/http-error.ts'
import { currentUser } from '../../../core/auth/auth.plugin.ts'
import { findAreaVersions, findVersionGeometry } from './history.repository.ts'
import { saveAreaEdits } from '../boundaries/edit.service.ts'
import { toBoundaryResultDto } from '../boundaries/result-dto.ts'
import { BoundaryResultSchema } from '../boundaries/boundaries.schemas.ts'
import { errorResponses } from '../../../core/http/common.schemas.ts'
import { roles, STAFF } from '../../../core/auth/access.ts'

const Params = Type.Object({ id: Type.Integer({ minimum: 1 }) })

/** Version history of an area and restoring an earlier geometry as a new version. */
const areaHistoryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/:id/versions',
    {
      config: { access: STAFF },
      schema: {
        tags: ['Areas'],
        summary: 'Every version of an area, oldest first, with author, time, reason and geometry',
        params: Params,
        response: { 200: Type.Object({ id: Type.Integer(), versions: Type.Array(Type.Object({}, { additionalProperties: true })) }), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const rows = await findAreaVersions(app.db, request.params.id)
      if (rows.length === 0) throw new HttpError(404, 'area_not_found', { id: request.params.id })
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
