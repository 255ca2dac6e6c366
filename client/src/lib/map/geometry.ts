import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';

/** A west, south, east, north box in degrees. */
export type Bounds = [number, number, number, number];

type Ring = Position[];

function polygonsOf(geometry: Polygon | MultiPolygon): Ring[][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

function ringBounds(ring: Ring): Bounds {
  const bounds: Bounds = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ring) {
    bounds[0] = Math.min(bounds[0], x);
    bounds[1] = Math.min(bounds[1], y);
    bounds[2] = Math.max(bounds[2], x);
    bounds[3] = Math.max(bounds[3], y);
  }
  return bounds;
}

/** The bounding box of a polygon feature. */
export function featureBounds(feature: Feature<Polygon | MultiPolygon>): Bounds {
  const outer = polygonsOf(feature.geometry).map((polygon) => ringBounds(polygon[0] ?? []));
  return outer.reduce(
    (a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])],
    [Infinity, Infinity, -Infinity, -Infinity] as Bounds,
  );
}

function ringArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    sum += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return Math.abs(sum / 2);
}

function largestPolygon(geometry: Polygon | MultiPolygon): Ring[] {
  const polygons = polygonsOf(geometry);
  return polygons.reduce((best, polygon) => (ringArea(polygon[0] ?? []) > ringArea(best[0] ?? []) ? polygon : best), polygons[0]);
}

/** Signed distance (positive inside) from a point to a polygon's edges, x pre-scaled by `kx`. */
function signedDistance(x: number, y: number, polygon: Ring[], kx: number): number {
  let inside = false;
  let minSq = Infinity;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const ax = ring[i][0] * kx;
      const ay = ring[i][1];
      const bx = ring[j][0] * kx;
      const by = ring[j][1];
      if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
      minSq = Math.min(minSq, segmentDistanceSq(x, y, ax, ay, bx, by));
    }
  }
  return (inside ? 1 : -1) * Math.sqrt(minSq);
}

function segmentDistanceSq(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSq = dx * dx + dy * dy;
  const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSq));
  const ex = px - (ax + t * dx);
  const ey = py - (ay + t * dy);
  return ex * ex + ey * ey;
}

/**
 * A good point to put a polygon's label: far from its edges (an approximate pole of
 * inaccessibility found by a coarse grid search refined twice), in the largest part.
 */
export function labelPoint(geometry: Polygon | MultiPolygon): Position {
  const polygon = largestPolygon(geometry);
  const [west, south, east, north] = ringBounds(polygon[0] ?? []);
  const kx = Math.cos((((south + north) / 2) * Math.PI) / 180);
  let best = { x: ((west + east) / 2) * kx, y: (south + north) / 2, d: -Infinity };
  let half = { x: ((east - west) / 2) * kx, y: (north - south) / 2 };
  const steps = 8;
  for (let round = 0; round < 3; round++) {
    const centre = { x: best.x, y: best.y };
    for (let i = 0; i <= steps; i++) {
      for (let j = 0; j <= steps; j++) {
        const x = centre.x - half.x + (2 * half.x * i) / steps;
        const y = centre.y - half.y + (2 * half.y * j) / steps;
        const d = signedDistance(x, y, polygon, kx);
        if (d > best.d) best = { x, y, d };
      }
    }
    half = { x: (half.x * 2) / steps, y: (half.y * 2) / steps };
  }
  return [best.x / kx, best.y];
}

/** Label points of an area collection, carrying the properties the labels need. */
export function labelPoints<P extends { name: string; nameEn: string | null }>(
  features: Array<Feature<Polygon | MultiPolygon, P> & { id: number }>,
): FeatureCollection<Point, P> {
  return {
    type: 'FeatureCollection',
    features: features.map((feature) => ({
      type: 'Feature',
      id: feature.id,
      geometry: { type: 'Point', coordinates: labelPoint(feature.geometry) },
      properties: feature.properties,
    })),
  };
}
