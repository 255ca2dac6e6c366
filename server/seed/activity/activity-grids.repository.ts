import { sql, type Expression } from 'kysely'
import type { Db } from '../../core/db/database.ts'
import type { AreaKind } from '../../core/db/tables/area.ts'
import type { TerrainFeatures } from './terrain-features.ts'
import { GEOJSON_DIGITS, geomFromGeoJson, asGeoJson } from '../../core/postgis/geojson.ts'

/** A position [lon, lat]. */
export type LonLat = [number, number]

/** A fine grid as the activity generator sees it: where it is, who lives there, what is near. */
export interface ActivityGrid {
  fineId: number
  baseId: number
  villageId: number
  villageName: string
  name: string
  kind: AreaKind
  population: number
  households: number
  areaKm2: number
  /** MultiPolygon coordinates of the version in force. */
  polygon: LonLat[][][]
  /** A point inside the grid. */
  surface: LonLat
  /** Whether the grid lies on the Erhai shore (within about 250 m of the lake). */
  lakeShore: boolean
  /** The grid's point nearest the lake, when on the shore. */
  lakeAnchor: LonLat | null
  /** Share of the grid's area on the Cangshan hillside, 0–1. */
  hillShare: number
  /** The centre of the grid's hillside part (the centroid: the same whatever vertex order GEOS returns). */
  hillAnchor: LonLat | null
  /** Metres to the main road (Infinity without a road). */
  roadMetres: number
  /** The grid's point nearest the main road. */
  roadAnchor: LonLat | null
  /** Other villages within about 150 m, each with the grid's point nearest to it. */
  neighbours: Array<{ villageId: number; anchor: LonLat }>
  /** The grid worker (staff) serving the fine grid, if any. */
  worker: { id: number; name: string } | null
}

/** Square metres per square degree at the township's latitude (≈ 25.85° N): 110.9 km × 100.3 km. */
const M2_PER_SQUARE_DEGREE = sql.lit(110_900 * 100_300)
/** About 250 m: how near the lake a grid must be to count as on the shore. */
const SHORE_DEGREES = sql.lit(0.0025)
/** About 150 m: how near another village a grid must be to count as on its boundary. */
const NEIGHBOUR_DEGREES = sql.lit(0.0015)

/**
 * `[lon, lat]` of a point rounded to the API's 7 decimals (about 1 cm), or null: the
 * last bits of computed points differ between PostGIS builds, and the
 * sample must not.
 */
function lonLat(point: Expression<unknown>) {
  return sql`CASE WHEN ${point} IS NOT NULL THEN json_build_array(round(ST_X(${point})::numeric, ${sql.lit(GEOJSON_DIGITS)}), round(ST_Y(${point})::numeric, ${sql.lit(GEOJSON_DIGITS)})) END`
}

interface GridRow {
  fine_id: number
  base_id: number
  village_id: number
  village_name: string
  name: string
  kind: AreaKind
  population: number
  households: number
  area_m2: number
  geometry: string
  surface: LonLat
  lake_anchor: LonLat | null
  hill_share: number | null
  hill_anchor: LonLat | null
  road_metres: number | null
  road_anchor: LonLat | null
  neighbours: Array<{ villageId: number; anchor: LonLat }> | null
  worker: { id: number; name: string } | null
}

/**
 * Every fine grid in force at `at` with its base grid, village, and its
 * relation to the lake (the current exempt water), the hillside and the main
 * road, in one statement ordered by area id.
 */
