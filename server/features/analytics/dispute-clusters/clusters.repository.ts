import { sql } from 'kysely'
import type { Db } from '../../../core/db/database.ts'
import { asGeoJson } from '../../../core/postgis/geojson.ts'
import { reportedInSql } from '../case-state.ts'
import { METRIC_SRID, toLonLat } from '../../../core/postgis/crs.ts'
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

/** A dispute reported in a window, as clustering reads it (one typed array per field, index = input order). */
export interface DisputePoints {
  /** Case ids, ascending (the input order of DBSCAN). */
  ids: Float64Array
  /** Position in the metric CRS (EPSG:32647), metres: exactly `ST_Transform(geom, 32647)` (the stored columns of migration 0015). */
  x: Float64Array
  y: Float64Array
  /** `reported_at` in microseconds since 1970 (exact: below 2^53). */
  reportedAtMicros: Float64Array
  villageIds: Float64Array
}

/** Microseconds from 1970-01-01 to 2000-01-01, the epoch of PostgreSQL's binary timestamps. */
const PG_EPOCH_MICROS = 946_684_800_000_000
/** Bytes of one dispute in {@link findDisputePoints}' answer: id, x, y, reported_at, village. */
const POINT_BYTES = 40
const TWO_TO_32 = 4_294_967_296

/** The disputes of a window (and town) in SQL, for the statements that read them. */
function windowDisputes(window: TimeWindow, townId: number | undefined) {
  return sql`c.kind = 'dispute' AND ${reportedInSql(window.from, window.to)}${townId === undefined ? sql`` : sql` AND c.town_id = ${townId}`}`
}

/** A bytea column as the driver gives it (a Buffer from pg, a Uint8Array from PGlite), read big-endian. */
function view(bytes: Uint8Array | null): DataView {
  return bytes ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new DataView(new ArrayBuffer(0))
}

/** A big-endian int8 at `offset` as a number (ids and village ids stay far below 2^53). */
function int8At(data: DataView, offset: number): number {
  return data.getInt32(offset) * TWO_TO_32 + data.getUint32(offset + 4)
}

/**
 * The disputes reported in the window, ascending by id, with their metric
 * position. Served by the covering index `cases_dispute_points` (migration
 * 0024: the policy's `town_id` and the stored UTM coordinates included)
 * without visiting the table.
 *
 * One row, not one per dispute: the server packs each dispute into 40
 * bytes in the binary send format (`int8send`, `float8send`,
 * `timestamptz_send`: exact, no text conversion) and aggregates them in id
 * order. At a million cases a 90-day window holds ~115k disputes; as rows,
 * the driver parsed 575k text values into objects, which cost more than the
 * clustering itself.
 */
export async function findDisputePoints(db: Db, window: TimeWindow, townId?: number): Promise<DisputePoints> {
  const { rows } = await sql<{ n: number; packed: Uint8Array | null }>`
    SELECT count(*)::int4 AS n,
      string_agg(int8send(c.id) || float8send(c.utm_x_meters) || float8send(c.utm_y_meters) || timestamptz_send(c.reported_at) || int8send(c.village_id), ''::bytea ORDER BY c.id) AS packed
    FROM cases c WHERE ${windowDisputes(window, townId)}`.execute(db)
  const n = Number(rows[0].n)
  const data = view(rows[0].packed)
  if (data.byteLength !== n * POINT_BYTES) throw new Error(`dispute points: ${data.byteLength} bytes for ${n} disputes`)
  const points: DisputePoints = { ids: new Float64Array(n), x: new Float64Array(n), y: new Float64Array(n), reportedAtMicros: new Float64Array(n), villageIds: new Float64Array(n) }
  for (let i = 0, at = 0; i < n; i++, at += POINT_BYTES) {
    points.ids[i] = int8At(data, at)
    points.x[i] = data.getFloat64(at + 8)
    points.y[i] = data.getFloat64(at + 16)
    points.reportedAtMicros[i] = int8At(data, at + 24) + PG_EPOCH_MICROS
    points.villageIds[i] = int8At(data, at + 32)
  }
  return points
}

