import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../db/database.ts'
import type { Colour, PersonStatus } from '../db/tables/key-person.table.ts'
import { stAsGeoJson } from '../db/postgis.expression.ts'
import { reportedInSql } from '../analytics/case-state.sql.ts'
import { stToLonLat, stToMetric } from '../analytics/metric-crs.ts'
import type { TimeWindow } from '../analytics/time-window.util.ts'

/** Layers that can be binned. */
export type BinLayer = 'hazards' | 'disputes' | 'key-persons'
/** Shapes of bins. */
export type BinShape = 'hex' | 'square'

/** Filters of a binning. */
export interface BinFilter {
  window: TimeWindow
  statuses?: string[]
  category?: string
}

/** A non-empty bin (or area) with its counts and outline (GeoJSON text, CRS84). */
export interface BinRow {
  key: string
  i: number | null
  j: number | null
  areaId: number | null
  name: string | null
  count: number
  byColour: Record<Colour, number> | null
  geometry: string
}

/** A case in one bin. */
export interface BinCaseRow {
  id: number
  kind: 'hazard' | 'dispute'
  category: string
  status: string
  grade: string
  reportedAt: Date
  lon: number
  lat: number
  villageId: number
}

const ACTIVE_PERSON_STATUSES: PersonStatus[] = ['in_management', 'away']

/** Points of a layer (alias-free rows: id, geom in 4326, area ids), filtered. */
function layerPoints(layer: BinLayer, filter: BinFilter): RawBuilder<unknown> {
  if (layer === 'key-persons') {
    const statuses = filter.statuses && filter.statuses.length > 0 ? filter.statuses : ACTIVE_PERSON_STATUSES
    return sql`SELECT p.id, p.household_geom AS geom, p.village_id, p.base_grid_id, p.colour
      FROM key_persons p
      WHERE p.archived_at IS NULL AND p.household_geom IS NOT NULL AND p.status IN (${sql.join(statuses)})
        ${filter.category ? sql`AND p.category = ${filter.category}` : sql``}`
  }
  const kind = layer === 'hazards' ? 'hazard' : 'dispute'
  return sql`SELECT c.id, c.geom, c.village_id, c.base_grid_id, NULL::text AS colour
    FROM cases c
    WHERE c.kind = ${kind} AND ${reportedInSql(filter.window.from, filter.window.to)}
      ${filter.statuses && filter.statuses.length > 0 ? sql`AND c.status IN (${sql.join(filter.statuses)})` : sql``}
      ${filter.category ? sql`AND c.category = ${filter.category}` : sql``}`
}

/**
 * Each point with the one cell it falls in: the cells of `ST_HexagonGrid` /
 * `ST_SquareGrid` (origin 0,0 of EPSG:32647) touching the point, the lowest
 * (i, j) when it lies on a shared edge, so that no point is counted twice.
 */
function assignedCells(layer: BinLayer, shape: BinShape, cellMeters: number, filter: BinFilter): RawBuilder<unknown> {
  const grid = shape === 'hex' ? sql`ST_HexagonGrid` : sql`ST_SquareGrid`
  return sql`SELECT DISTINCT ON (pt.id) pt.id, pt.colour, cell.i, cell.j
    FROM (${layerPoints(layer, filter)}) pt
    CROSS JOIN LATERAL ${grid}(${cellMeters}::float8, ${stToMetric(sql.ref('pt.geom'))}) AS cell
    WHERE ST_Intersects(cell.geom, ${stToMetric(sql.ref('pt.geom'))})
    ORDER BY pt.id, cell.i, cell.j`
}

const colourCounts = sql<Record<Colour, number> | null>`json_build_object(
  'red', count(*) FILTER (WHERE a.colour = 'red'), 'orange', count(*) FILTER (WHERE a.colour = 'orange'),
  'yellow', count(*) FILTER (WHERE a.colour = 'yellow'), 'green', count(*) FILTER (WHERE a.colour = 'green'))`

