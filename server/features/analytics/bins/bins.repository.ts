import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../../../core/db/database.ts'
import type { Colour, PersonStatus } from '../../../core/db/tables/key-person.ts'
import { asGeoJson } from '../../../core/postgis/geojson.ts'
import { reportedInSql } from '../case-state.ts'
import { METRIC_SRID, toLonLat, withSrid } from '../../../core/postgis/crs.ts'
import type { TimeWindow } from '../../../core/time/time-window.ts'

/** Layers that can be binned. */
export type BinLayer = 'hazards' | 'disputes' | 'key-persons'
/** Shapes of bins. */
export type BinShape = 'hex' | 'square'

/** Filters of a binning. */
export interface BinFilter {
  window: TimeWindow
  statuses?: string[]
  category?: string
  /** Only the rows of this town (a county user's choice, or a town user's own town). */
  townId?: number
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

/**
 * Points of a layer, filtered: alias-free rows of id, x and y in metres of
 * EPSG:32647 (stored by the database when the row is written, migration
 * 0015: no transform per request), area ids and colour.
 */
function layerPoints(layer: BinLayer, filter: BinFilter): RawBuilder<unknown> {
  if (layer === 'key-persons') {
    const statuses = filter.statuses && filter.statuses.length > 0 ? filter.statuses : ACTIVE_PERSON_STATUSES
    return sql`SELECT p.id, p.utm_x_meters AS x, p.utm_y_meters AS y, p.village_id, p.base_grid_id, p.colour
      FROM key_persons p
      WHERE p.archived_at IS NULL AND p.household_geom IS NOT NULL AND p.status IN (${sql.join(statuses)})
        ${filter.category ? sql`AND p.category = ${filter.category}` : sql``}
        ${filter.townId === undefined ? sql`` : sql`AND p.town_id = ${filter.townId}`}`
  }
  const kind = layer === 'hazards' ? 'hazard' : 'dispute'
  return sql`SELECT c.id, c.utm_x_meters AS x, c.utm_y_meters AS y, c.village_id, c.base_grid_id, NULL::text AS colour
    FROM cases c
    WHERE c.kind = ${kind} AND ${reportedInSql(filter.window.from, filter.window.to)}
      ${filter.statuses && filter.statuses.length > 0 ? sql`AND c.status IN (${sql.join(filter.statuses)})` : sql``}
      ${filter.category ? sql`AND c.category = ${filter.category}` : sql``}
      ${filter.townId === undefined ? sql`` : sql`AND c.town_id = ${filter.townId}`}`
}

/**
 * Each point with the one cell it falls in, the cells being those of
 * `ST_HexagonGrid` / `ST_SquareGrid` (origin 0,0 of EPSG:32647), found by
 * arithmetic instead of generating the cells around every point (at a million
 * cases that was 2–3 s for 90 days of hazards):
 * - square (i, j) spans [i·s, (i+1)·s] × [j·s, (j+1)·s];
 * - hexagon (i, j) (edge s, flat top) is centred at (1.5·s·i, √3·s·(j + ½·(|i| mod 2)));
 *   a point lies in the hexagon of the nearest centre, found among the two
 *   columns around it.
 * A point on a shared edge goes to the lowest (i, j), as before, so that no
 * point is counted twice. The coordinates are the stored projected ones
 * (`utm_x_meters`, `utm_y_meters`): the same numbers ST_Transform gave per
 * request before, so the cells are identical.
 */
function assignedCells(layer: BinLayer, shape: BinShape, cellMeters: number, filter: BinFilter): RawBuilder<unknown> {
  const s = sql`${cellMeters}::float8`
  const points = sql`SELECT q.id, q.colour, q.x, q.y FROM (${layerPoints(layer, filter)}) q`
  if (shape === 'square') {
    return sql`SELECT pt.id, pt.colour, (ceil(pt.x / ${s}) - 1)::int AS i, (ceil(pt.y / ${s}) - 1)::int AS j FROM (${points}) pt`
  }
  // Each value is computed once, in its own level (OFFSET 0 keeps the levels
  // apart): flattened, the planner pasted the column and row expressions into
  // both distances, about four times the arithmetic per point.
  const w = sql`(1.5 * ${s})`
  const h = sql`(sqrt(3::float8) * ${s})`
  const half = (i: RawBuilder<unknown>) => sql`0.5 * (abs(${i}) % 2)::float8`
  // The column is recomputed (a division) rather than given a level of its own (a pass over every point).
  const column = sql`floor(q.x / ${w})::int8`
  const row = (i: RawBuilder<unknown>) => sql`ceil(q.y / ${h} - ${half(i)} - 0.5)::int8`
  const dx = (i: RawBuilder<unknown>) => sql`(r.x - ${w} * ${i})`
  const dy = (i: RawBuilder<unknown>, j: string) => sql`(r.y - ${h} * (${sql.ref(j)} + ${half(i)}))`
  const i0 = sql.ref('r.i0')
  const i1 = sql`(r.i0 + 1)`
  return sql`SELECT d.id, d.colour, (CASE WHEN d.second THEN d.i0 + 1 ELSE d.i0 END)::int AS i, (CASE WHEN d.second THEN d.j1 ELSE d.j0 END)::int AS j
    FROM (
      SELECT e.id, e.colour, e.i0, e.j0, e.j1, e.dx1 * e.dx1 + e.dy1 * e.dy1 < e.dx0 * e.dx0 + e.dy0 * e.dy0 AS second
      FROM (
        SELECT r.id, r.colour, r.i0, r.j0, r.j1, ${dx(i0)} AS dx0, ${dy(i0, 'r.j0')} AS dy0, ${dx(i1)} AS dx1, ${dy(i1, 'r.j1')} AS dy1
        FROM (
          SELECT q.id, q.colour, q.x, q.y, ${column} AS i0, ${row(column)} AS j0, ${row(sql`(${column} + 1)`)} AS j1
          FROM (${points}) q
          OFFSET 0
        ) r
        OFFSET 0
      ) e
    ) d`
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
      ${asGeoJson(toLonLat(withSrid(cellGeom, METRIC_SRID)))} AS geometry
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
      ${asGeoJson(sql.ref('ar.geom'))} AS geometry
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
