import GeoJSONVT from 'geojson-vt'
import { fromGeojsonVt } from 'vt-pbf'
import { sql, type Expression } from 'kysely'
import type { Feature, FeatureCollection, Geometry } from 'geojson'
import type { Db } from '../db/database.ts'
import type { EngineKind } from '../db/engine.ts'
import { asGeoJson } from './geojson.ts'
import { toWebMercator } from './crs.ts'
import { tileEnvelope, type TileAddress } from './envelope.ts'

/** Tile extent (units per tile side) and buffer, the same for ST_AsMVT / ST_AsMVTGeom and geojson-vt. */
export const MVT_EXTENT = 4096
export const MVT_BUFFER = 64

/**
 * Who encodes a tile: PostGIS (`ST_AsMVTGeom` + `ST_AsMVT`, needs protobuf
 * support) or the server (geojson-vt + vt-pbf).
 */
export type MvtEncoder = 'postgis' | 'server'

/** The encoder an engine can run: PGlite's PostGIS is compiled without protobuf, so it has no `ST_AsMVT`. */
export function mvtEncoderFor(engine: EngineKind): MvtEncoder {
  return engine === 'postgres' ? 'postgis' : 'server'
}

/** What {@link encodeMvt} encodes: one layer of a tile from a rows query. */
export interface MvtLayer {
  /** Layer name in the tile. */
  name: string
  tile: TileAddress
  /**
   * The features: a query with columns `g` (geometry in EPSG:4326), `id`
   * (integer feature id) and one column per name in `properties`.
   */
  rows: Expression<unknown>
  /** Property columns of `rows`, in order; NULL values are left out of a feature. */
  properties: readonly string[]
}

/**
 * Encodes one layer of a Mapbox Vector Tile; undefined when nothing falls in
 * the tile. Both encoders give the same layer name, extent, buffer, feature
 * ids and properties.
 *
 * With `postgis` it emits:
 * ```sql
 * SELECT ST_AsMVT(t.*, <name>, 4096, 'geom', 'id') AS mvt FROM (
 *   SELECT ST_AsMVTGeom(ST_Transform(r.g, 3857), ST_TileEnvelope(z, x, y), 4096, 64, true) AS geom,
 *     r.id, r.<property>… FROM (<rows>) r
 * ) t WHERE t.geom IS NOT NULL
 * ```
 * With `server` it reads `SELECT ST_AsGeoJSON(r.g, 7), r.id, r.<property>… FROM (<rows>) r ORDER BY r.id`
 * and encodes those features with {@link encodeTile}.
 */
export async function encodeMvt(db: Db, encoder: MvtEncoder, layer: MvtLayer): Promise<Buffer | undefined> {
  const columns = sql.join(layer.properties.map((name) => sql.ref(`r.${name}`)))
  const { tile } = layer
  if (encoder === 'postgis') {
    const { rows } = await sql<{ mvt: Buffer | Uint8Array | null }>`
      SELECT ST_AsMVT(t.*, ${layer.name}, ${MVT_EXTENT}::int, 'geom', 'id') AS mvt FROM (
        SELECT ST_AsMVTGeom(${toWebMercator(sql.ref('r.g'))}, ${tileEnvelope(tile)}, ${MVT_EXTENT}::int, ${MVT_BUFFER}::int, true) AS geom,
          r.id, ${columns} FROM (${layer.rows}) r
      ) t WHERE t.geom IS NOT NULL`.execute(db)
    const mvt = rows[0]?.mvt
    return mvt && mvt.length > 0 ? Buffer.from(mvt) : undefined
  }
  const { rows } = await sql<Record<string, unknown> & { id: number; geojson: string }>`
    SELECT ${asGeoJson(sql.ref('r.g'))} AS geojson, r.id, ${columns} FROM (${layer.rows}) r ORDER BY r.id`.execute(db)
  return encodeTile(
    layer.name,
    tile,
    rows.map(({ geojson, id, ...properties }) => ({
      id: Number(id),
      geometry: JSON.parse(geojson) as Geometry,
      properties: Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== null)),
    })),
  )
}

/**
 * Encodes features (CRS84 GeoJSON) as a one-layer Mapbox Vector Tile in the
 * server, for engines whose PostGIS has no protobuf (PGlite): geojson-vt
 * projects, clips to the tile plus buffer and quantises to the extent, vt-pbf
 * writes the protobuf. Undefined when nothing falls in the tile.
 */
export function encodeTile(
  layer: string,
  tile: TileAddress,
  features: Array<{ id: number; geometry: Geometry; properties: Record<string, unknown> }>,
): Buffer | undefined {
  if (features.length === 0) return undefined
  const { z, x, y } = tile
  const collection: FeatureCollection = {
    type: 'FeatureCollection',
    features: features.map((feature): Feature => ({ type: 'Feature', id: feature.id, geometry: feature.geometry, properties: feature.properties })),
  }
  const index = new GeoJSONVT(collection, { maxZoom: z, indexMaxZoom: z, indexMaxPoints: 0, tolerance: 0, extent: MVT_EXTENT, buffer: MVT_BUFFER })
  const vt = index.getTile(z, x, y)
  if (!vt || vt.features.length === 0) return undefined
  return Buffer.from(fromGeojsonVt({ [layer]: vt }, { version: 2, extent: MVT_EXTENT }))
}
