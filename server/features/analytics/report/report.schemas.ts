import { Type, type Static, type TSchema } from 'typebox'
import { ProtectionNoteSchema } from '../../key-persons/index.ts'
import { AreaRefSchema, RiskColourSchema, RiskCountsSchema } from '../analytics.schemas.ts'
import { KpiSchema } from '../kpis/kpis.routes.ts'

const Nullable = <T extends TSchema>(schema: T, options: { description?: string } = {}) => Type.Union([schema, Type.Null()], options)

const MonthSchema = Type.Object({
  month: Type.String({ description: 'YYYY-MM' }),
  from: Type.String({ description: '1st of the month 00:00 township time (UTC+8), INCLUSIVE' }),
  to: Type.String({ description: '1st of the next month 00:00 township time, or the time of the request while the month is under way; EXCLUSIVE' }),
  complete: Type.Boolean({ description: 'False while the month is under way (figures as of `to`)' }),
})

const VillageNameSchema = Type.Object({ id: Type.Integer(), name: Type.String(), nameEn: Nullable(Type.String()) })

const OutlineSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  path: Type.String({ description: 'SVG path data in UTM 47N metres (EPSG:32647), y negated (ST_AsSVG), simplified to 5 m' }),
  labelX: Type.Number(),
  labelY: Type.Number(),
})

/** `GET /api/analytics/report`: the monthly report (月度研判报告) of a month and a village or the township. */
export const MonthlyReportSchema = Type.Object({
  month: MonthSchema,
  previousMonth: MonthSchema,
  area: Nullable(AreaRefSchema),
  township: Nullable(Type.Object({ name: Type.String(), nameEn: Type.String() })),
  generatedAt: Type.String(),
  generatedBy: Type.Object({ username: Type.String(), displayName: Nullable(Type.String()) }),
  sampleData: Type.Boolean({ description: 'True when the data set is the synthetic sample (the report must say so)' }),
  protection: ProtectionNoteSchema,
  kpis: Type.Object({
    groupBy: Type.Enum(['village', 'station'], { description: 'village for the township, station for one village' }),
    weekStart: Type.String(),
    groups: Type.Array(KpiSchema),
    total: KpiSchema,
  }),
  trend: Type.Array(
    Type.Object({
      month: Type.String({ description: 'YYYY-MM' }),
      start: Type.String(),
      end: Type.String(),
      new: Type.Integer(),
      resolved: Type.Integer(),
      openAtEnd: Type.Integer(),
      overdueAtEnd: Type.Integer(),
    }),
    { description: 'The report month and the five before it, oldest first' },
  ),
  thresholds: Type.Object({ yellow: Type.Number(), orange: Type.Number(), red: Type.Number() }),
  grids: Type.Array(Type.Object({ id: Type.Integer(), score: Type.Number(), colour: RiskColourSchema, counts: RiskCountsSchema }), {
    description: 'Base-grid risk at the end of the month (same as GET /api/analytics/risk/scores?level=grid)',
  }),
  rising: Type.Array(
    Type.Object({ area: AreaRefSchema, village: Nullable(VillageNameSchema), score: Type.Number(), colour: RiskColourSchema, compareScore: Type.Number(), compareColour: RiskColourSchema, delta: Type.Number(), counts: RiskCountsSchema }),
    { description: 'Base grids whose score rose most over the previous month (only rises; at most 10)' },
  ),
  clusters: Type.Array(
    Type.Object({
      id: Type.String(),
      size: Type.Integer(),
      firstReportedAt: Type.String(),
      lastReportedAt: Type.String(),
      villages: Type.Array(VillageNameSchema),
      partyVillages: Type.Array(VillageNameSchema),
      crossVillageBy: Type.Array(Type.Enum(['location', 'parties'])),
    }),
    { description: 'Cross-village dispute clusters of the month (300 m, 3 disputes, as on the risk map); for a village, those touching it' },
  ),
  overdue: Type.Object({
    total: Type.Integer({ description: 'Cases open and overdue at the end of the month (equals kpis.total.overdue)' }),
    cases: Type.Array(
      Type.Object({
        id: Type.Integer(),
        kind: Type.Enum(['hazard', 'dispute']),
        category: Type.String({ description: 'Category label in the request’s language' }),
        grade: Nullable(Type.String({ description: 'Severity (hazard) or tier (dispute)' })),
        status: Type.String(),
        reportedAt: Type.String(),
        deadlineAt: Type.String(),
        daysOverdue: Type.Integer({ description: 'Whole days past the deadline at the end of the month' }),
        village: Nullable(Type.String()),
        grid: Nullable(Type.String()),
        station: Nullable(Type.String()),
      }),
      { description: 'Longest overdue first, at most 50' },
    ),
  }),
  map: Type.Object({
    extent: Nullable(Type.Object({ minX: Type.Number(), minY: Type.Number(), width: Type.Number(), height: Type.Number() }), { description: 'SVG viewBox of the villages shown' }),
    villages: Type.Array(OutlineSchema),
    grids: Type.Array(OutlineSchema),
  }),
})
export type MonthlyReport = Static<typeof MonthlyReportSchema>
