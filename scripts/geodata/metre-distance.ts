import type { Position } from '../../server/core/postgis/geometry.ts'

/** Approximate ground distance in metres between two nearby positions. */
export function metreDistance(a: Position, b: Position): number {
  const kx = Math.cos(((a[1] + b[1]) / 2) * (Math.PI / 180))
  return Math.hypot((a[0] - b[0]) * kx, a[1] - b[1]) * 111_195
}
