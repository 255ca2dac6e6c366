import type { Bbox } from '../postgis/envelope.ts'

/** Result of {@link parseBbox}. */
export type BboxParse = { valid: true; bbox: Bbox } | { valid: false; reason: string }

/**
 * Parses an OGC `bbox` parameter: 4 numbers (minLon,minLat,maxLon,maxLat) or
 * 6 with heights (minLon,minLat,minZ,maxLon,maxLat,maxZ; heights are ignored).
 */
export function parseBbox(text: string): BboxParse {
  const parts = text.split(',').map((part) => part.trim())
  if (parts.length !== 4 && parts.length !== 6) return { valid: false, reason: 'bbox needs 4 or 6 numbers' }
  if (parts.some((part) => part === '' || !Number.isFinite(Number(part)))) {
    return { valid: false, reason: 'bbox values must be numbers' }
  }
  const numbers = parts.map(Number)
  const [minLon, minLat, maxLon, maxLat] =
    numbers.length === 6 ? [numbers[0], numbers[1], numbers[3], numbers[4]] : numbers
  if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) {
    return { valid: false, reason: 'bbox is outside lon -180..180 / lat -90..90' }
  }
  if (minLat > maxLat || minLon > maxLon) return { valid: false, reason: 'bbox minimum above maximum' }
  return { valid: true, bbox: [minLon, minLat, maxLon, maxLat] }
}
