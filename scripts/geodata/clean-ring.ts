import type { Position, Ring } from '../../server/core/postgis/geometry.ts'
import { roundCoord } from './round-coord.ts'
import { ringSignedArea } from './ring-signed-area.ts'

/**
 * Rounds a ring's coordinates, drops repeated consecutive positions, closes it
 * and orients it (counter-clockwise for exteriors, clockwise for holes, as
 * RFC 7946 asks). Returns null when fewer than three distinct positions remain.
 */
export function cleanRing(ring: Position[], exterior: boolean): Ring | null {
  const out: Ring = []
  for (const [lon, lat] of ring) {
    const p: Position = [roundCoord(lon), roundCoord(lat)]
    const last = out[out.length - 1]
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p)
  }
  while (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) out.pop()
  if (out.length < 3) return null
  out.push([out[0][0], out[0][1]])
  const area = ringSignedArea(out)
  if (area === 0) return null
  if (area > 0 !== exterior) out.reverse()
  return out
}
