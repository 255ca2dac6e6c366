import type { Position, Ring } from '../../server/core/postgis/geometry.ts'
import { cleanRing } from './clean-ring.ts'
import { sampleRange } from './sample-range.ts'
import type { Terrain } from './terrain.ts'

/** Extent of the mapped hillside. */
const SOUTH = 25.58
const NORTH = 26.06
const FAR_WEST = 99.8

/**
 * Cangshan hillside as three elevation bands, east to west: band 1 from the
 * mountain foot to the first contour, band 2 up to the second contour, band 3
 * over the ridge to the map's west edge. Returns one ring per band (band 1
 * first); neighbouring bands share their contour line.
 */
export function buildMountainBands(terrain: Terrain): Ring[] {
  const lats = sampleRange(SOUTH, NORTH, 0.0018)
  const lines: Array<(lat: number) => number> = [
    terrain.footLon,
    (lat) => terrain.contourLon(lat, 1),
    (lat) => terrain.contourLon(lat, 2),
    () => FAR_WEST,
  ]
  const rings: Ring[] = []
  for (let band = 0; band < 3; band++) {
    const east: Position[] = lats.map((lat) => [lines[band](lat), lat])
    const west: Position[] = [...lats].reverse().map((lat) => [lines[band + 1](lat), lat])
    const ring = cleanRing([...east, ...west, east[0]], true)
    if (!ring) throw new Error(`mountain band ${band + 1} degenerated`)
    rings.push(ring)
  }
  return rings
}
