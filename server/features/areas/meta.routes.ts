import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { getMeta } from '../../core/db/app-meta.repository.ts'
import { findAreaExtent } from './areas.repository.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { AppMetaSchema } from './areas.schemas.ts'

interface SampleMeta {
  name: string
  nameEn?: string
  code: string
}

/** Facts the client needs at start: which township, whether it is sample data, where it lies. */
const metaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['Areas'],
        summary: 'The township shown, whether it is sample data, and its extent',
        response: {
          200: AppMetaSchema,
          ...errorResponses(401),
        },
      },
    },
    async () => {
      const sample = await getMeta<SampleMeta>(app.db, 'sample')
      const town = await app.db
        .selectFrom('current_areas')
        .select(['name', 'name_en', 'code'])
        .where('level', '=', 'town')
        .orderBy('code')
        .executeTakeFirst()
      return {
        sampleData: sample !== undefined,
        township: town ? { name: town.name, nameEn: town.name_en, code: town.code } : null,
        bbox: (await findAreaExtent(app.db, 'town')) ?? null,
        engine: app.engine.kind,
      }
    },
  )
}

export default metaRoutes
