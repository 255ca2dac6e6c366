import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import { ANALYTICS_ACCESS } from '../access.ts'
import { parseWindow, windowDto, WindowQuery } from '../../../core/time/time-window.ts'
import { toXlsx } from '../../../core/export/table-export.ts'
import { HttpError } from '../../../core/http/http-error.ts'
import { findTrend, type KpiFilter } from './kpis.repository.ts'
import { computeKpis, kpiTable } from './kpis.service.ts'
import { currentUser } from '../../../core/auth/auth.plugin.ts'
import { protectionNote } from '../../../core/privacy/small-counts.ts'
import { countProtectionFor } from '../../key-persons/index.ts'
import { ProtectionNoteSchema } from '../../key-persons/index.ts'
import { errorResponses } from '../../../core/http/common.schemas.ts'
import { WindowSchema } from '../analytics.schemas.ts'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const DAY_MS = 86_400_000
/** Most steps a trend series may have. */
export const MAX_TREND_STEPS = 800
/** Default length of a trend window. */
const DEFAULT_TREND_DAYS = 30

const LayerSchema = Type.Optional(Type.Enum(['hazards', 'disputes'], { description: 'Only hazards or only disputes (default both)' }))
const KIND = { hazards: 'hazard', disputes: 'dispute' } as const
const FilterQuery = {
  layer: LayerSchema,
  villageId: Type.Optional(Type.Integer({ minimum: 1, description: 'Only cases recorded in this village (area id) at registration' })),
  stationKey: Type.Optional(
    Type.String({ maxLength: 40, pattern: '^[a-z-]*$', description: 'Only cases dispatched to this station (key); empty = not dispatched to a station' }),
  ),
}

/** The case filter of a KPI or trend query. */
function filterOf(query: { layer?: 'hazards' | 'disputes'; villageId?: number; stationKey?: string }): KpiFilter {
  return { kind: query.layer ? KIND[query.layer] : undefined, villageId: query.villageId, stationKey: query.stationKey }
}

const KpiQuery = Type.Object(
  { ...WindowQuery, groupBy: Type.Optional(Type.Enum(['village', 'station'], { default: 'village' })), ...FilterQuery },
  { additionalProperties: false },
)

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])
/** One KPI row (a village, a station or the total). */
export const KpiSchema = Type.Object({
  key: Type.String({ description: 'Village area id, station key ("" = not dispatched), or "all"' }),
  label: Type.String(),
  open: Type.Integer({ description: 'Open at `to`' }),
  new: Type.Integer({ description: 'Reported in [from, to)' }),
  newThisWeek: Type.Integer({ description: 'Reported in [weekStart, to): since Monday 00:00 township time (UTC+8) of the week holding `to`' }),
  overdue: Type.Integer({ description: 'Open and past the deadline at `to`' }),
  resolved: Type.Integer({ description: 'Reported in the window and finished (resolved / rectified / closed) before `to`' }),
  resolvedRate: Nullable(Type.Number({ description: 'resolved ÷ new (null when nothing is new)' })),
  meanHoursToResolve: Nullable(Type.Number()),
  satisfactionMean: Nullable(Type.Number({ description: 'Mean 1–5 satisfaction of the evaluated disputes reported in the window' })),
  visitsOverdue: Nullable(
    Type.Integer({
      description:
        'Key persons whose visit was due before `to` (per village and township; null per station). For roles that may not see every person: rounded to a multiple of k, null below k',
    }),
  ),
  visitsOverdueSuppressed: Type.Boolean({ description: 'True when visitsOverdue is null because it is below k (shown as "<k" in the sheet)' }),
})

