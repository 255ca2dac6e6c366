import type { DraftArea, LngLat } from './geometry-types';
import { samePosition } from './same-position';

/**
 * Moves the vertex at `from` to `to` in every area that has it (a vertex
 * shared by neighbours moves in all of them). Returns the new areas and the
 * ids that changed.
 */
export function moveSharedVertex(areas: DraftArea[], from: LngLat, to: LngLat): { areas: DraftArea[]; changedIds: number[] } {
  const changedIds: number[] = [];
  const next = areas.map((area) => {
    let hit = false;
    const coords = area.coords.map((polygon) =>
      polygon.map((ring) =>
        ring.map((p) => {
          if (!samePosition(p, from)) return p;
          hit = true;
          return [to[0], to[1]];
        }),
      ),
    );
    if (hit) changedIds.push(area.id);
    return hit ? { id: area.id, coords } : area;
  });
  return { areas: next, changedIds };
}
