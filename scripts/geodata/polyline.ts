import type { Position } from '../../server/core/postgis/geometry.ts'
import { roundCoord } from './round-coord.ts'

/**
 * A rounded polyline through `points`, dropping repeated consecutive
 * positions.
 */
export function polyline(points: Position[]): Position[] {
  const out: Position[] = []
  for (const [lon, lat] of points) {
    const p: Position = [roundCoord(lon), roundCoord(lat)]
    const last = out[out.length - 1]
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p)
  }
  return out
}
