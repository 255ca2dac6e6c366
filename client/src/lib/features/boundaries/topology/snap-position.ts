import type { LngLat } from './geometry-types';

/** Pixel position on the screen. */
export interface ScreenPoint {
  x: number;
  y: number;
}

/** Where the pointer may snap: neighbour vertices and edges. */
export interface SnapTargets {
  vertices: LngLat[];
  segments: Array<[LngLat, LngLat]>;
}

/**
 * The position the pointer snaps to: the nearest target vertex within
 * `tolerancePx` pixels, else the nearest point on a target edge within it
 * (interpolated in lon/lat, so it lies exactly on that edge), else `null`.
 */
export function snapPosition(pointer: ScreenPoint, targets: SnapTargets, project: (position: LngLat) => ScreenPoint, tolerancePx: number): LngLat | null {
  let best: { position: LngLat; distancePx: number } | null = null;
  for (const vertex of targets.vertices) {
    const p = project(vertex);
    const distancePx = Math.hypot(p.x - pointer.x, p.y - pointer.y);
    if (distancePx <= tolerancePx && (!best || distancePx < best.distancePx)) best = { position: vertex, distancePx };
  }
  if (best) return [best.position[0], best.position[1]];
  for (const [a, b] of targets.segments) {
    const pa = project(a);
    const pb = project(b);
    const dx = pb.x - pa.x;
    const dy = pb.y - pa.y;
    const lengthSquared = dx * dx + dy * dy;
    if (lengthSquared === 0) continue;
    const t = Math.max(0, Math.min(1, ((pointer.x - pa.x) * dx + (pointer.y - pa.y) * dy) / lengthSquared));
    const distancePx = Math.hypot(pa.x + t * dx - pointer.x, pa.y + t * dy - pointer.y);
    if (distancePx <= tolerancePx && (!best || distancePx < best.distancePx)) {
      best = { position: [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])], distancePx };
    }
  }
  return best ? best.position : null;
}
