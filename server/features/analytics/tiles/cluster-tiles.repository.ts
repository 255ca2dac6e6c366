import { sql } from 'kysely'
import type { Db } from '../../../core/db/database.ts'
import { MVT_BUFFER, MVT_EXTENT } from '../../../core/postgis/mvt.ts'
import type { TimeWindow } from '../../../core/time/time-window.ts'
import type { CaseTileFilter } from './tile-query.ts'
import { layerRows, type TileAddress, type TileFeatureRow } from './tiles.repository.ts'
import type { UserRecord } from '../../../core/auth/users.repository.ts'

/** Cells per tile side when clustering (64 px of a 512-px tile). */
export const CLUSTER_CELLS_PER_TILE = 8

/** Properties of a cluster tile's features: counts, and for a one-case cell that case's properties. */
export const CLUSTER_PROPERTIES = ['point_count', 'overdue', 'near', 'status', 'category', 'grade', 'deadlineState', 'reportedAt'] as const

const WEB_MERCATOR_SIDE_METERS = 2 * 20037508.342789244

function clusterRows(db: Db, layer: 'hazards' | 'disputes', tile: TileAddress, user: UserRecord, window?: TimeWindow, filter?: CaseTileFilter) {
  const rows = layerRows(db, layer, tile, user, window, filter)
  const cellMeters = WEB_MERCATOR_SIDE_METERS / 2 ** tile.z / CLUSTER_CELLS_PER_TILE
  const single = (column: string) => sql`CASE WHEN count(*) = 1 THEN min(${sql.ref(`s.${column}`)}) END`
  return sql`
    SELECT ST_Transform(ST_SetSRID(ST_MakePoint(avg(ST_X(s.p)), avg(ST_Y(s.p))), 3857), 4326) AS g,
      min(s.id) AS id,
      count(*)::int AS point_count,
      sum(CASE WHEN s."deadlineState" = 'overdue' THEN 1 ELSE 0 END)::int AS overdue,
      sum(CASE WHEN s."deadlineState" = 'near' THEN 1 ELSE 0 END)::int AS near,
      ${single('status')} AS status, ${single('category')} AS category, ${single('grade')} AS grade,
      ${single('deadlineState')} AS "deadlineState", ${single('reportedAt')} AS "reportedAt"
    FROM (SELECT ST_Transform(r.g, 3857) AS p, r.* FROM (${rows}) r) s
    WHERE s.p && ST_TileEnvelope(${tile.z}::int, ${tile.x}::int, ${tile.y}::int)
    GROUP BY floor(ST_X(s.p) / ${cellMeters}::float8), floor(ST_Y(s.p) / ${cellMeters}::float8)`
}

const columns = sql.join(CLUSTER_PROPERTIES.map((name) => sql.ref(`r.${name}`)))

/**
 * A cluster tile encoded by PostGIS: the cases the user may read, matching the
 * window and filter, grouped into cells aligned to the tile grid (so no cell
 * spans two tiles); empty when nothing is in it.
 */
export async function findClusterTileMvt(db: Db, layer: 'hazards' | 'disputes', tile: TileAddress, user: UserRecord, window?: TimeWindow, filter?: CaseTileFilter): Promise<Buffer> {
  const rows = clusterRows(db, layer, tile, user, window, filter)
  const { rows: result } = await sql<{ mvt: Buffer | Uint8Array | null }>`
    SELECT ST_AsMVT(t.*, ${layer}, ${MVT_EXTENT}::int, 'geom', 'id') AS mvt FROM (
      SELECT ST_AsMVTGeom(ST_Transform(r.g, 3857), ST_TileEnvelope(${tile.z}::int, ${tile.x}::int, ${tile.y}::int), ${MVT_EXTENT}::int, ${MVT_BUFFER}::int, true) AS geom,
        r.id, ${columns} FROM (${rows}) r
    ) t WHERE t.geom IS NOT NULL`.execute(db)
  const mvt = result[0]?.mvt
  return mvt ? Buffer.from(mvt) : Buffer.alloc(0)
}

/** The same cluster features for encoding in the server (null properties left out). */
export async function findClusterTileFeatures(db: Db, layer: 'hazards' | 'disputes', tile: TileAddress, user: UserRecord, window?: TimeWindow, filter?: CaseTileFilter): Promise<TileFeatureRow[]> {
  const rows = clusterRows(db, layer, tile, user, window, filter)
  const { rows: result } = await sql<Record<string, unknown> & { id: number; geojson: string }>`
    SELECT ST_AsGeoJSON(r.g, 9) AS geojson, r.id, ${columns} FROM (${rows}) r ORDER BY r.id`.execute(db)
  return result.map(({ geojson, id, ...properties }) => ({
    id: Number(id),
    geometry: geojson,
    properties: Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== null)) as TileFeatureRow['properties'],
  }))
}