export async function findActivityGrids(db: Db, at: Date, terrain: TerrainFeatures): Promise<ActivityGrid[]> {
  const { rows } = await sql<GridRow>`
    WITH cur AS MATERIALIZED (
      SELECT v.area_id, v.parent_id, v.name, v.kind, v.population, v.households, v.geom, v.exempt_geom, a.level
      FROM area_versions v JOIN areas a ON a.id = v.area_id
      WHERE v.valid_from <= ${at} AND (v.valid_to IS NULL OR v.valid_to > ${at})
    ),
    terrain AS MATERIALIZED (
      SELECT
        (SELECT ST_UnaryUnion(ST_Collect(exempt_geom)) FROM cur WHERE exempt_geom IS NOT NULL) AS lake,
        ST_MakeValid(${geomFromGeoJson(terrain.mountain)}) AS mountain,
        ${geomFromGeoJson(terrain.mainRoad)} AS road
    ),
    g AS MATERIALIZED (
      SELECT f.area_id AS fine_id, b.area_id AS base_id, vi.area_id AS village_id, vi.name AS village_name,
        f.name, f.kind, f.population, f.households, f.geom,
        ST_PointOnSurface(f.geom) AS surface,
        CASE WHEN ST_DWithin(f.geom, t.lake, ${SHORE_DEGREES}) THEN ST_ClosestPoint(f.geom, t.lake) END AS lake_point,
        CASE WHEN ST_Intersects(f.geom, t.mountain) THEN ST_Intersection(f.geom, t.mountain) END AS hill,
        CASE WHEN t.road IS NOT NULL THEN ST_ClosestPoint(f.geom, t.road) END AS road_point,
        ST_Distance(f.geom::geography, t.road::geography) AS road_metres
      FROM cur f
      JOIN cur b ON b.area_id = f.parent_id AND b.level = 'base_grid'
      JOIN cur vi ON vi.area_id = b.parent_id AND vi.level = 'village'
      CROSS JOIN terrain t
      WHERE f.level = 'fine_grid'
    ),
    h AS MATERIALIZED (
      SELECT fine_id, ST_Area(hill) / ST_Area(geom) AS hill_share, ST_Centroid(hill) AS hill_point
      FROM g WHERE hill IS NOT NULL AND NOT ST_IsEmpty(hill)
    )
    SELECT g.fine_id, g.base_id, g.village_id, g.village_name, g.name, g.kind, g.population, g.households,
      round((ST_Area(g.geom) * ${M2_PER_SQUARE_DEGREE})::numeric) AS area_m2,
      ${asGeoJson(sql.ref('g.geom'))} AS geometry,
      ${lonLat(sql.ref('g.surface'))} AS surface,
      ${lonLat(sql.ref('g.lake_point'))} AS lake_anchor,
      round(coalesce(h.hill_share, 0)::numeric, 4) AS hill_share,
      ${lonLat(sql.ref('h.hill_point'))} AS hill_anchor,
      round(g.road_metres::numeric, 1) AS road_metres,
      ${lonLat(sql.ref('g.road_point'))} AS road_anchor,
      (SELECT json_agg(json_build_object('villageId', n.area_id, 'anchor', ${lonLat(sql.ref('n.point'))}) ORDER BY n.area_id)
         FROM (SELECT o.area_id, ST_ClosestPoint(g.geom, o.geom) AS point FROM cur o
               WHERE o.level = 'village' AND o.area_id <> g.village_id
                 AND ST_Expand(g.geom, ${NEIGHBOUR_DEGREES}) && o.geom AND ST_DWithin(g.geom, o.geom, ${NEIGHBOUR_DEGREES})) n) AS neighbours,
      (SELECT json_build_object('id', s.id, 'name', s.name) FROM grid_assignments ga JOIN staff s ON s.id = ga.staff_id
         WHERE ga.area_id = g.fine_id AND ga.duty = 'worker' AND ga.valid_to IS NULL ORDER BY ga.id LIMIT 1) AS worker
    FROM g LEFT JOIN h ON h.fine_id = g.fine_id
    ORDER BY g.fine_id`.execute(db)
  return rows.map((row) => ({
    fineId: Number(row.fine_id),
    baseId: Number(row.base_id),
    villageId: Number(row.village_id),
    villageName: row.village_name,
    name: row.name,
    kind: row.kind,
    population: row.population,
    households: row.households,
    areaKm2: Number(row.area_m2) / 1e6,
    polygon: (JSON.parse(row.geometry) as { coordinates: LonLat[][][] }).coordinates,
    surface: row.surface,
    lakeShore: row.lake_anchor !== null,
    lakeAnchor: row.lake_anchor,
    hillShare: Number(row.hill_share ?? 0),
    hillAnchor: row.hill_anchor,
    roadMetres: row.road_metres === null ? Infinity : Number(row.road_metres),
    roadAnchor: row.road_anchor,
    neighbours: row.neighbours ?? [],
    worker: row.worker ? { id: Number(row.worker.id), name: row.worker.name } : null,
  }))
}
