import type { TileAddress } from '../../../core/postgis/envelope.ts'

/** Zoom of the tile key stored with cases (`tile14_key(geom)`, migration 0017). */
export const KEY_ZOOM = 14
/** Below this zoom a tile spans too many z14 tiles to list their keys (z11: 100); such tiles use the GiST index alone. */
export const MIN_KEYED_ZOOM = 12

/**
 * The `tile14_key` values of the z14 tiles under `tile` and a ring of one z14
 * tile around them, or undefined below {@link MIN_KEYED_ZOOM}. Every case the
 * tile's envelope test can keep (tile plus its buffer of 1/64, edges
 * included) lies in one of these, so adding `tile14_key(geom) IN (…)` to the
 * query changes no answer; it lets the (kind, tile14_key, reported_at) index
 * find the rows, which the table stores together (CLUSTER, migration 0017).
 */
export function tile14Keys(tile: TileAddress): number[] | undefined {
  if (tile.z < MIN_KEYED_ZOOM) return undefined
  const side = KEY_ZOOM >= tile.z ? 2 ** (KEY_ZOOM - tile.z) : 1
  const [x0, y0] = KEY_ZOOM >= tile.z ? [tile.x * side, tile.y * side] : [tile.x >> (tile.z - KEY_ZOOM), tile.y >> (tile.z - KEY_ZOOM)]
  const last = 2 ** KEY_ZOOM - 1
  const keys: number[] = []
  for (let x = Math.max(0, x0 - 1); x <= Math.min(last, x0 + side); x++) {
    for (let y = Math.max(0, y0 - 1); y <= Math.min(last, y0 + side); y++) keys.push(x * 2 ** KEY_ZOOM + y)
  }
  return keys
}
