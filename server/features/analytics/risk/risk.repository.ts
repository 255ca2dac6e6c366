import { sql } from 'kysely'
import type { Db } from '../../../core/db/database.ts'
import type { AreaLevel } from '../../../core/db/tables/area.ts'
import type { Colour } from '../../../core/db/tables/key-person.ts'
import { asGeoJson } from '../../../core/postgis/geojson.ts'
import { openAtSql, overdueAtSql, reportedInSql } from '../case-state.ts'
import type { TimeWindow } from '../../../core/time/time-window.ts'
import type { RiskCase, RiskSettings } from './formula.ts'

/** Area levels a risk map is drawn at (towns: the county's towns side by side). */
export type RiskLevel = Extract<AreaLevel, 'town' | 'village' | 'base_grid' | 'fine_grid'>

/** The column of `cases`/`key_persons` that records the area of each level at registration. */
const AREA_COLUMN = { town: 'town_id', village: 'village_id', base_grid: 'base_grid_id', fine_grid: 'fine_grid_id' } as const

/** A current area as the risk map shows it. */
export interface RiskAreaRow {
  id: number
  level: RiskLevel
  code: string
  name: string
  nameEn: string | null
  parentId: number | null
  geometry: string | null
}

/** A case behind a score, with the area it counts for. */
export type RiskCaseRow = RiskCase & { areaId: number }

/** Key persons in management per area and colour. */
export interface KeyPersonCountRow {
  areaId: number
  colour: Colour
  n: number
}

/** Current areas of a level (or one area), ordered by code, optionally with their outlines as GeoJSON text. */
export async function findRiskAreas(db: Db, level: RiskLevel, options: { areaId?: number; withGeometry?: boolean; townId?: number } = {}): Promise<RiskAreaRow[]> {
  let q = db
    .selectFrom('current_areas as a')
    .where('a.level', '=', level)
    .select([
      'a.area_id as id',
      'a.level',
      'a.code',
      'a.name',
      'a.name_en as nameEn',
      'a.parent_id as parentId',
      (options.withGeometry ? asGeoJson(sql.ref('a.geom')) : sql<string | null>`NULL::text`).as('geometry'),
    ])
    .orderBy('a.code')
  if (options.areaId !== undefined) q = q.where('a.area_id', '=', options.areaId)
  if (options.townId !== undefined) {
    const townId = options.townId
    // current_areas predates the town column (0018): the version's town is read from area_versions.
    q = q.where(sql<boolean>`EXISTS (SELECT 1 FROM area_versions w WHERE w.area_id = a.area_id AND w.version = a.version AND w.town_id = ${townId})`)
  }
  return (await q.execute()) as RiskAreaRow[]
}

/** The level of a current area, or undefined. */
export async function findAreaLevel(db: Db, areaId: number): Promise<AreaLevel | undefined> {
  const row = await db.selectFrom('current_areas').select('level').where('area_id', '=', areaId).executeTakeFirst()
  return row?.level
}

/**
 * Hazards open and disputes active at `window.to`, reported inside the window,
 * each with the area of `level` recorded at its registration (cases whose
 * recorded area is no longer current are left out).
 */
export async function findRiskCases(db: Db, level: RiskLevel, window: TimeWindow, areaId?: number): Promise<RiskCaseRow[]> {
  const column = sql.ref(`c.${AREA_COLUMN[level]}`)
  const rows = await sql<{
    id: number
    kind: 'hazard' | 'dispute'
    category: string
    status: string
    severity: RiskCase['severity']
    tier: RiskCase['tier']
    reported_at: Date
    overdue: boolean
    area_id: number
  }>`
    SELECT c.id, c.kind, c.category, c.status, c.severity, c.tier, c.reported_at, ${overdueAtSql(window.to)} AS overdue, ${column} AS area_id
    FROM cases c JOIN current_areas a ON a.area_id = ${column} AND a.level = ${level}
    WHERE ${reportedInSql(window.from, window.to)} AND ${openAtSql(window.to)}
      ${areaId === undefined ? sql`` : sql`AND ${column} = ${areaId}`}
    ORDER BY c.id`.execute(db)
  return rows.rows.map((row) => ({
    id: Number(row.id),
    kind: row.kind,
    category: row.category,
    status: row.status,
    severity: row.severity,
    tier: row.tier,
    reportedAt: new Date(row.reported_at),
    overdue: row.overdue,
    areaId: Number(row.area_id),
  }))
}

