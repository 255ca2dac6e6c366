import { sql } from 'kysely'
import type { Db } from '../../../core/db/database.ts'
import { asGeoJson } from '../../../core/postgis/geojson.ts'
import { reportedInSql } from '../case-state.ts'
import { METRIC_SRID, toLonLat, toMetric } from '../../../core/postgis/crs.ts'
import type { TimeWindow } from '../../../core/time/time-window.ts'

/** Parameters of a clustering. */
export interface ClusterParams {
  window: TimeWindow
  /** DBSCAN eps in metres (in the metric CRS). */
  distanceMeters: number
  /** DBSCAN minimum points (a core point counts itself). */
  minPoints: number
  /** When set, members must also be chained in time: consecutive members at most this many days apart. */
  windowDays?: number
  /** Only the disputes of this town (a town user's own, or a county user's choice); every town when absent. */
  townId?: number
}

/** A cluster of disputes. */
export interface DisputeClusterRow {
  memberIds: number[]
  size: number
  firstReportedAt: Date
  lastReportedAt: Date
  villageIds: number[]
  partyVillageIds: number[]
  hull: string
}

/** A pair of home villages of the parties of cross-village disputes. */
export interface DisputeArcRow {
  villageA: number
  villageB: number
  count: number
  caseIds: number[]
}

/** A current village with a representative point (ST_PointOnSurface, always inside it) and its town. */
export interface VillagePointRow {
  id: number
  code: string
  name: string
  nameEn: string | null
  lon: number
  lat: number
  townId: number
}

/** A current town as clusters name it. */
export interface TownRow {
  id: number
  code: string
  name: string
  nameEn: string | null
}

/** Half-width in metres of the buffer around hulls that are not polygons (two members, or members in a line). */
export const HULL_BUFFER_METERS = 20

/** A dispute reported in a window, as clustering reads it. */
export interface DisputePoints {
  /** Case ids, ascending (the input order of DBSCAN). */
  ids: number[]
  /** Position in the metric CRS (EPSG:32647), metres: exactly `ST_Transform(geom, 32647)`. */
  x: Float64Array
  y: Float64Array
  /** `reported_at` in microseconds since 1970 (exact: below 2^53). */
  reportedAtMicros: number[]
  villageIds: number[]
}

/**
 * The disputes reported in the window, ascending by id, with their metric
 * position. Served by the covering index `cases_dispute_points` (migration
 * 0017) without visiting the table.
 */
export async function findDisputePoints(db: Db, window: TimeWindow, townId?: number): Promise<DisputePoints> {
  const { rows } = await sql<{ id: string; x: number; y: number; t: string; village_id: string }>`
    SELECT c.id, ST_X(m.g) AS x, ST_Y(m.g) AS y, (extract(epoch FROM c.reported_at) * 1000000)::int8 AS t, c.village_id
    FROM cases c CROSS JOIN LATERAL (SELECT ${toMetric(sql.ref('c.geom'))} AS g) m
    WHERE c.kind = 'dispute' AND ${reportedInSql(window.from, window.to)}${townId === undefined ? sql`` : sql` AND c.town_id = ${townId}`}
    ORDER BY c.id`.execute(db)
  const points: DisputePoints = { ids: new Array(rows.length), x: new Float64Array(rows.length), y: new Float64Array(rows.length), reportedAtMicros: new Array(rows.length), villageIds: new Array(rows.length) }
  rows.forEach((row, i) => {
    points.ids[i] = Number(row.id)
    points.x[i] = Number(row.x)
    points.y[i] = Number(row.y)
    points.reportedAtMicros[i] = Number(row.t)
    points.villageIds[i] = Number(row.village_id)
  })
  return points
}

/**
 * The hull of each cluster from points of it in the metric CRS that include
 * all its extreme points (the convex hull of those is the convex hull of the
 * cluster): `ST_ConvexHull`, buffered by {@link HULL_BUFFER_METERS} when it
 * is not a polygon, as GeoJSON in CRS84. `cluster` numbers the clusters 0…n−1.
 */
