import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import type { AreaLevel } from '../db/tables/area.table.ts'
import type { Colour } from '../db/tables/key-person.table.ts'
import { stAsGeoJson } from '../db/postgis.expression.ts'
import { openAtSql, overdueAtSql, reportedInSql } from '../analytics/case-state.sql.ts'
import type { TimeWindow } from '../analytics/time-window.util.ts'
import type { RiskCase } from '../analytics/risk.formula.ts'

/** Area levels a risk map is drawn at. */
export type RiskLevel = Extract<AreaLevel, 'village' | 'base_grid' | 'fine_grid'>

/** The column of `cases`/`key_persons` that records the area of each level at registration. */
const AREA_COLUMN = { village: 'village_id', base_grid: 'base_grid_id', fine_grid: 'fine_grid_id' } as const

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
export async function findRiskAreas(db: Db, level: RiskLevel, options: { areaId?: number; withGeometry?: boolean } = {}): Promise<RiskAreaRow[]> {
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
      (options.withGeometry ? stAsGeoJson(sql.ref('a.geom'), 6) : sql<string | null>`NULL::text`).as('geometry'),
    ])
    .orderBy('a.code')
  if (options.areaId !== undefined) q = q.where('a.area_id', '=', options.areaId)
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

/**
 * Key persons in management (not away, released or archived) registered
 * before `at`, per recorded area of `level` and colour. The register keeps no
 * history of colour or status, so these are today's values.
 */
export async function countKeyPersonsInManagement(db: Db, level: RiskLevel, at: Date, areaId?: number): Promise<KeyPersonCountRow[]> {
  const column = sql.ref(`p.${AREA_COLUMN[level]}`)
  const rows = await sql<{ area_id: number; colour: Colour; n: number }>`
    SELECT ${column} AS area_id, p.colour, count(*) AS n
    FROM key_persons p JOIN current_areas a ON a.area_id = ${column} AND a.level = ${level}
    WHERE p.status = 'in_management' AND p.archived_at IS NULL AND p.created_at < ${at}::timestamptz
      ${areaId === undefined ? sql`` : sql`AND ${column} = ${areaId}`}
    GROUP BY 1, 2`.execute(db)
  return rows.rows.map((row) => ({ areaId: Number(row.area_id), colour: row.colour, n: Number(row.n) }))
}