/** What the cases of one area add to its score, summed in the database. */
export interface RiskSumRow {
  areaId: number
  /** Σ severity weight of the open hazards. */
  hazards: number
  /** Σ tier weight × 0.5^(age days / half-life) of the active disputes. */
  disputes: number
  openHazards: number
  activeDisputes: number
  /** Open cases past their deadline. */
  overdue: number
}

/**
 * The cases of {@link findRiskCases} (every area of `level`) summed per area
 * in the database, the same parts as `riskBreakdown` adds up in the server:
 * a hundred rows instead of every open case (at a million cases, 12,000 rows
 * to send and decode). Summed per recorded area before joining the current
 * areas (joining first, the planner misjudged the open cases as a hundred and
 * nested-looped over them: ~0.9 s). Age in days as the server counts it:
 * whole milliseconds / 86,400,000. With `townId`, only that town's cases
 * (`cases.town_id`, as a town user's row-level security filters them).
 */
export async function sumRiskCases(db: Db, level: RiskLevel, window: TimeWindow, settings: RiskSettings, townId?: number): Promise<RiskSumRow[]> {
  const column = sql.ref(`c.${AREA_COLUMN[level]}`)
  const h = settings.hazardWeights
  const d = settings.disputeWeights
  const hazardWeight = sql`CASE c.severity WHEN 'low' THEN ${h.low}::float8 WHEN 'medium' THEN ${h.medium}::float8 WHEN 'high' THEN ${h.high}::float8 WHEN 'critical' THEN ${h.critical}::float8 END`
  const disputeWeight = sql`CASE c.tier WHEN 'general' THEN ${d.general}::float8 WHEN 'complex' THEN ${d.complex}::float8 WHEN 'major' THEN ${d.major}::float8 END`
  const ageDays = sql`(extract(epoch FROM (${window.to}::timestamptz - c.reported_at)) * 1000)::float8 / 86400000::float8`
  const { rows } = await sql<{ area_id: number; hazards: number | null; disputes: number | null; open_hazards: number; active_disputes: number; overdue: number }>`
    SELECT s.* FROM (
      SELECT ${column} AS area_id,
        sum(${hazardWeight}) FILTER (WHERE c.kind = 'hazard') AS hazards,
        sum(${disputeWeight} * power(0.5::float8, greatest(0::float8, ${ageDays}) / ${settings.halfLifeDays}::float8)) FILTER (WHERE c.kind = 'dispute') AS disputes,
        count(*) FILTER (WHERE c.kind = 'hazard') AS open_hazards,
        count(*) FILTER (WHERE c.kind = 'dispute') AS active_disputes,
        count(*) FILTER (WHERE ${overdueAtSql(window.to)}) AS overdue
      FROM cases c
      WHERE ${reportedInSql(window.from, window.to)} AND ${openAtSql(window.to)}
        ${townId === undefined ? sql`` : sql`AND c.town_id = ${townId}`}
      GROUP BY 1
    ) s JOIN current_areas a ON a.area_id = s.area_id AND a.level = ${level}`.execute(db)
  return rows.map((row) => ({
    areaId: Number(row.area_id),
    hazards: Number(row.hazards ?? 0),
    disputes: Number(row.disputes ?? 0),
    openHazards: Number(row.open_hazards),
    activeDisputes: Number(row.active_disputes),
    overdue: Number(row.overdue),
  }))
}

/**
 * Key persons in management (not away, released or archived) registered
 * before `at`, per recorded area of `level` and colour (of one town with
 * `townId`). The register keeps no history of colour or status, so these are
 * today's values.
 */
export async function countKeyPersonsInManagement(db: Db, level: RiskLevel, at: Date, areaId?: number, townId?: number): Promise<KeyPersonCountRow[]> {
  const column = sql.ref(`p.${AREA_COLUMN[level]}`)
  const rows = await sql<{ area_id: number; colour: Colour; n: number }>`
    SELECT ${column} AS area_id, p.colour, count(*) AS n
    FROM key_persons p JOIN current_areas a ON a.area_id = ${column} AND a.level = ${level}
    WHERE p.status = 'in_management' AND p.archived_at IS NULL AND p.created_at < ${at}::timestamptz
      ${areaId === undefined ? sql`` : sql`AND ${column} = ${areaId}`}
      ${townId === undefined ? sql`` : sql`AND p.town_id = ${townId}`}
    GROUP BY 1, 2`.execute(db)
  return rows.rows.map((row) => ({ areaId: Number(row.area_id), colour: row.colour, n: Number(row.n) }))
}
