import type { MultiPolygonCoords, Position } from '../../server/core/postgis/geometry.ts'
import { sampleRange } from './sample-range.ts'
import type { Terrain } from './terrain.ts'
import { cleanRing } from './clean-ring.ts'

/**
 * Everything west of the mountain foot between `south` and `north` (about
 * 100 m vertex spacing): intersect an area with it to get its hillside part.
 */
export function hillsideArea(terrain: Terrain, south: number, north: number): MultiPolygonCoords {
  const foot: Position[] = sampleRange(south, north, 0.0009).map((lat) => [terrain.footLon(lat), lat])
  const ring = cleanRing([...foot, [99.9, north], [99.9, south], foot[0]], true)
  if (!ring) throw new Error('hillside degenerated')
  return [[ring]]
}
