import type { DraftArea, LngLat } from './geometry-types';
import type { SnapTargets } from './snap-position';
import { samePosition } from './same-position';

/**
 * The vertices and edges of `areas` the pointer may snap to while `dragged`
 * (the vertex being moved, if any) is dragged: that vertex and the edges
 * touching it are left out, since they move with it.
 */
export function snapTargets(areas: DraftArea[], dragged: LngLat | null): SnapTargets {
  const vertices: LngLat[] = [];
  const segments: Array<[LngLat, LngLat]> = [];
  for (const area of areas) {
    for (const polygon of area.coords) {
      for (const ring of polygon) {
        for (let i = 0; i < ring.length - 1; i++) {
          const a = ring[i];
          const b = ring[i + 1];
          const moving = dragged !== null && (samePosition(a, dragged) || samePosition(b, dragged));
          if (!dragged || !samePosition(a, dragged)) vertices.push(a);
          if (!moving) segments.push([a, b]);
        }
      }
    }
  }
  return { vertices, segments };
}