/** KPIs per village or station (JSON and .xlsx) and trend series. Leaders, center, stations, admins. */
const kpisRoutes: FastifyPluginAsyncTypebox = async (app) => {

  app.get(
    '/kpis',
    {
      config: { access: ANALYTICS_ACCESS, reads: 'replica' },
      schema: {
        tags: ['Analytics'],
        summary: 'KPIs per village or station: open, new, new this week, overdue, resolved rate, mean time to resolve, satisfaction, visits overdue',
        querystring: KpiQuery,
        response: {
          200: Type.Object({
            groupBy: Type.String(),
            window: WindowSchema,
            weekStart: Type.String({ description: 'Start of "new this week" (Monday 00:00 UTC+8), INCLUSIVE' }),
            groups: Type.Array(KpiSchema),
            total: KpiSchema,
            protection: ProtectionNoteSchema,
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { groupBy = 'village' } = request.query
      const window = parseWindow(request.query)
      const protection = await countProtectionFor(request.readDb, currentUser(request))
      const { groups, total, weekStart } = await computeKpis(request.readDb, groupBy, window, request.lang, filterOf(request.query), protection)
      return { groupBy, window: windowDto(window), weekStart: weekStart.toISOString(), groups, total, protection: protectionNote(protection) }
    },
  )

  app.get(
    '/kpis.xlsx',
    {
      config: { access: ANALYTICS_ACCESS, reads: 'replica' },
      schema: {
        tags: ['Analytics'],
        summary: 'The KPIs as an .xlsx sheet (headers in the request’s language)',
        produces: [XLSX],
        querystring: KpiQuery,
        response: { 200: Type.String({ description: 'xlsx file' }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const query: Static<typeof KpiQuery> = request.query
      const groupBy = query.groupBy ?? 'village'
      const window = parseWindow(query)
      const protection = await countProtectionFor(request.readDb, currentUser(request))
      const { groups, total } = await computeKpis(request.readDb, groupBy, window, request.lang, filterOf(query), protection)
      const table = kpiTable(groups, total, request.lang, protection)
      const sheet = request.lang === 'zh' ? '考核指标' : 'KPIs'
      reply.header('content-disposition', `attachment; filename="kpis-${groupBy}.xlsx"; filename*=UTF-8''${encodeURIComponent(`${sheet}-${groupBy}.xlsx`)}`)
      reply.header('cache-control', 'no-store')
      return reply.type(XLSX).send((await toXlsx(sheet, table.columns, table.rows)) as never)
    },
  )

  app.get(
    '/trend',
    {
      config: { access: ANALYTICS_ACCESS, reads: 'replica' },
      schema: {
        tags: ['Analytics'],
        summary: 'A series per day, week or month (township time, UTC+8): new, resolved, open and overdue at each step’s end',
        querystring: Type.Object(
          {
            from: Type.Optional(Type.String({ format: 'date-time', description: 'Start, INCLUSIVE (default: 30 days before `to`)' })),
            to: WindowQuery.to,
            step: Type.Optional(Type.Enum(['day', 'week', 'month'], { default: 'day' })),
            ...FilterQuery,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            step: Type.String(),
            window: WindowSchema,
            series: Type.Array(
              Type.Object({
                start: Type.String({ description: 'Step start, INCLUSIVE (the first step starts at `from`)' }),
                end: Type.String({ description: 'Step end, EXCLUSIVE (the last step ends at `to`)' }),
                new: Type.Integer(),
                resolved: Type.Integer(),
                openAtEnd: Type.Integer(),
                overdueAtEnd: Type.Integer(),
              }),
            ),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { step = 'day' } = request.query
      const to = request.query.to ? new Date(request.query.to) : new Date()
      const from = request.query.from ?? new Date(to.getTime() - DEFAULT_TREND_DAYS * DAY_MS).toISOString()
      const window = parseWindow({ from, to: to.toISOString() }) as { from: Date; to: Date }
      const days = (window.to.getTime() - window.from.getTime()) / DAY_MS
      const count = Math.ceil(step === 'day' ? days : step === 'week' ? days / 7 : days / 28)
      if (count > MAX_TREND_STEPS) throw new HttpError(400, 'too_many_buckets', { count, max: MAX_TREND_STEPS })
      const rows = await findTrend(request.readDb, step, window, filterOf(request.query))
      return {
        step,
        window: windowDto(window),
        series: rows.map((row) => ({ ...row, start: row.start.toISOString(), end: row.end.toISOString() })),
      }
    },
  )
}

export default kpisRoutes
