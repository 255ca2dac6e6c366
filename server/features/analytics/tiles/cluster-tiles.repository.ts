import { sql } from 'kysely'
import type { Db } from '../../../core/db/database.ts'
import { encodeMvt, type MvtEncoder } from '../../../core/postgis/mvt.ts'
import { toLonLat, toWebMercator, withSrid, WEB_MERCATOR_SRID } from '../../../core/postgis/crs.ts'
import { tileEnvelope } from '../../../core/postgis/envelope.ts'
import type { TimeWindow } from '../../../core/time/time-window.ts'
import type { CaseTileFilter } from './tile-query.ts'
import { layerRows, type TileAddress } from './tiles.repository.ts'
import type { UserRecord } from '../../../core/auth/users.repository.ts'

/** Cells per tile side when clustering (64 px of a 512-px tile). */
export const CLUSTER_CELLS_PER_TILE = 8

/** Properties of a cluster tile's features: counts, and for a one-case cell that case's properties. */
export const CLUSTER_PROPERTIES = ['point_count', 'overdue', 'near', 'status', 'category', 'grade', 'deadlineState', 'reportedAt'] as const

const WEB_MERCATOR_SIDE_METERS = 2 * 20037508.342789244

/**
 * The cases the user may read, matching the window and filter, grouped into
 * cells aligned to the tile grid (so no cell spans two tiles): one row per
 * cell at the mean of its cases (in Web Mercator), with counts.
 * `OFFSET 0` keeps the subquery apart, so each case is transformed to Web
 * Mercator once; flattened, the planner copied the transform into the
 * filter, the two cell keys and the two averages (five PROJ calls a case:
 * most of a busy tile's time).
 */
function clusterRows(db: Db, layer: 'hazards' | 'disputes', tile: TileAddress, user: UserRecord, window?: TimeWindow, filter?: CaseTileFilter) {
  const rows = layerRows(db, layer, tile, user, window, filter)
  const cellMeters = WEB_MERCATOR_SIDE_METERS / 2 ** tile.z / CLUSTER_CELLS_PER_TILE
  const single = (column: string) => sql`CASE WHEN count(*) = 1 THEN min(${sql.ref(`s.${column}`)}) END`
  const centre = withSrid(sql`ST_MakePoint(avg(ST_X(s.p)), avg(ST_Y(s.p)))`, WEB_MERCATOR_SRID)
  return sql`
    SELECT ${toLonLat(centre)} AS g,
      min(s.id) AS id,
      count(*)::int AS point_count,
      sum(CASE WHEN s."deadlineState" = 'overdue' THEN 1 ELSE 0 END)::int AS overdue,
      sum(CASE WHEN s."deadlineState" = 'near' THEN 1 ELSE 0 END)::int AS near,
      ${single('status')} AS status, ${single('category')} AS category, ${single('grade')} AS grade,
      ${single('deadlineState')} AS "deadlineState", ${single('reportedAt')} AS "reportedAt"
    FROM (SELECT ${toWebMercator(sql.ref('r.g'))} AS p, r.* FROM (${rows}) r OFFSET 0) s
    WHERE s.p && ${tileEnvelope(tile)}
    GROUP BY floor(ST_X(s.p) / ${cellMeters}::float8), floor(ST_Y(s.p) / ${cellMeters}::float8)`
}

/**
 * A cluster tile encoded by `encoder` (see {@link clusterRows}); undefined
 * when nothing is in it. A one-case cell keeps that case's id and properties;
 * the others leave them out (NULL).
 */
export function findClusterTile(db: Db, encoder: MvtEncoder, layer: 'hazards' | 'disputes', tile: TileAddress, user: UserRecord, window?: TimeWindow, filter?: CaseTileFilter): Promise<Buffer | undefined> {
  return encodeMvt(db, encoder, { name: layer, tile, rows: clusterRows(db, layer, tile, user, window, filter), properties: CLUSTER_PROPERTIES })
}
