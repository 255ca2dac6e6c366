import type { LngLat, Ring } from './geometry-types';
import { samePosition } from './same-position';

/** What one edit did to a ring. */
export type RingChange =
  | { kind: 'none' }
  | { kind: 'move'; from: LngLat; to: LngLat }
  | { kind: 'insert'; at: LngLat }
  | { kind: 'delete'; at: LngLat }
  | { kind: 'other' };

function openRing(ring: Ring): Ring {
  return ring.length > 1 && samePosition(ring[0], ring[ring.length - 1]) ? ring.slice(0, -1) : ring;
}

/**
 * Compares a ring before and after one edit of the drawing tool and names the
 * edit: a vertex moved, inserted or deleted (or something else, e.g. the
 * ring was rotated or several vertices changed).
 */
export function ringChange(before: Ring, after: Ring): RingChange {
  const a = openRing(before);
  const b = openRing(after);
  if (a.length === b.length) {
    const differing = a.map((p, i) => i).filter((i) => !samePosition(a[i], b[i]));
    if (differing.length === 0) return { kind: 'none' };
    if (differing.length === 1) return { kind: 'move', from: a[differing[0]], to: b[differing[0]] };
    return { kind: 'other' };
  }
  const [longer, shorter] = b.length > a.length ? [b, a] : [a, b];
  if (longer.length !== shorter.length + 1) return { kind: 'other' };
  const index = longer.findIndex((p, i) => i >= shorter.length || !samePosition(p, shorter[i]));
  const rest = longer.slice(index + 1).every((p, i) => samePosition(p, shorter[index + i]));
  if (!rest) return { kind: 'other' };
  return b.length > a.length ? { kind: 'insert', at: longer[index] } : { kind: 'delete', at: longer[index] };
}
