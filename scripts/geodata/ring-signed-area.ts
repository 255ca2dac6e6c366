import type { Ring } from '../../server/core/postgis/geometry.ts'

/**
 * Planar signed area of a closed ring in square degrees: positive when the
 * ring runs counter-clockwise. Coordinates are taken relative to the first
 * vertex to keep precision.
 */
export function ringSignedArea(ring: Ring): number {
  const [x0, y0] = ring[0]
  let twice = 0
  for (let i = 0; i < ring.length - 1; i++) {
    const xa = ring[i][0] - x0
    const ya = ring[i][1] - y0
    const xb = ring[i + 1][0] - x0
    const yb = ring[i + 1][1] - y0
    twice += xa * yb - xb * ya
  }
  return twice / 2
}
