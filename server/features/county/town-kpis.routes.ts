import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { parseWindow, windowDto, WindowQuery } from '../../core/time/time-window.ts'
import { toXlsx } from '../../core/export/table-export.ts'
import { protectionNote, type CountProtection } from '../../core/privacy/small-counts.ts'
import type { Db } from '../../core/db/database.ts'
import { WindowSchema } from '../analytics/index.ts'
import { getKeyPersonSettings, ProtectionNoteSchema } from '../key-persons/index.ts'
import { COUNTY_ACCESS_ROLES, countyAccess } from './access.ts'
import { TOWN_KPI_SORTS, townKpis, townKpiTable } from './town-kpis.service.ts'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

const KpiQuery = Type.Object(
  {
    ...WindowQuery,
    sort: Type.Optional(Type.Enum([...TOWN_KPI_SORTS], { default: 'code', description: 'Column to sort by (nulls last)' })),
    order: Type.Optional(Type.Enum(['asc', 'desc'], { default: 'asc' })),
  },
  { additionalProperties: false },
)

/** One row of the county KPI table. */
const TownKpiSchema = Type.Object({
  townId: Type.Integer(),
  code: Type.String({ description: '12-digit statistical code of the town' }),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  open: Type.Integer({ description: 'Open at `to`' }),
  overdue: Type.Integer({ description: 'Open and past the deadline at `to`' }),
  closed: Type.Integer({ description: 'Finished (resolved / rectified / closed) in [from, to)' }),
  onTimeRate: Nullable(Type.Number({ description: 'Share of `closed` finished by their deadline (null when none closed)' })),
  disputes: Type.Integer({ description: 'Disputes reported in [from, to)' }),
  hazards: Type.Integer({ description: 'Hazards reported in [from, to)' }),
  keyPersons: Nullable(Type.Integer({ description: 'Key persons under management now: rounded to a multiple of k, null below k (for every reader)' })),
  keyPersonsSuppressed: Type.Boolean(),
  escalationsInProgress: Type.Integer({ description: 'Escalations pending or accepted at the county' }),
})

/** k of the small-count rule, applied to every reader of the county table. */
async function townTableProtection(db: Db): Promise<CountProtection> {
  return { k: (await getKeyPersonSettings(db)).minAggregateCount }
}

/** The county KPI table by town (`/api/county/kpis`, `.xlsx`). County leader and county dispatcher. */
const townKpisRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/kpis',
    {
      config: { access: countyAccess(COUNTY_ACCESS_ROLES.compare) },
      schema: {
        tags: ['County'],
        summary: 'County KPI table: one row per town — open, overdue, closed in the period, on-time rate, disputes, hazards, key persons (protected counts), escalations',
        querystring: KpiQuery,
        response: {
          200: Type.Object({ window: WindowSchema, sort: Type.String(), order: Type.String(), towns: Type.Array(TownKpiSchema), protection: ProtectionNoteSchema }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { sort = 'code', order = 'asc' } = request.query
      const window = parseWindow(request.query)
      const protection = await townTableProtection(app.db)
      const towns = await townKpis(app.db, window, protection, sort, order)
      return { window: windowDto(window), sort, order, towns, protection: protectionNote(protection) }
    },
  )

  app.get(
    '/kpis.xlsx',
    {
      config: { access: countyAccess(COUNTY_ACCESS_ROLES.compare) },
      schema: {
        tags: ['County'],
        summary: 'The county KPI table as an .xlsx sheet (headers and town names in the request’s language, rows in the requested order)',
        produces: [XLSX],
        querystring: KpiQuery,
        response: { 200: Type.String({ description: 'xlsx file' }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const query: Static<typeof KpiQuery> = request.query
      const window = parseWindow(query)
      const protection = await townTableProtection(app.db)
      const rows = await townKpis(app.db, window, protection, query.sort ?? 'code', query.order ?? 'asc')
      const table = townKpiTable(rows, request.lang, protection)
      const sheet = request.lang === 'zh' ? '乡镇考核指标' : 'Town KPIs'
      reply.header('content-disposition', `attachment; filename="town-kpis.xlsx"; filename*=UTF-8''${encodeURIComponent(`${sheet}.xlsx`)}`)
      reply.header('cache-control', 'no-store')
      return reply.type(XLSX).send((await toXlsx(sheet, table.columns, table.rows)) as never)
    },
  )
}

export default townKpisRoutes
