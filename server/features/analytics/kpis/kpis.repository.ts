import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../../../core/db/database.ts'
import type { CaseKind } from '../../../core/db/tables/case.ts'
import { TOWNSHIP_TIME_ZONE } from '../../cases/index.ts'
import { finishedAtSql, openAtSql, overdueAtSql, reportedInSql } from '../case-state.ts'
import type { TimeWindow } from '../../../core/time/time-window.ts'

/** How KPIs are grouped. */
export type KpiGroupBy = 'village' | 'station' | 'all'

/** KPIs of one group (village, station, or the whole township). */
export interface KpiRow {
  key: string
  open: number
  new: number
  newThisWeek: number
  overdue: number
  resolved: number
  meanHoursToResolve: number | null
  satisfactionMean: number | null
  visitsOverdue: number | null
}

/** One step of a trend series. */
export interface TrendRow {
  start: Date
  end: Date
  new: number
  resolved: number
  openAtEnd: number
  overdueAtEnd: number
}

/** Trend steps. */
export type TrendStep = 'day' | 'week' | 'month'

/** Which cases count: one kind, one recorded village, one station ('' = not dispatched to a station); all when absent. */
export interface KpiFilter {
  kind?: CaseKind
  villageId?: number
  stationKey?: string
}

function caseFilter(filter: KpiFilter): RawBuilder<boolean> {
  const parts: RawBuilder<boolean>[] = [sql<boolean>`true`]
  if (filter.kind) parts.push(sql<boolean>`c.kind = ${filter.kind}`)
  if (filter.villageId !== undefined) parts.push(sql<boolean>`c.village_id = ${filter.villageId}`)
  if (filter.stationKey !== undefined) parts.push(sql<boolean>`coalesce(c.station_key, '') = ${filter.stationKey}`)
  return sql<boolean>`(${sql.join(parts, sql` AND `)})`
}

/**
 * Case KPIs per village (recorded at registration), per station dispatched to
 * ('' = not dispatched to a station) or for the township ('all'), for the
 * window [from, to):
 * open / overdue = open at `to`; new = reported in the window; newThisWeek =
 * reported in [weekStart, to) (weekStart: Monday 00:00 township time of the
 * week holding `to`, see `kpi-week.ts`); resolved = reported in the window and
 * finished before `to`; mean hours to resolve over those; satisfaction = mean
 * of the evaluated disputes reported in the window.
 */
export async function findCaseKpis(db: Db, groupBy: KpiGroupBy, window: TimeWindow, weekStart: Date, filter: KpiFilter = {}): Promise<KpiRow[]> {
  const key = groupBy === 'village' ? sql`c.village_id::text` : groupBy === 'station' ? sql`coalesce(c.station_key, '')` : sql`'all'`
  const t = window.to
  const inWindow = reportedInSql(window.from, t)
  const finished = sql`(${finishedAtSql()} IS NOT NULL AND ${finishedAtSql()} < ${t}::timestamptz)`
  const { rows } = await sql<{
    key: string
    open: number
    new: number
    new_this_week: number
    overdue: number
    resolved: number
    mean_hours: number | null
    satisfaction: number | null
  }>`
    SELECT ${key} AS key,
      count(*) FILTER (WHERE ${openAtSql(t)}) AS open,
      count(*) FILTER (WHERE ${inWindow}) AS new,
      count(*) FILTER (WHERE c.reported_at >= ${weekStart}::timestamptz) AS new_this_week,
      count(*) FILTER (WHERE ${openAtSql(t)} AND ${overdueAtSql(t)}) AS overdue,
      count(*) FILTER (WHERE ${inWindow} AND ${finished}) AS resolved,
      avg(extract(epoch FROM (${finishedAtSql()} - c.reported_at)) / 3600.0) FILTER (WHERE ${inWindow} AND ${finished}) AS mean_hours,
      avg(c.satisfaction::float8) FILTER (WHERE ${inWindow} AND c.kind = 'dispute' AND c.evaluated_at < ${t}::timestamptz AND c.satisfaction IS NOT NULL) AS satisfaction
    FROM cases c
    WHERE c.reported_at < ${t}::timestamptz AND ${caseFilter(filter)}
    GROUP BY 1 ORDER BY 1`.execute(db)
  return rows.map((row) => ({
    key: String(row.key),
    open: Number(row.open),
    new: Number(row.new),
    newThisWeek: Number(row.new_this_week),
    overdue: Number(row.overdue),
    resolved: Number(row.resolved),
    meanHoursToResolve: row.mean_hours === null ? null : Number(row.mean_hours),
    satisfactionMean: row.satisfaction === null ? null : Number(row.satisfaction),
    visitsOverdue: null,
  }))
}

