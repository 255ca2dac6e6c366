import type { LngLat } from './geometry-types';

/** Whether two positions are the same point, within `toleranceDeg` degrees on each axis (exact by default). */
export function samePosition(a: LngLat, b: LngLat, toleranceDeg = 0): boolean {
  return Math.abs(a[0] - b[0]) <= toleranceDeg && Math.abs(a[1] - b[1]) <= toleranceDeg;
}
