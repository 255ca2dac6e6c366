import type { Bbox, TileAddress } from './envelope.ts'
import { MVT_BUFFER, MVT_EXTENT } from './mvt.ts'

/** Zoom of the tile key stored with cases (`cases.tile18` = `tile18_key(geom)`, migration 0025). */
export const KEY_ZOOM = 18
/** Below this zoom a tile spans too many key tiles to list them (z11: ~18,000); such tiles are read by time alone. */
export const MIN_KEYED_ZOOM = 12

/**
 * The `tile18_key` values (x * 2^18 + y) of the z18 tiles under `tile`, under
 * its buffer (1/64 of its side each way, as the envelope test uses) and a
 * ring of one more z18 tile, or undefined below {@link MIN_KEYED_ZOOM}. Every
 * case the tile's envelope test can keep lies in one of these: the ring
 * holds points on an edge (`&&` is inclusive, the key rounds down) and any
 * last-digit difference between this arithmetic and the database's. So
 * adding `tile18 = ANY (…)` to the query changes no answer; it lets the
 * (kind, tile18, reported_at) index find the rows, which the table stores
 * together (CLUSTER). A z14 tile has 18 × 18 keys, a z12 tile 68 × 68.
 */
export function tile18Keys(tile: TileAddress): number[] | undefined {
  if (tile.z < MIN_KEYED_ZOOM) return undefined
  const side = KEY_ZOOM >= tile.z ? 2 ** (KEY_ZOOM - tile.z) : 1
  const [x0, y0] = KEY_ZOOM >= tile.z ? [tile.x * side, tile.y * side] : [Math.floor(tile.x / 2 ** (tile.z - KEY_ZOOM)), Math.floor(tile.y / 2 ** (tile.z - KEY_ZOOM))]
  const ring = Math.floor((side * MVT_BUFFER) / MVT_EXTENT) + 1
  return keysOf(x0 - ring, x0 + side - 1 + ring, y0 - ring, y0 + side - 1 + ring)
}

/** The keys of the z18 tiles in columns `xFrom`…`xTo` and rows `yFrom`…`yTo`, clamped to the grid. */
function keysOf(xFrom: number, xTo: number, yFrom: number, yTo: number): number[] {
  const last = 2 ** KEY_ZOOM - 1
  const keys: number[] = []
  for (let x = Math.max(0, xFrom); x <= Math.min(last, xTo); x++) {
    for (let y = Math.max(0, yFrom); y <= Math.min(last, yTo); y++) keys.push(x * 2 ** KEY_ZOOM + y)
  }
  return keys
}

/** A lon/lat bbox spanning more z18 tiles than this (~64 × 64, about 9 km square here) is read without keys. */
export const MAX_BBOX_KEYS = 4096

/** Column and row of the z18 tile holding a lon/lat point (unclamped: the tile formula). */
function tile18Of(lon: number, lat: number): [number, number] {
  const n = 2 ** KEY_ZOOM
  const rad = (lat * Math.PI) / 180
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)]
}

/**
 * The `tile18_key` values of the z18 tiles a lon/lat bbox touches and a ring
 * of one around them (points on an edge, last-digit differences with the
 * database's arithmetic), or undefined when that is more than
 * {@link MAX_BBOX_KEYS} or the bbox reaches the poles' latitudes beyond Web
 * Mercator. Added beside `geom && bbox` it changes no answer and lets the
 * (kind, tile18, reported_at) index find the cases: under row-level security
 * `&&` cannot be an index condition (migration 0025).
 */
export function bboxTile18Keys(bbox: Bbox): number[] | undefined {
  const [minLon, minLat, maxLon, maxLat] = bbox
  if (minLat <= -85 || maxLat >= 85 || minLon > maxLon) return undefined
  const [x0, y1] = tile18Of(minLon, minLat)
  const [x1, y0] = tile18Of(maxLon, maxLat)
  if ((x1 - x0 + 3) * (y1 - y0 + 3) > MAX_BBOX_KEYS) return undefined
  return keysOf(x0 - 1, x1 + 1, y0 - 1, y1 + 1)
}