/**
 * Non-empty cells of a hexagonal or square grid with `cellMeters` in metres
 * (hexagon: edge length = circumradius; square: side), counted in the metric
 * CRS; the cells are whole, not clipped to the township, and returned in CRS84.
 */
export async function findBins(db: Db, layer: BinLayer, shape: BinShape, cellMeters: number, filter: BinFilter): Promise<BinRow[]> {
  const cellGeom = shape === 'hex' ? sql`ST_Hexagon(${cellMeters}::float8, a.i, a.j)` : sql`ST_Square(${cellMeters}::float8, a.i, a.j)`
  const { rows } = await sql<{ i: number; j: number; n: number; by_colour: Record<Colour, number> | null; geometry: string }>`
    SELECT a.i, a.j, count(*) AS n,
      ${layer === 'key-persons' ? colourCounts : sql`NULL::json`} AS by_colour,
      ${stAsGeoJson(stToLonLat(sql`ST_SetSRID(${cellGeom}, 32647)`), 7)} AS geometry
    FROM (${assignedCells(layer, shape, cellMeters, filter)}) a
    GROUP BY a.i, a.j
    ORDER BY a.j, a.i`.execute(db)
  return rows.map((row) => ({
    key: `${row.i},${row.j}`,
    i: Number(row.i),
    j: Number(row.j),
    areaId: null,
    name: null,
    count: Number(row.n),
    byColour: row.by_colour,
    geometry: row.geometry,
  }))
}

/** Counts per current village or base grid (by the area recorded at registration), non-empty areas only, with their outlines. */
export async function findAreaBins(db: Db, layer: BinLayer, groupBy: 'village' | 'base_grid', filter: BinFilter): Promise<BinRow[]> {
  const column = sql.ref(groupBy === 'village' ? 'a.village_id' : 'a.base_grid_id')
  const { rows } = await sql<{ area_id: number; code: string; name: string; n: number; by_colour: Record<Colour, number> | null; geometry: string }>`
    SELECT ar.area_id, ar.code, ar.name, count(*) AS n,
      ${layer === 'key-persons' ? colourCounts : sql`NULL::json`} AS by_colour,
      ${stAsGeoJson(sql.ref('ar.geom'), 6)} AS geometry
    FROM (${layerPoints(layer, filter)}) a
    JOIN current_areas ar ON ar.area_id = ${column} AND ar.level = ${groupBy}
    GROUP BY ar.area_id, ar.code, ar.name, ar.geom
    ORDER BY ar.code`.execute(db)
  return rows.map((row) => ({
    key: String(row.area_id),
    i: null,
    j: null,
    areaId: Number(row.area_id),
    name: row.name,
    count: Number(row.n),
    byColour: row.by_colour,
    geometry: row.geometry,
  }))
}

/** The hazards or disputes assigned to cell (i, j) of a grid, newest reported first. */
export async function findBinCases(
  db: Db,
  layer: Exclude<BinLayer, 'key-persons'>,
  shape: BinShape,
  cellMeters: number,
  cell: { i: number; j: number },
  filter: BinFilter,
): Promise<BinCaseRow[]> {
  const { rows } = await sql<BinCaseRow & { reported_at: Date; village_id: number }>`
    SELECT c.id, c.kind, c.category, c.status, coalesce(c.severity, c.tier) AS grade, c.reported_at,
      ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat, c.village_id
    FROM (${assignedCells(layer, shape, cellMeters, filter)}) a JOIN cases c ON c.id = a.id
    WHERE a.i = ${cell.i} AND a.j = ${cell.j}
    ORDER BY c.reported_at DESC, c.id DESC`.execute(db)
  return rows.map((row) => ({
    id: Number(row.id),
    kind: row.kind,
    category: row.category,
    status: row.status,
    grade: row.grade,
    reportedAt: new Date(row.reported_at),
    lon: Number(row.lon),
    lat: Number(row.lat),
    villageId: Number(row.village_id),
  }))
}
