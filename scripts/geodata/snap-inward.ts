import type { MultiPolygonCoords, Position } from '../../server/core/postgis/geometry.ts'
import { COORD_DECIMALS } from './round-coord.ts'

const FACTOR = 10 ** COORD_DECIMALS

/**
 * Rounds a point that lies on the boundary of `area` (an intersection point
 * computed by a clip) to the written precision, choosing among the four
 * surrounding grid positions the nearest one that is on the inner side of
 * the boundary edge the point lies on. Plain rounding could push the point a
 * few millimetres outside, and along a long straight edge that is already
 * a square metre; rounding inwards keeps pieces inside their parent, leaving
 * only sub-centimetre gaps.
 */
export function snapInward([lon, lat]: Position, area: MultiPolygonCoords): Position {
  let best = Infinity
  let edge: [Position, Position] | null = null
  for (const rings of area) {
    for (const ring of rings) {
      for (let i = 0; i < ring.length - 1; i++) {
        const d = segmentDistance2([lon, lat], ring[i], ring[i + 1])
        if (d < best) {
          best = d
          edge = [ring[i], ring[i + 1]]
        }
      }
    }
  }
  const [a, b] = edge!
  const xs = [Math.floor(lon * FACTOR), Math.ceil(lon * FACTOR)]
  const ys = [Math.floor(lat * FACTOR), Math.ceil(lat * FACTOR)]
  let chosen: Position | null = null
  let chosenDistance = Infinity
  for (const x of xs) {
    for (const y of ys) {
      const c: Position = [x / FACTOR, y / FACTOR]
      // Rings are counter-clockwise outside and clockwise for holes, so the inside is always on the left.
      const cross = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
      const distance = (c[0] - lon) ** 2 + (c[1] - lat) ** 2
      if (cross >= 0 && distance < chosenDistance) {
        chosen = c
        chosenDistance = distance
      }
    }
  }
  return chosen ?? [Math.round(lon * FACTOR) / FACTOR, Math.round(lat * FACTOR) / FACTOR]
}

function segmentDistance2(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const length2 = dx * dx + dy * dy
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
  return (p[0] - a[0] - t * dx) ** 2 + (p[1] - a[1] - t * dy) ** 2
}