/** The parties of a window's disputes: party k is of case `caseIds[k]` and lives in `villageIds[k]`. */
export interface WindowParties {
  caseIds: Float64Array
  villageIds: Float64Array
  /** When known, the index of each party's dispute among the points (else found by its case id). */
  pointIndex?: Int32Array
}

/**
 * The parties' home villages of every dispute of the window (the disputes of
 * {@link findDisputePoints}), in no order. Read index-only through
 * `case_parties_case_village` (migration 0024) and packed like the points
 * (16 bytes a party). It needs no cluster, so it runs while the server
 * clusters the points (on another connection) instead of after it.
 */
export async function findWindowParties(db: Db, window: TimeWindow, townId?: number): Promise<WindowParties> {
  const { rows } = await sql<{ n: number; packed: Uint8Array | null }>`
    SELECT count(*)::int4 AS n, string_agg(int8send(p.case_id) || int8send(p.home_village_id), ''::bytea) AS packed
    FROM case_parties p WHERE p.case_id IN (SELECT c.id FROM cases c WHERE ${windowDisputes(window, townId)})`.execute(db)
  const n = Number(rows[0].n)
  const data = view(rows[0].packed)
  if (data.byteLength !== n * 16) throw new Error(`dispute parties: ${data.byteLength} bytes for ${n} parties`)
  const parties: WindowParties = { caseIds: new Float64Array(n), villageIds: new Float64Array(n) }
  for (let k = 0; k < n; k++) {
    parties.caseIds[k] = int8At(data, k * 16)
    parties.villageIds[k] = int8At(data, k * 16 + 8)
  }
  return parties
}

/** Consecutive case ids a block of disputes covers: block `k` holds ids [k·16384, (k+1)·16384). */
export const DISPUTE_BLOCK_IDS = 16_384

/** The disputes of one block of ids, ascending by id, each with its town, and their parties with theirs. */
export interface DisputeBlockRows {
  key: number
  points: DisputePoints & { townIds: Float64Array }
  parties: WindowParties & { townIds: Float64Array }
}

/**
 * Every dispute of every town the session may read, with its town, and every
 * party with its town, by blocks of {@link DISPUTE_BLOCK_IDS} ids (ascending;
 * blocks without disputes left out): what a dispute snapshot
 * (dispute-snapshot.ts) holds. Packed like {@link findDisputePoints}, one row
 * per block: one row of every dispute (20 MB, 40 MB as hex text) cost seconds
 * in the driver, which grows its buffer by copying. With `blockKeys`, only
 * those blocks, each read by its id range.
 */
