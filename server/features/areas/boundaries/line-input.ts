import type { Position } from './polygon-input.ts'

/** Result of {@link parseLineInput}. */
export type LineInputParse = { valid: true; geojson: string } | { valid: false; reason: string }

/** Checks a GeoJSON LineString (a split line): at least 2 positions of two finite numbers each, in lon/lat range. */
export function parseLineInput(input: unknown): LineInputParse {
  if (typeof input !== 'object' || input === null) return { valid: false, reason: 'not a GeoJSON object' }
  const { type, coordinates } = input as { type?: unknown; coordinates?: unknown }
  if (type !== 'LineString') return { valid: false, reason: `type is ${String(type)}` }
  if (!Array.isArray(coordinates) || coordinates.length < 2) return { valid: false, reason: 'fewer than 2 positions' }
  const positions: Position[] = []
  for (const position of coordinates) {
    if (!Array.isArray(position) || position.length !== 2) return { valid: false, reason: 'each position needs exactly 2 numbers' }
    if (position.some((value) => typeof value !== 'number' || !Number.isFinite(value))) return { valid: false, reason: 'coordinates must be finite numbers' }
    const [lon, lat] = position as number[]
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) return { valid: false, reason: 'coordinates out of range' }
    positions.push([lon, lat])
  }
  return { valid: true, geojson: JSON.stringify({ type: 'LineString', coordinates: positions }) }
}
