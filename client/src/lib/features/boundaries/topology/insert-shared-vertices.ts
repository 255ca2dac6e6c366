import type { DraftArea, LngLat, Ring } from './geometry-types';
import { pointOnSegment } from './point-on-segment';
import { samePosition } from './same-position';

/** Default tolerance: about a centimetre (the sample's T-junctions are not always exact to the millimetre). */
export const SHARED_TOLERANCE_DEG = 1e-7;

function allVertices(area: DraftArea): LngLat[] {
  return area.coords.flatMap((polygon) => polygon.flatMap((ring) => ring.slice(0, -1)));
}

/** `ring` with every vertex of `others` lying inside one of its edges inserted there; also snaps near-equal vertices onto theirs. */
function absorb(ring: Ring, others: LngLat[], toleranceDeg: number): { ring: Ring; changed: boolean } {
  let changed = false;
  const out: Ring = [];
  for (let i = 0; i < ring.length - 1; i++) {
    const a = ring[i];
    const b = ring[i + 1];
    const equal = others.find((v) => samePosition(v, a, toleranceDeg));
    if (equal && !samePosition(equal, a)) changed = true;
    out.push(equal ? [equal[0], equal[1]] : a);
    const inside = others
      .filter((v) => !samePosition(v, a, toleranceDeg) && !samePosition(v, b, toleranceDeg))
      .map((v) => ({ v, ...pointOnSegment(v, a, b) }))
      .filter((hit) => hit.distanceDeg <= toleranceDeg && hit.t > 0 && hit.t < 1)
      .sort((x, y) => x.t - y.t);
    for (const hit of inside) {
      if (out.some((p) => samePosition(p, hit.v))) continue;
      out.push([hit.v[0], hit.v[1]]);
      changed = true;
    }
  }
  out.push([out[0][0], out[0][1]]);
  return { ring: out, changed };
}

/**
 * Makes neighbours share vertices where they touch (topological editing):
 * a vertex of one area lying on an edge of another (a T-junction) is inserted
 * into that edge, and vertices within `toleranceDeg` of each other are made
 * identical. Returns the new areas, in input order, and the ids whose
 * coordinates changed. Shapes do not change (inserted vertices are collinear).
 */
export function insertSharedVertices(areas: DraftArea[], toleranceDeg = SHARED_TOLERANCE_DEG): { areas: DraftArea[]; changedIds: number[] } {
  const changedIds = new Set<number>();
  let current = areas.map((area) => ({ id: area.id, coords: area.coords.map((polygon) => polygon.map((ring) => ring.map((p) => [p[0], p[1]]))) }));
  for (let pass = 0; pass < 2; pass++) {
    current = current.map((area) => {
      const others = current.filter((other) => other.id !== area.id).flatMap(allVertices);
      const coords = area.coords.map((polygon) =>
        polygon.map((ring) => {
          const result = absorb(ring, others, toleranceDeg);
          if (result.changed) changedIds.add(area.id);
          return result.ring;
        }),
      );
      return { id: area.id, coords };
    });
  }
  return { areas: current, changedIds: [...changedIds] };
}
