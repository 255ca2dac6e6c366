import type { Position } from '../../server/core/postgis/geometry.ts'
import { roundCoord } from './round-coord.ts'

/** Metres per degree of latitude (spherical Earth, as turf uses). */
const METRES_PER_DEGREE = 111_195

/**
 * Points strictly between `a` and `b` so that no piece is longer than
 * `maxMetres`, rounded to the written precision. The result depends only on
 * the unordered pair {a, b}: the same edge walked either way (as two
 * neighbouring cells do) gets exactly the same points, in walking order.
 */
export function densifyEdge(a: Position, b: Position, maxMetres: number): Position[] {
  const swap = a[0] > b[0] || (a[0] === b[0] && a[1] > b[1])
  const [p, q] = swap ? [b, a] : [a, b]
  const kx = Math.cos(((p[1] + q[1]) / 2) * (Math.PI / 180))
  const metres = Math.hypot((q[0] - p[0]) * kx, q[1] - p[1]) * METRES_PER_DEGREE
  const pieces = Math.ceil(metres / maxMetres)
  const points: Position[] = []
  for (let i = 1; i < pieces; i++) {
    const t = i / pieces
    points.push([roundCoord(p[0] + (q[0] - p[0]) * t), roundCoord(p[1] + (q[1] - p[1]) * t)])
  }
  return swap ? points.reverse() : points
}
