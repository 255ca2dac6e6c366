import { area, booleanValid, multiPolygon } from '@turf/turf'
import type { BBox, MultiPolygonCoords, Position, Ring } from '../../../server/core/postgis/geometry.ts'
import type { Rng } from '../prng.ts'
import { cleanMultiPolygon } from '../clean-multipolygon.ts'
import { intersectAreas } from '../clip.ts'
import { makeWiggle } from '../wiggle.ts'
import { multiPolygonBBox } from '../multipolygon-bbox.ts'
import { roundCoord } from '../round-coord.ts'
import { voronoiCells } from '../voronoi-cells.ts'

/** Degrees (about 10 cm): a point this near one of Xizhou's edges lies on it. */
const ON_EDGE_DEGREES = 1e-6

/**
 * A smooth displacement of the plane (a few hundred metres, gentle enough
 * never to fold an edge): applied to every vertex of the Voronoi cells, it
 * bends the straight cell edges into plausible town borders while cells that
 * share an edge keep sharing exactly the same vertices.
 */
function makeWarp(rng: Rng): (p: Position) => Position {
  const lonByLat = makeWiggle(rng, 0.004, [0.09, 0.04])
  const lonByLon = makeWiggle(rng, 0.0015, [0.07])
  const latByLon = makeWiggle(rng, 0.004, [0.09, 0.04])
  const latByLat = makeWiggle(rng, 0.0015, [0.07])
  return ([lon, lat]) => [roundCoord(lon + lonByLat(lat) + lonByLon(lon)), roundCoord(lat + latByLon(lon) + latByLat(lat))]
}

/**
 * Moves every point of `pieces` that the clip created on one of `fixed`'s
 * edges (a town border meeting Xizhou's outline between two of its vertices)
 * to the nearer end of that edge. Both towns on either side of such a border
 * got the very same clip point, so both move it the same way: the borders of
 * the new towns then meet Xizhou only at Xizhou's own vertices, and Xizhou,
 * whose data must not change, needs no new vertex.
 */
function snapToFixedVertices(pieces: MultiPolygonCoords[], fixed: Ring, known: Set<string>): MultiPolygonCoords[] {
  const move = (p: Position): Position => {
    if (known.has(`${p[0]},${p[1]}`)) return p
    for (let i = 0; i < fixed.length - 1; i++) {
      const [a, b] = [fixed[i], fixed[i + 1]]
      if (segmentDistance(p, a, b) > ON_EDGE_DEGREES) continue
      return Math.hypot(p[0] - a[0], p[1] - a[1]) <= Math.hypot(p[0] - b[0], p[1] - b[1]) ? a : b
    }
    return p
  }
  return pieces.map((piece) =>
    cleanMultiPolygon({ type: 'MultiPolygon', coordinates: piece.map((rings) => rings.map((ring) => ring.map(move))) }),
  )
}

function segmentDistance(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const length2 = dx * dx + dy * dy
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)
}

/**
 * Splits `rest` (the county without Xizhou) into one town per seed: warped
 * Voronoi cells (edges densified every 300 m) clipped to `rest`, their
 * meeting points with Xizhou moved onto Xizhou's vertices. Retries with
 * jittered seeds until every town is one valid polygon and the towns add up
 * to `rest`. Towns come back in the order of `seeds`.
 */
export function partitionTowns(rng: Rng, rest: MultiPolygonCoords, xizhou: Ring, seeds: Position[]): MultiPolygonCoords[] {
  const restM2 = area(multiPolygon(rest))
  const [w, s, e, n] = multiPolygonBBox(rest)
  const box: BBox = [w - 0.05, s - 0.05, e + 0.05, n + 0.05]
  for (let attempt = 0; attempt < 200; attempt++) {
    const jittered = seeds.map(([lon, lat]): Position => [lon + (rng() - 0.5) * 0.01, lat + (rng() - 0.5) * 0.01])
    const warp = makeWarp(rng)
    const cells = voronoiCells(jittered, box, 300)
    if (cells.some((cell) => cell === null)) continue
    const warped = cells.map((cell) => cell!.map(warp))
    const known = new Set<string>()
    for (const ring of [...warped, ...rest.flat()]) for (const [x, y] of ring) known.add(`${x},${y}`)
    const clipped = warped.map((cell) => intersectAreas([[cell]], rest))
    if (clipped.some((piece) => piece.length !== 1)) continue
    const pieces = snapToFixedVertices(clipped, xizhou, known)
    if (pieces.some((piece) => piece.length !== 1 || !booleanValid(multiPolygon(piece)))) continue
    const total = pieces.reduce((sum, piece) => sum + area(multiPolygon(piece)), 0)
    if (Math.abs(total - restM2) > restM2 * 1e-5) continue
    return pieces
  }
  throw new Error('could not partition the county into towns')
}
