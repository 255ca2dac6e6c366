import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { HttpError } from '../../core/http/http-error.ts'
import { toAreaDetailDto } from './area-dto.ts'
import { findAreaDetail } from './areas.repository.ts'
import { findAreaStaff } from './staff.repository.ts'
import { AreaDetailSchema } from './areas.schemas.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { STAFF } from '../../core/auth/access.ts'

/** Area details for the map's side panel. */
const areasRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/:id',
    {
      config: { access: STAFF },
      schema: {
        tags: ['Areas'],
        summary: 'An area (town, village or grid) with its parent, grid leader, workers and figures',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        response: { 200: AreaDetailSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const row = await findAreaDetail(app.db, request.params.id)
      if (!row) throw new HttpError(404, 'area_not_found', { id: request.params.id })
      return toAreaDetailDto(row, await findAreaStaff(app.db, row.id))
    },
  )
}

export default areasRoutes
