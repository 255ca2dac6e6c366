import { area, booleanValid, multiPolygon } from '@turf/turf'
import type { MultiPolygonCoords, Position } from '../../server/core/postgis/geometry.ts'
import type { Rng } from './prng.ts'
import { multiPolygonBBox } from './multipolygon-bbox.ts'
import { planarCentroid } from './planar-centroid.ts'
import { readingOrder } from '../../server/features/areas/boundaries/reading-order.ts'
import { voronoiPartition } from './voronoi-partition.ts'

/** How to subdivide one area. */
export interface SubdivideOptions {
  /** Draws a fresh set of seeds (null when it could not). */
  drawSeeds: (rng: Rng) => Position[] | null
  /** Smallest piece allowed, as a fraction of an equal share of the parent. */
  minShare: number
  /** Extra vertices on cell edges, when the pieces will be split further. */
  densifyMetres?: number
  /** Attempts before giving up. */
  maxAttempts?: number
}

/**
 * Splits `parent` into Voronoi pieces, retrying with new seeds (from the same
 * seeded stream) until every piece is one valid polygon no smaller than the
 * allowed share, the pieces add up to the parent, and their reading order is
 * unambiguous. Pieces are returned in reading order (sequence 1 first).
 */
export function subdivide(rng: Rng, parent: MultiPolygonCoords, options: SubdivideOptions): MultiPolygonCoords[] {
  const parentArea = area(multiPolygon(parent))
  const [, south, , north] = multiPolygonBBox(parent)
  const maxAttempts = options.maxAttempts ?? 400
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const seeds = options.drawSeeds(rng)
    if (!seeds) continue
    const pieces = voronoiPartition(parent, seeds, options.densifyMetres)
    if (!pieces) continue
    const areas = pieces.map((piece) => area(multiPolygon(piece)))
    const minArea = (options.minShare * parentArea) / pieces.length
    if (areas.some((a) => a < minArea)) continue
    const total = areas.reduce((sum, a) => sum + a, 0)
    if (Math.abs(total - parentArea) > parentArea * 2e-5) continue
    if (!pieces.every((piece) => booleanValid(multiPolygon(piece)))) continue
    const { order, ambiguous } = readingOrder(pieces.map(planarCentroid), south, north)
    if (ambiguous) continue
    return order.map((i) => pieces[i])
  }
  throw new Error(`could not subdivide an area after ${maxAttempts} attempts`)
}
