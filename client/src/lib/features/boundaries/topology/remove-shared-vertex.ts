import type { DraftArea, LngLat, Ring } from './geometry-types';
import { samePosition } from './same-position';

function withoutVertex(ring: Ring, at: LngLat): Ring | null {
  const open = ring.slice(0, -1);
  const kept = open.filter((p) => !samePosition(p, at));
  if (kept.length === open.length || kept.length < 3) return null;
  return [...kept, [kept[0][0], kept[0][1]]];
}

/**
 * Deletes the vertex at `at` from every area that has it (a shared vertex goes
 * from all neighbours), unless a ring would be left with fewer than three
 * corners. Returns the new areas and the ids that changed.
 */
export function removeSharedVertex(areas: DraftArea[], at: LngLat): { areas: DraftArea[]; changedIds: number[] } {
  const changedIds: number[] = [];
  const next = areas.map((area) => {
    let hit = false;
    const coords = area.coords.map((polygon) =>
      polygon.map((ring) => {
        const shorter = withoutVertex(ring, at);
        if (!shorter) return ring;
        hit = true;
        return shorter;
      }),
    );
    if (hit) changedIds.push(area.id);
    return hit ? { id: area.id, coords } : area;
  });
  return { areas: next, changedIds };
}
