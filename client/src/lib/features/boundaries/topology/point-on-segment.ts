import type { LngLat } from './geometry-types';

/**
 * Where `point` lies on the segment `a`–`b`: the parameter `t` (0 at `a`,
 * 1 at `b`) of its closest point and the distance in degrees to it.
 */
export function pointOnSegment(point: LngLat, a: LngLat, b: LngLat): { t: number; distanceDeg: number } {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const lengthSquared = dx * dx + dy * dy;
  if (lengthSquared === 0) return { t: 0, distanceDeg: Math.hypot(point[0] - a[0], point[1] - a[1]) };
  const raw = ((point[0] - a[0]) * dx + (point[1] - a[1]) * dy) / lengthSquared;
  const t = Math.max(0, Math.min(1, raw));
  return { t, distanceDeg: Math.hypot(point[0] - (a[0] + t * dx), point[1] - (a[1] + t * dy)) };
}
