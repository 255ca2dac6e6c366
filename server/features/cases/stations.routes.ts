import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { errorResponses } from '../../core/http/common.schemas.ts'

const StationSchema = Type.Object({
  key: Type.String({ description: 'Stable key, e.g. legal-mediation' }),
  kind: Type.Union([Type.Literal('center'), Type.Literal('station')]),
  nameZh: Type.String(),
  nameEn: Type.String(),
  name: Type.String({ description: 'Name in the request language' }),
})

/** The comprehensive-governance center and its seven stations ("1+7"). */
const stationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['Areas'],
        summary: 'The center and the seven stations, in their fixed order',
        response: { 200: Type.Object({ stations: Type.Array(StationSchema) }), ...errorResponses(401) },
      },
    },
    async (request) => {
      const rows = await app.db.selectFrom('stations').select(['key', 'kind', 'name_zh', 'name_en']).orderBy('sort_order').execute()
      return {
        stations: rows.map((row) => ({
          key: row.key,
          kind: row.kind,
          nameZh: row.name_zh,
          nameEn: row.name_en,
          name: request.lang === 'zh' ? row.name_zh : row.name_en,
        })),
      }
    },
  )
}

export default stationsRoutes
