import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../../../core/db/database.ts'
import { visibleCases } from '../../cases/index.ts'
import { deadlineStateSql } from '../../cases/index.ts'
import { encodeMvt, MVT_BUFFER, MVT_EXTENT, type MvtEncoder } from '../../../core/postgis/mvt.ts'
import { intersectsEnvelope, tileEnvelope, type TileAddress } from '../../../core/postgis/envelope.ts'
import { toLonLat } from '../../../core/postgis/crs.ts'
import type { TimeWindow } from '../../../core/time/time-window.ts'
import type { CaseTileFilter } from './tile-query.ts'
import { tile18Keys } from '../../../core/postgis/tile-keys.ts'
import type { UserRecord } from '../../../core/auth/users.repository.ts'

/** Layers served as vector tiles. */
export type TileLayer = 'hazards' | 'disputes' | 'areas'

export type { TileAddress }

/** Properties of each layer's features (besides the feature id). */
export const TILE_PROPERTIES: Record<TileLayer, readonly string[]> = {
  hazards: ['status', 'category', 'grade', 'deadlineState', 'reportedAt'],
  disputes: ['status', 'category', 'grade', 'deadlineState', 'reportedAt'],
  areas: ['level', 'code', 'name'],
}

/** The tile's envelope (plus the buffer) in CRS84, for the index filter. */
function envelope4326(tile: TileAddress): RawBuilder<unknown> {
  return toLonLat(tileEnvelope(tile, MVT_BUFFER / MVT_EXTENT))
}

/**
 * The rows of a tile layer: `geom` (CRS84), `id` and the properties, the same
 * for both encoders. Cases: those the user may read, optionally reported in
 * the window and matching the filter; areas: current villages and base and fine grids.
 */
export function layerRows(db: Db, layer: TileLayer, tile: TileAddress, user: UserRecord, window?: TimeWindow, filter: CaseTileFilter = {}) {
  const env = envelope4326(tile)
  if (layer === 'areas') {
    return db
      .selectFrom('current_areas as a')
      .where('a.level', 'in', ['village', 'base_grid', 'fine_grid'])
      .where(intersectsEnvelope(sql.ref('a.geom'), env))
      .select([
        'a.geom as g',
        'a.area_id as id',
        'a.level',
        'a.code',
        'a.name',
      ])
  }
  let q = db
    .selectFrom('cases as c')
    .where('c.kind', '=', layer === 'hazards' ? 'hazard' : 'dispute')
    .where(visibleCases(user))
    .where(intersectsEnvelope(sql.ref('c.geom'), env))
  const keys = tile18Keys(tile)
  // Implied by the envelope test (see tile18Keys): lets the planner read the tile's rows by the clustered
  // index. Under row-level security only a leakproof condition can be an index condition: the stored
  // key compared as an integer is one, `geom && envelope` is not (migration 0025). One array parameter,
  // not one per key (a z12 tile has 4,624).
  if (keys) q = q.where(sql<boolean>`c.tile18 = ANY(${keys}::int8[])`)
  if (window?.from) q = q.where('c.reported_at', '>=', window.from)
  if (window) q = q.where('c.reported_at', '<', window.to)
  if (filter.statuses) q = filter.statuses.length > 0 ? q.where('c.status', 'in', filter.statuses) : q.where(sql<boolean>`false`)
  if (filter.categories) q = filter.categories.length > 0 ? q.where('c.category', 'in', filter.categories) : q.where(sql<boolean>`false`)
  if (filter.grades) q = filter.grades.length > 0 ? q.where(sql<string>`coalesce(c.severity, c.tier)`, 'in', filter.grades) : q.where(sql<boolean>`false`)
  return q.select([
    'c.geom as g',
    'c.id',
    'c.status',
    'c.category',
    sql<string>`coalesce(c.severity, c.tier)`.as('grade'),
    deadlineStateSql().as('deadlineState'),
    sql<string>`to_char(c.reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`.as('reportedAt'),
  ])
}

/**
 * A tile of a layer, encoded by `encoder` (see {@link mvtEncoderFor}):
 * undefined when nothing is in it.
 */
export function findTile(db: Db, encoder: MvtEncoder, layer: TileLayer, tile: TileAddress, user: UserRecord, window?: TimeWindow, filter?: CaseTileFilter): Promise<Buffer | undefined> {
  return encodeMvt(db, encoder, { name: layer, tile, rows: layerRows(db, layer, tile, user, window, filter), properties: TILE_PROPERTIES[layer] })
}