export async function findClusterHulls(db: Db, points: { cluster: number[]; x: number[]; y: number[] }): Promise<Map<number, string>> {
  if (points.cluster.length === 0) return new Map()
  const hull = sql`ST_ConvexHull(ST_Collect(ST_SetSRID(ST_MakePoint(u.x, u.y), ${sql.lit(METRIC_SRID)})))`
  const { rows } = await sql<{ cluster: number; hull: string }>`
    SELECT h.cluster, ${asGeoJson(toLonLat(sql`CASE WHEN ST_GeometryType(h.g) = 'ST_Polygon' THEN h.g ELSE ST_Buffer(h.g, ${HULL_BUFFER_METERS}::float8) END`))} AS hull
    FROM (SELECT u.cluster, ${hull} AS g FROM unnest(${points.cluster}::int4[], ${points.x}::float8[], ${points.y}::float8[]) AS u(cluster, x, y) GROUP BY u.cluster) h`.execute(db)
  return new Map(rows.map((row) => [Number(row.cluster), row.hull]))
}

/**
 * The distinct home villages of the parties of each cluster's members,
 * ascending: the members' parties, read index-only through
 * `case_parties_case_village` (migration 0017). The members go in as arrays
 * joined with unnest (a join PostgreSQL can hash), not as `= ANY(array)`,
 * which it tests element by element against a bound parameter.
 */
export async function findPartyVillages(db: Db, clusters: number[][]): Promise<number[][]> {
  const found: number[][] = clusters.map(() => [])
  const ids = clusters.flat()
  if (ids.length === 0) return found
  const labels = clusters.flatMap((members, cluster) => members.map(() => cluster))
  const { rows } = await sql<{ cluster: number; villages: string[] }>`
    SELECT u.cluster, array_agg(DISTINCT p.home_village_id) AS villages
    FROM unnest(${ids}::int8[], ${labels}::int4[]) AS u(id, cluster)
    JOIN case_parties p ON p.case_id = u.id
    GROUP BY u.cluster`.execute(db)
  for (const row of rows) found[Number(row.cluster)] = row.villages.map(Number).sort((a, b) => a - b)
  return found
}

/** Pairs of distinct home villages among the parties of each dispute reported in the window, counted over disputes. */
export async function findDisputeArcs(db: Db, window: TimeWindow, townId?: number): Promise<DisputeArcRow[]> {
  const { rows } = await sql<{ village_a: number; village_b: number; n: number; case_ids: number[] }>`
    SELECT x.village_a, x.village_b, count(*) AS n, array_agg(x.case_id ORDER BY x.case_id) AS case_ids
    FROM (
      SELECT DISTINCT c.id AS case_id, p1.home_village_id AS village_a, p2.home_village_id AS village_b
      FROM cases c
      JOIN case_parties p1 ON p1.case_id = c.id
      JOIN case_parties p2 ON p2.case_id = c.id AND p2.home_village_id > p1.home_village_id
      WHERE c.kind = 'dispute' AND ${reportedInSql(window.from, window.to)}
        ${townId === undefined ? sql`` : sql`AND c.town_id = ${townId}`}
    ) x
    GROUP BY x.village_a, x.village_b
    ORDER BY count(*) DESC, x.village_a, x.village_b`.execute(db)
  return rows.map((row) => ({ villageA: Number(row.village_a), villageB: Number(row.village_b), count: Number(row.n), caseIds: row.case_ids.map(Number) }))
}

/** Current villages among `ids` with a point inside each and their town (a village's parent is its town). */
export async function findVillagePoints(db: Db, ids: number[]): Promise<VillagePointRow[]> {
  if (ids.length === 0) return []
  const { rows } = await sql<VillagePointRow>`
    SELECT a.area_id AS id, a.code, a.name, a.name_en AS "nameEn",
      ST_X(ST_PointOnSurface(a.geom)) AS lon, ST_Y(ST_PointOnSurface(a.geom)) AS lat, a.parent_id AS "townId"
    FROM current_areas a WHERE a.area_id IN (${sql.join(ids)})
    ORDER BY a.code`.execute(db)
  return rows.map((row) => ({ ...row, id: Number(row.id), lon: Number(row.lon), lat: Number(row.lat), townId: Number(row.townId) }))
}

/** Current towns among `ids`, by code. */
export async function findTownRefs(db: Db, ids: number[]): Promise<TownRow[]> {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('current_areas')
    .select(['area_id as id', 'code', 'name', 'name_en as nameEn'])
    .where('area_id', 'in', ids)
    .where('level', '=', 'town')
    .orderBy('code')
    .execute()
  return rows.map((row) => ({ ...row, id: Number(row.id) }))
}
