import type { Ring } from '../../server/core/postgis/geometry.ts'
import { densifyEdge } from './densify-edge.ts'

/** Adds points along every edge of a closed ring (see `densifyEdge`). */
export function densifyRing(ring: Ring, maxMetres: number): Ring {
  const out: Ring = []
  for (let i = 0; i < ring.length - 1; i++) {
    out.push(ring[i], ...densifyEdge(ring[i], ring[i + 1], maxMetres))
  }
  out.push(ring[ring.length - 1])
  return out
}
