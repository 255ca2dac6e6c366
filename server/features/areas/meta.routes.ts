import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { getMeta } from '../../core/db/app-meta.repository.ts'
import type { Db } from '../../core/db/database.ts'
import { findAreaExtent } from './areas.repository.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { AppMetaSchema } from './areas.schemas.ts'

interface SampleMeta {
  name: string
  nameEn?: string
  code: string
  /** Set by the sample county (SAMPLE_COUNTY=on): `name` is then the county's. */
  county?: boolean
}

/** `app_meta` key `county`: the name of the county a deployment serves (县), shown to county users. */
interface CountyMeta {
  name: string
  nameEn?: string | null
  code?: string
}

/**
 * The county of the deployment: the `county` entry of `app_meta` if the
 * deployment wrote one, else the sample county's name; null when neither
 * names it (a single-town deployment, or a county that has not said its name).
 */
async function findCounty(db: Db, sample: SampleMeta | undefined): Promise<{ name: string; nameEn: string | null; code: string | null } | null> {
  const county = (await getMeta<CountyMeta>(db, 'county')) ?? (sample?.county ? sample : undefined)
  if (!county?.name) return null
  return { name: county.name, nameEn: county.nameEn ?? null, code: county.code ?? null }
}

/** Facts the client needs at start: which township (a town user's own) and county, whether it is sample data, where it lies. */
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
        county: await findCounty(app.db, sample),
        bbox: (await findAreaExtent(app.db, 'town')) ?? null,
        engine: app.engine.kind,
      }
    },
  )
}

export default metaRoutes
