import { sql } from 'kysely'
import type { Db } from '../../../core/db/database.ts'
import type { CaseKind } from '../../../core/db/tables/case.ts'
import { toMetric } from '../../../core/postgis/crs.ts'
import { openAtSql, overdueAtSql } from '../case-state.ts'

/** Douglas–Peucker tolerance of the printed outlines: 5 m is 0.06 mm on a 17 cm wide map of a 15 km township. */
const OUTLINE_TOLERANCE_METERS = 5

/** One outline of the report map, as SVG path data in UTM 47N metres (y negated, as ST_AsSVG writes it). */
export interface OutlineRow {
  id: number
  level: 'village' | 'base_grid'
  name: string
  nameEn: string | null
  path: string
  /** A point inside the area (ST_PointOnSurface), in the same coordinates as `path`. */
  labelX: number
  labelY: number
}

/** The extent of the outlines in the coordinates of their paths (x right, y down). */
export interface OutlineExtent {
  minX: number
  minY: number
  width: number
  height: number
}

/**
 * The current villages (one, or all) and their base grids as SVG paths in
 * metres (EPSG:32647), simplified for print, with the extent of the villages.
 *
 * Emits per area: `ST_AsSVG(ST_SimplifyPreserveTopology(ST_Transform(geom, 32647), 5), 0, 0)`.
 */
export async function findReportOutlines(db: Db, villageId: number | null): Promise<{ outlines: OutlineRow[]; extent: OutlineExtent | null }> {
  const metric = toMetric(sql.ref('a.geom'))
  const inScope = villageId === null
    ? sql`a.level IN ('village', 'base_grid')`
    : sql`((a.level = 'village' AND a.area_id = ${villageId}) OR (a.level = 'base_grid' AND a.parent_id = ${villageId}))`
  const { rows } = await sql<{ id: number; level: 'village' | 'base_grid'; name: string; name_en: string | null; path: string; label_x: number; label_y: number }>`
    SELECT a.area_id AS id, a.level, a.name, a.name_en,
      ST_AsSVG(ST_SimplifyPreserveTopology(${metric}, ${OUTLINE_TOLERANCE_METERS}), 0, 0) AS path,
      ST_X(ST_PointOnSurface(${metric})) AS label_x, -ST_Y(ST_PointOnSurface(${metric})) AS label_y
    FROM current_areas a
    WHERE ${inScope}
    ORDER BY a.level DESC, a.code`.execute(db)
  const { rows: [box] } = await sql<{ min_x: number | null; min_y: number | null; max_x: number | null; max_y: number | null }>`
    SELECT ST_XMin(e) AS min_x, ST_YMin(e) AS min_y, ST_XMax(e) AS max_x, ST_YMax(e) AS max_y
    FROM (SELECT ST_Extent(${metric})::geometry AS e FROM current_areas a WHERE a.level = 'village' AND (${villageId}::integer IS NULL OR a.area_id = ${villageId})) AS x`.execute(db)
  const extent = box?.min_x == null || box.min_y == null || box.max_x == null || box.max_y == null
    ? null
    : { minX: Number(box.min_x), minY: -Number(box.max_y), width: Number(box.max_x) - Number(box.min_x), height: Number(box.max_y) - Number(box.min_y) }
  return {
    outlines: rows.map((row) => ({ id: row.id, level: row.level, name: row.name, nameEn: row.name_en, path: row.path, labelX: Number(row.label_x), labelY: Number(row.label_y) })),
    extent,
  }
}

/** An open case past its deadline at the report's end, with labels for the table (no description, reporter or parties). */
export interface OverdueCaseRow {
  id: number
  kind: CaseKind
  category: string
  categoryZh: string | null
  categoryEn: string | null
  grade: string | null
  status: string
  reportedAt: Date
  deadlineAt: Date
  villageId: number
  villageName: string | null
  villageNameEn: string | null
  gridName: string | null
  gridNameEn: string | null
  stationKey: string | null
  stationZh: string | null
  stationEn: string | null
}

/**
 * Cases open and overdue at `at` (the KPIs' "overdue"), in one recorded
 * village or the township, longest overdue first; at most `limit` rows and
 * the full count.
 */
export async function findOverdueCases(db: Db, at: Date, villageId: number | null, limit: number): Promise<{ rows: OverdueCaseRow[]; total: number }> {
  const village = villageId === null ? sql`true` : sql`c.village_id = ${villageId}`
  const { rows } = await sql<{
    id: number; kind: CaseKind; category: string; category_zh: string | null; category_en: string | null; grade: string | null; status: string
    reported_at: Date; deadline_at: Date; village_id: number; village_name: string | null; village_name_en: string | null
    grid_name: string | null; grid_name_en: string | null; station_key: string | null; station_zh: string | null; station_en: string | null; total: number
  }>`
    SELECT c.id, c.kind, c.category, r.name_zh AS category_zh, r.name_en AS category_en, coalesce(c.severity, c.tier) AS grade, c.status,
      c.reported_at, c.deadline_at, c.village_id, v.name AS village_name, v.name_en AS village_name_en,
      g.name AS grid_name, g.name_en AS grid_name_en, c.station_key, s.name_zh AS station_zh, s.name_en AS station_en,
      count(*) OVER () AS total
    FROM cases c
    LEFT JOIN current_areas v ON v.area_id = c.village_id
    LEFT JOIN current_areas g ON g.area_id = c.base_grid_id
    LEFT JOIN case_routing_rules r ON r.kind = c.kind AND r.category = c.category
    LEFT JOIN stations s ON s.key = c.station_key
    WHERE ${village} AND ${openAtSql(at)} AND ${overdueAtSql(at)}
    ORDER BY c.deadline_at, c.id
    LIMIT ${limit}`.execute(db)
  return {
    total: Number(rows[0]?.total ?? 0),
    rows: rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      category: row.category,
      categoryZh: row.category_zh,
      categoryEn: row.category_en,
      grade: row.grade,
      status: row.status,
      reportedAt: new Date(row.reported_at),
      deadlineAt: new Date(row.deadline_at),
      villageId: row.village_id,
      villageName: row.village_name,
      villageNameEn: row.village_name_en,
      gridName: row.grid_name,
      gridNameEn: row.grid_name_en,
      stationKey: row.station_key,
      stationZh: row.station_zh,
      stationEn: row.station_en,
    })),
  }
}

/** The township's current name in both languages (English falls back to the Chinese name), or null without a town area. */
export async function findTownName(db: Db): Promise<{ zh: string; en: string } | null> {
  const town = await db.selectFrom('current_areas').select(['name', 'name_en']).where('level', '=', 'town').orderBy('code').executeTakeFirst()
  return town ? { zh: town.name, en: town.name_en ?? town.name } : null
}
