import { sql } from 'kysely'
import type { Db } from '../../../core/db/database.ts'
import { asGeoJson } from '../../../core/postgis/geojson.ts'
import { reportedInSql } from '../case-state.ts'
import { toLonLat, toMetric } from '../../../core/postgis/crs.ts'
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

/** A current village with a representative point (ST_PointOnSurface, always inside it). */
export interface VillagePointRow {
  id: number
  code: string
  name: string
  nameEn: string | null
  lon: number
  lat: number
}

/** Half-width in metres of the buffer around hulls that are not polygons (two members, or members in a line). */
export const HULL_BUFFER_METERS = 20

/**
 * Clusters of the disputes reported in the window: `ST_ClusterDBSCAN` over
 * their points in UTM 47N with eps = `distanceMeters` (metres, not degrees).
 * With `windowDays`, each spatial cluster is then cut where two consecutive
 * members (by reported time) are more than `windowDays` apart, and pieces with
 * fewer than `minPoints` members are dropped. Hull = convex hull of the
 * members, buffered by {@link HULL_BUFFER_METERS} when it is not a polygon.
 */
export async function findDisputeClusters(db: Db, params: ClusterParams): Promise<DisputeClusterRow[]> {
  const gap = params.windowDays === undefined ? sql`false` : sql`k.reported_at - lag(k.reported_at) OVER (PARTITION BY k.cid ORDER BY k.reported_at, k.id) > ${params.windowDays}::float8 * interval '1 day'`
  const hull = sql`ST_ConvexHull(ST_Collect(s.g))`
  const { rows } = await sql<{
    member_ids: number[]
    size: number
    first_reported_at: Date
    last_reported_at: Date
    village_ids: number[]
    party_village_ids: number[] | null
    hull: string
  }>`
    WITH d AS (
      SELECT c.id, c.reported_at, c.village_id, ${toMetric(sql.ref('c.geom'))} AS g
      FROM cases c WHERE c.kind = 'dispute' AND ${reportedInSql(params.window.from, params.window.to)}
    ), k AS (
      SELECT d.*, ST_ClusterDBSCAN(d.g, eps := ${params.distanceMeters}::float8, minpoints := ${params.minPoints}::int) OVER () AS cid FROM d
    ), t AS (
      SELECT k.*, CASE WHEN ${gap} THEN 1 ELSE 0 END AS brk FROM k WHERE k.cid IS NOT NULL
    ), s AS (
      SELECT t.*, sum(t.brk) OVER (PARTITION BY t.cid ORDER BY t.reported_at, t.id) AS part FROM t
    ), g AS (
      SELECT array_agg(s.id ORDER BY s.id) AS member_ids, count(*) AS size,
        min(s.reported_at) AS first_reported_at, max(s.reported_at) AS last_reported_at,
        array_agg(DISTINCT s.village_id) AS village_ids,
        CASE WHEN ST_GeometryType(${hull}) = 'ST_Polygon' THEN ${hull} ELSE ST_Buffer(${hull}, ${HULL_BUFFER_METERS}::float8) END AS hull
      FROM s GROUP BY s.cid, s.part HAVING count(*) >= ${params.minPoints}::int
    )
    SELECT g.member_ids, g.size, g.first_reported_at, g.last_reported_at, g.village_ids,
      (SELECT array_agg(DISTINCT p.home_village_id ORDER BY p.home_village_id) FROM case_parties p WHERE p.case_id = ANY (g.member_ids)) AS party_village_ids,
      ${asGeoJson(toLonLat(sql.ref('g.hull')))} AS hull
    FROM g`.execute(db)
  return rows
    .map((row) => ({
      memberIds: row.member_ids.map(Number),
      size: Number(row.size),
      firstReportedAt: new Date(row.first_reported_at),
      lastReportedAt: new Date(row.last_reported_at),
      villageIds: row.village_ids.map(Number).sort((a, b) => a - b),
      partyVillageIds: (row.party_village_ids ?? []).map(Number),
      hull: row.hull,
    }))
    .sort((a, b) => b.size - a.size || a.memberIds[0] - b.memberIds[0])
}

/** Pairs of distinct home villages among the parties of each dispute reported in the window, counted over disputes. */
export async function findDisputeArcs(db: Db, window: TimeWindow): Promise<DisputeArcRow[]> {
  const { rows } = await sql<{ village_a: number; village_b: number; n: number; case_ids: number[] }>`
    SELECT x.village_a, x.village_b, count(*) AS n, array_agg(x.case_id ORDER BY x.case_id) AS case_ids
    FROM (
      SELECT DISTINCT c.id AS case_id, p1.home_village_id AS village_a, p2.home_village_id AS village_b
      FROM cases c
      JOIN case_parties p1 ON p1.case_id = c.id
      JOIN case_parties p2 ON p2.case_id = c.id AND p2.home_village_id > p1.home_village_id
      WHERE c.kind = 'dispute' AND ${reportedInSql(window.from, window.to)}
    ) x
    GROUP BY x.village_a, x.village_b
    ORDER BY count(*) DESC, x.village_a, x.village_b`.execute(db)
  return rows.map((row) => ({ villageA: Number(row.village_a), villageB: Number(row.village_b), count: Number(row.n), caseIds: row.case_ids.map(Number) }))
}

/** Current villages among `ids` with a point inside each. */
export async function findVillagePoints(db: Db, ids: number[]): Promise<VillagePointRow[]> {
  if (ids.length === 0) return []
  const { rows } = await sql<VillagePointRow>`
    SELECT a.area_id AS id, a.code, a.name, a.name_en AS "nameEn",
      ST_X(ST_PointOnSurface(a.geom)) AS lon, ST_Y(ST_PointOnSurface(a.geom)) AS lat
    FROM current_areas a WHERE a.area_id IN (${sql.join(ids)})
    ORDER BY a.code`.execute(db)
  return rows.map((row) => ({ ...row, id: Number(row.id), lon: Number(row.lon), lat: Number(row.lat) }))
}
