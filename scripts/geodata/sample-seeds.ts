import { booleanPointInPolygon, multiPolygon, point } from '@turf/turf'
import type { MultiPolygonCoords, Position } from '../../server/core/postgis/geometry.ts'
import type { Rng } from './prng.ts'
import { metreDistance } from './metre-distance.ts'
import { multiPolygonBBox } from './multipolygon-bbox.ts'

/**
 * Draws `count` random points inside `area` (rejection sampling): each must
 * pass `accept` and lie at least `minMetres` from the points in `taken` and
 * from the others drawn. Returns the new points, or null when they could not
 * all be placed.
 */
export function sampleSeeds(
  rng: Rng,
  area: MultiPolygonCoords,
  count: number,
  minMetres: number,
  taken: Position[] = [],
  accept: (p: Position) => boolean = () => true,
): Position[] | null {
  const [w, s, e, n] = multiPolygonBBox(area)
  const shape = multiPolygon(area)
  const placed: Position[] = []
  for (let tries = 0; placed.length < count && tries < count * 500; tries++) {
    const p: Position = [w + (e - w) * rng(), s + (n - s) * rng()]
    if (!accept(p)) continue
    if ([...taken, ...placed].some((q) => metreDistance(p, q) < minMetres)) continue
    if (!booleanPointInPolygon(point(p), shape)) continue
    placed.push(p)
  }
  return placed.length === count ? placed : null
}
