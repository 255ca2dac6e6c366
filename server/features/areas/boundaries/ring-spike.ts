import { SPIKE_ANGLE_DEG } from './limits.ts'
import type { MultiPolygonCoords, Position } from './polygon-input.ts'

/** Result of {@link checkSpikes}: the first spike found, if any. */
export type SpikeCheck = { valid: true } | { valid: false; reason: 'spike'; at: Position; angleDeg: number }

/**
 * Finds spikes: a ring vertex whose interior angle is below
 * {@link SPIKE_ANGLE_DEG} (1°). Angles are measured in a local plane where a
 * degree of longitude is shrunk by cos(latitude), so they are true angles on
 * the ground. Repeated positions are skipped; a vertex whose neighbours
 * coincide with it has no angle. Such needles are usually a vertex dragged
 * by mistake and leave slivers of overlap or gap next door.
 */
export function checkSpikes(polygons: MultiPolygonCoords, minAngleDeg = SPIKE_ANGLE_DEG): SpikeCheck {
  for (const rings of polygons) {
    for (const ring of rings) {
      const points = ring.slice(0, -1).filter((point, i, all) => i === 0 || point[0] !== all[i - 1][0] || point[1] !== all[i - 1][1])
      if (points.length > 1 && points[0][0] === points[points.length - 1][0] && points[0][1] === points[points.length - 1][1]) points.pop()
      const n = points.length
      if (n < 3) continue
      const scale = Math.cos((points[0][1] * Math.PI) / 180)
      for (let i = 0; i < n; i++) {
        const previous = points[(i + n - 1) % n]
        const vertex = points[i]
        const next = points[(i + 1) % n]
        const ax = (previous[0] - vertex[0]) * scale
        const ay = previous[1] - vertex[1]
        const bx = (next[0] - vertex[0]) * scale
        const by = next[1] - vertex[1]
        const angle = (Math.abs(Math.atan2(ax * by - ay * bx, ax * bx + ay * by)) * 180) / Math.PI
        if (angle < minAngleDeg) return { valid: false, reason: 'spike', at: vertex, angleDeg: angle }
      }
    }
  }
  return { valid: true }
}
