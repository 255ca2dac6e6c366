import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../../../core/db/database.ts'
import { visibleCases } from '../../cases/index.ts'
import { deadlineStateSql } from '../../cases/index.ts'
import { MVT_BUFFER, MVT_EXTENT } from '../../../core/postgis/mvt.ts'
import type { TimeWindow } from '../../../core/time/time-window.ts'
import type { CaseTileFilter } from './tile-query.ts'
import type { UserRecord } from '../../../core/auth/users.repository.ts'

/** Layers served as vector tiles. */
export type TileLayer = 'hazards' | 'disputes' | 'areas'

/** A tile address. */
export interface TileAddress {
  z: number
  x: number
  y: number
}

/** A feature of a tile before encoding: CRS84 geometry (GeoJSON text) and its properties. */
export interface TileFeatureRow {
  id: number
  geometry: string
  properties: Record<string, string | number | boolean>
}

/** Properties of each layer's features (besides the feature id). */
export const TILE_PROPERTIES: Record<TileLayer, string[]> = {
  hazards: ['status', 'category', 'grade', 'deadlineState', 'reportedAt'],
  disputes: ['status', 'category', 'grade', 'deadlineState', 'reportedAt'],
  areas: ['level', 'code', 'name'],
}

function propertyColumns(layer: TileLayer) {
  return sql.join(TILE_PROPERTIES[layer].map((name) => sql.ref(`r.${name}`)))
}

/** The tile's envelope (plus the buffer) in CRS84, for the index filter. */
function envelope4326(tile: TileAddress): RawBuilder<unknown> {
  return sql`ST_Transform(ST_TileEnvelope(${tile.z}::int, ${tile.x}::int, ${tile.y}::int, margin => ${MVT_BUFFER / MVT_EXTENT}::float8), 4326)`
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
      .where(sql<boolean>`a.geom && ${env} AND ST_Intersects(a.geom, ${env})`)
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
    .where(sql<boolean>`c.geom && ${env} AND ST_Intersects(c.geom, ${env})`)
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

/** A tile encoded by PostGIS (`ST_AsMVTGeom` + `ST_AsMVT`; needs protobuf support): empty when nothing is in it. */
export async function findTileMvt(db: Db, layer: TileLayer, tile: TileAddress, user: UserRecord, window?: TimeWindow, filter?: CaseTileFilter): Promise<Buffer> {
  const rows = layerRows(db, layer, tile, user, window, filter)
  const { rows: result } = await sql<{ mvt: Buffer | Uint8Array | null }>`
    SELECT ST_AsMVT(t.*, ${layer}, ${MVT_EXTENT}::int, 'geom', 'id') AS mvt FROM (
      SELECT ST_AsMVTGeom(ST_Transform(r.g, 3857), ST_TileEnvelope(${tile.z}::int, ${tile.x}::int, ${tile.y}::int), ${MVT_EXTENT}::int, ${MVT_BUFFER}::int, true) AS geom,
        r.id, ${propertyColumns(layer)} FROM (${rows}) r
    ) t WHERE t.geom IS NOT NULL`.execute(db)
  const mvt = result[0]?.mvt
  return mvt ? Buffer.from(mvt) : Buffer.alloc(0)
}

/** The features of a tile for encoding in the server (CRS84 GeoJSON geometry text). */
export async function findTileFeatures(db: Db, layer: TileLayer, tile: TileAddress, user: UserRecord, window?: TimeWindow, filter?: CaseTileFilter): Promise<TileFeatureRow[]> {
  const rows = layerRows(db, layer, tile, user, window, filter)
  const { rows: result } = await sql<Record<string, unknown> & { id: number; geojson: string }>`
    SELECT ST_AsGeoJSON(r.g, 9) AS geojson, r.id, ${propertyColumns(layer)} FROM (${rows}) r ORDER BY r.id`.execute(db)
  return result.map(({ geojson, id, ...properties }) => ({
    id: Number(id),
    geometry: geojson,
    properties: properties as TileFeatureRow['properties'],
  }))
}