/**
 * Key persons whose visit was due before `at` (last visit before `at`, or
 * registration, plus the colour's interval), per recorded village or for the
 * township; persons registered before `at`, not released or archived.
 */
export async function findVisitsOverdue(db: Db, groupBy: 'village' | 'all', at: Date, villageId?: number): Promise<Map<string, number>> {
  const key = groupBy === 'village' ? sql`p.village_id::text` : sql`'all'`
  const village = villageId === undefined ? sql`true` : sql`p.village_id = ${villageId}`
  const { rows } = await sql<{ key: string; n: number }>`
    SELECT ${key} AS key, count(*) AS n
    FROM key_persons p JOIN key_person_colours k ON k.colour = p.colour
    WHERE p.status <> 'released' AND p.archived_at IS NULL AND p.created_at < ${at}::timestamptz AND ${village}
      AND coalesce((SELECT max(v.visited_at) FROM key_person_visits v WHERE v.person_id = p.id AND v.visited_at < ${at}::timestamptz), p.created_at)
          + k.visit_interval_days * interval '1 day' < ${at}::timestamptz
    GROUP BY 1`.execute(db)
  return new Map(rows.map((row) => [String(row.key), Number(row.n)]))
}

/**
 * A series over [from, to) in steps of a day, week (from Monday) or month of
 * the township's time zone (the first and last steps are cut to the window):
 * cases reported and finished in each step, and open / overdue at its end.
 */
export async function findTrend(db: Db, step: TrendStep, window: { from: Date; to: Date }, filter: KpiFilter = {}): Promise<TrendRow[]> {
  const only = caseFilter(filter)
  const zone = sql.lit(TOWNSHIP_TIME_ZONE)
  const unit = sql.lit(step)
  const interval = sql.lit(`1 ${step}`)
  const end = sql<Date>`s.step_end`
  const { rows } = await sql<{ step_start: Date; step_end: Date; new: number; resolved: number; open_at_end: number; overdue_at_end: number }>`
    WITH s AS (
      SELECT greatest(g AT TIME ZONE ${zone}, ${window.from}::timestamptz) AS step_start,
             least((g + ${interval}::interval) AT TIME ZONE ${zone}, ${window.to}::timestamptz) AS step_end
      FROM generate_series(date_trunc(${unit}, ${window.from}::timestamptz AT TIME ZONE ${zone}),
                           ${window.to}::timestamptz AT TIME ZONE ${zone} - interval '1 microsecond',
                           ${interval}::interval) AS g
    )
    SELECT s.step_start, s.step_end,
      (SELECT count(*) FROM cases c WHERE ${only} AND c.reported_at >= s.step_start AND c.reported_at < s.step_end) AS new,
      (SELECT count(*) FROM cases c WHERE ${only} AND ${finishedAtSql()} >= s.step_start AND ${finishedAtSql()} < s.step_end) AS resolved,
      (SELECT count(*) FROM cases c WHERE ${only} AND ${openAtSql(end)}) AS open_at_end,
      (SELECT count(*) FROM cases c WHERE ${only} AND ${openAtSql(end)} AND ${overdueAtSql(end)}) AS overdue_at_end
    FROM s ORDER BY s.step_start`.execute(db)
  return rows.map((row) => ({
    start: new Date(row.step_start),
    end: new Date(row.step_end),
    new: Number(row.new),
    resolved: Number(row.resolved),
    openAtEnd: Number(row.open_at_end),
    overdueAtEnd: Number(row.overdue_at_end),
  }))
}

/** Labels of villages (current names) and stations, for KPI groups. */
export async function findKpiLabels(db: Db): Promise<{ villages: Map<string, { zh: string; en: string }>; stations: Map<string, { zh: string; en: string }> }> {
  const villages = await db.selectFrom('current_areas').select(['area_id', 'name', 'name_en']).where('level', '=', 'village').execute()
  const stations = await db.selectFrom('stations').select(['key', 'name_zh', 'name_en']).execute()
  return {
    villages: new Map(villages.map((row) => [String(row.area_id), { zh: row.name, en: row.name_en ?? row.name }])),
    stations: new Map(stations.map((row) => [row.key, { zh: row.name_zh, en: row.name_en }])),
  }
}
