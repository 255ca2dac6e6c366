import { featureCollection, point, voronoi } from '@turf/turf'
import type { BBox, Position, Ring } from '../../server/core/postgis/geometry.ts'
import { roundCoord } from './round-coord.ts'
import { densifyRing } from './densify-ring.ts'

/**
 * Voronoi cells of `seeds` covering `box`, one closed ring per seed (null for
 * a seed that got no cell). Cells are computed in a locally equal-distance
 * plane (longitude scaled by cos latitude), brought back to degrees and
 * rounded; neighbouring cells share exactly the same vertices. With
 * `densifyMetres` every edge gets extra vertices (identical on both sides).
 */
export function voronoiCells(seeds: Position[], box: BBox, densifyMetres?: number): Array<Ring | null> {
  const lon0 = (box[0] + box[2]) / 2
  const lat0 = (box[1] + box[3]) / 2
  const k = Math.cos((lat0 * Math.PI) / 180)
  const toPlane = ([lon, lat]: Position): Position => [(lon - lon0) * k, lat - lat0]
  const [w, s] = toPlane([box[0], box[1]])
  const [e, n] = toPlane([box[2], box[3]])
  const cells = voronoi(featureCollection(seeds.map((seed) => point(toPlane(seed)))), { bbox: [w, s, e, n] })
  return cells.features.map((cell) => {
    if (!cell) return null
    const ring = (cell.geometry.coordinates[0] as Position[]).map(
      ([x, y]): Position => [roundCoord(lon0 + x / k), roundCoord(lat0 + y)],
    )
    return densifyMetres ? densifyRing(ring, densifyMetres) : ring
  })
}