export async function findDisputeBlocks(db: Db, blockKeys?: readonly number[]): Promise<DisputeBlockRows[]> {
  const size = sql.lit(DISPUTE_BLOCK_IDS)
  // Each block as its id range, ORed: the planner then scans those ranges of the primary keys (a join
  // with the keys let it scan every dispute of the covering index by time instead: 160 ms a block).
  const inBlocks = (column: 'c.id' | 'p.case_id') =>
    blockKeys
      ? sql`(${sql.join(blockKeys.map((key) => sql`(${sql.ref(column)} >= ${key * DISPUTE_BLOCK_IDS}::int8 AND ${sql.ref(column)} < ${(key + 1) * DISPUTE_BLOCK_IDS}::int8)`), sql` OR `)})`
      : sql`true`
  const { rows: disputeRows } = await sql<{ block: number; n: number; packed: Uint8Array }>`
    SELECT (c.id / ${size})::int8 AS block, count(*)::int4 AS n,
      string_agg(int8send(c.id) || float8send(c.utm_x_meters) || float8send(c.utm_y_meters) || timestamptz_send(c.reported_at) || int8send(c.village_id) || int8send(c.town_id), ''::bytea ORDER BY c.id) AS packed
    FROM cases c WHERE c.kind = 'dispute' AND ${inBlocks('c.id')} GROUP BY c.id / ${size} ORDER BY c.id / ${size}`.execute(db)
  const { rows: partyRows } = await sql<{ block: number; n: number; packed: Uint8Array }>`
    SELECT (p.case_id / ${size})::int8 AS block, count(*)::int4 AS n, string_agg(int8send(p.case_id) || int8send(p.home_village_id) || int8send(p.town_id), ''::bytea) AS packed
    FROM case_parties p WHERE ${inBlocks('p.case_id')} GROUP BY p.case_id / ${size}`.execute(db)
  const partiesByBlock = new Map(partyRows.map((row) => [Number(row.block), row]))
  return disputeRows.map((row) => {
    const n = Number(row.n)
    const data = view(row.packed)
    if (data.byteLength !== n * 48) throw new Error(`disputes: ${data.byteLength} bytes for ${n} disputes`)
    const points = { ids: new Float64Array(n), x: new Float64Array(n), y: new Float64Array(n), reportedAtMicros: new Float64Array(n), villageIds: new Float64Array(n), townIds: new Float64Array(n) }
    for (let i = 0, at = 0; i < n; i++, at += 48) {
      points.ids[i] = int8At(data, at)
      points.x[i] = data.getFloat64(at + 8)
      points.y[i] = data.getFloat64(at + 16)
      points.reportedAtMicros[i] = int8At(data, at + 24) + PG_EPOCH_MICROS
      points.villageIds[i] = int8At(data, at + 32)
      points.townIds[i] = int8At(data, at + 40)
    }
    const partyRow = partiesByBlock.get(Number(row.block))
    const m = partyRow ? Number(partyRow.n) : 0
    const partyData = view(partyRow?.packed ?? null)
    if (partyData.byteLength !== m * 24) throw new Error(`parties: ${partyData.byteLength} bytes for ${m} parties`)
    const parties = { caseIds: new Float64Array(m), villageIds: new Float64Array(m), townIds: new Float64Array(m) }
    for (let k = 0, at = 0; k < m; k++, at += 24) {
      parties.caseIds[k] = int8At(partyData, at)
      parties.villageIds[k] = int8At(partyData, at + 8)
      parties.townIds[k] = int8At(partyData, at + 16)
    }
    return { key: Number(row.block), points, parties }
  })
}

/** What a dispute snapshot is read at: the `cases` data revision (migration 0016) and the database snapshot (`pg_snapshot` text) of the reading transaction. */
export interface DisputeReadPoint {
  revision: string
  snapshot: string
}

/**
 * The revision and database snapshot of the running transaction. Run first in
 * a REPEATABLE READ transaction, it names the snapshot every later statement
 * of that transaction reads.
 */
export async function readDisputeReadPoint(db: Db): Promise<DisputeReadPoint> {
  const { rows } = await sql<DisputeReadPoint>`
    SELECT (SELECT coalesce(sum(revision), 0)::text FROM data_revisions WHERE topic = 'cases') AS revision, pg_current_snapshot()::text AS snapshot`.execute(db)
  return rows[0]
}

/**
 * The disputes whose clustering inputs changed since database snapshot
 * `since` (migration 0027: rows of transactions `since` does not see), as
 * ascending ids, or `'everything'` when a change names no dispute (a
 * TRUNCATE, a restored database). Read in a later snapshot, this is exactly
 * what that snapshot has and `since` had not.
 */
export async function findDisputeChangesSince(db: Db, since: string): Promise<number[] | 'everything'> {
  const { rows } = await sql<{ case_id: number | null }>`
    SELECT DISTINCT d.case_id FROM dispute_point_changes d
    WHERE d.xid >= pg_snapshot_xmin(${since}::pg_snapshot) AND NOT pg_visible_in_snapshot(d.xid, ${since}::pg_snapshot)
    ORDER BY d.case_id NULLS FIRST`.execute(db)
  if (rows.length > 0 && rows[0].case_id === null) return 'everything'
  return rows.map((row) => Number(row.case_id))
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
