import { booleanPointInPolygon, multiPolygon, point } from '@turf/turf'
import type { MultiPolygonCoords, Position } from '../../server/core/postgis/geometry.ts'
import { multiPolygonBBox } from './multipolygon-bbox.ts'

/**
 * Integrates `density` over each area on a regular lattice of `step` degrees
 * (sum of density at the lattice points inside, times the cell size in
 * degrees²), plus the density at the area's centroid times a tenth of its own
 * size so that small areas between lattice points are not missed.
 */
export function latticeWeights(
  areas: MultiPolygonCoords[],
  centroids: Position[],
  density: (p: Position) => number,
  step: number,
): number[] {
  return areas.map((coords, i) => {
    const [w, s, e, n] = multiPolygonBBox(coords)
    const shape = multiPolygon(coords)
    let sum = 0
    for (let x = Math.ceil(w / step); x * step <= e; x++) {
      for (let y = Math.ceil(s / step); y * step <= n; y++) {
        const p: Position = [x * step, y * step]
        const value = density(p)
        if (value > 0 && booleanPointInPolygon(point(p), shape)) sum += value
      }
    }
    return sum * step * step + density(centroids[i]) * (e - w) * (n - s) * 0.1
  })
}
