import type { DraftArea, LngLat } from './geometry-types';
import { SHARED_TOLERANCE_DEG } from './insert-shared-vertices';
import { pointOnSegment } from './point-on-segment';

type Box = [number, number, number, number];

function boxOf(area: DraftArea): Box {
  const box: Box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of area.coords) {
    for (const [x, y] of polygon[0] ?? []) {
      box[0] = Math.min(box[0], x);
      box[1] = Math.min(box[1], y);
      box[2] = Math.max(box[2], x);
      box[3] = Math.max(box[3], y);
    }
  }
  return box;
}

function vertexOnBoundary(vertex: LngLat, area: DraftArea, toleranceDeg: number): boolean {
  return area.coords.some((polygon) =>
    polygon.some((ring) => ring.some((a, i) => i < ring.length - 1 && pointOnSegment(vertex, a, ring[i + 1]).distanceDeg <= toleranceDeg)),
  );
}

function touches(a: DraftArea, b: DraftArea, toleranceDeg: number): boolean {
  return a.coords.some((polygon) => polygon.some((ring) => ring.some((vertex) => vertexOnBoundary(vertex, b, toleranceDeg))));
}

function overlaps(a: Box, b: Box, marginDeg: number): boolean {
  return a[0] <= b[2] + marginDeg && a[2] >= b[0] - marginDeg && a[1] <= b[3] + marginDeg && a[3] >= b[1] - marginDeg;
}

/**
 * The `candidates` a topological edit of `target` must carry along: those
 * whose boundary touches `target`'s (a vertex of one lies on an edge of the
 * other), then, transitively, those touching one of them, within the
 * target's box widened by half its size (a parent touched brings its other
 * children near the edit, whose T-junctions may lie on the parent's edges).
 */
export function touchingAreas(target: DraftArea, candidates: DraftArea[], toleranceDeg = SHARED_TOLERANCE_DEG): DraftArea[] {
  const box = boxOf(target);
  const marginDeg = Math.max(box[2] - box[0], box[3] - box[1]) * 0.5;
  let remaining = candidates.filter((candidate) => candidate.id !== target.id && overlaps(boxOf(candidate), box, marginDeg)).map((area) => ({ area, box: boxOf(area) }));
  const found: DraftArea[] = [];
  const queue = [{ area: target, box }];
  while (queue.length > 0) {
    const member = queue.shift()!;
    const touching = remaining.filter(
      (other) => overlaps(other.box, member.box, toleranceDeg) && (touches(member.area, other.area, toleranceDeg) || touches(other.area, member.area, toleranceDeg)),
    );
    if (touching.length === 0) continue;
    remaining = remaining.filter((other) => !touching.includes(other));
    found.push(...touching.map((other) => other.area));
    queue.push(...touching);
  }
  return found;
}
