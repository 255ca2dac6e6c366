import type { MultiPolygonCoords, Position } from '../../server/core/postgis/geometry.ts'

/**
 * Area-weighted centroid of MultiPolygon coordinates, computed in the plane of
 * lon/lat degrees (shoelace formula over every ring; holes, being clockwise,
 * subtract). Coordinates are taken relative to the first vertex for precision.
 */
export function planarCentroid(polygons: MultiPolygonCoords): Position {
  const [x0, y0] = polygons[0][0][0]
  let twiceArea = 0
  let sx = 0
  let sy = 0
  for (const rings of polygons) {
    for (const ring of rings) {
      for (let i = 0; i < ring.length - 1; i++) {
        const xa = ring[i][0] - x0
        const ya = ring[i][1] - y0
        const xb = ring[i + 1][0] - x0
        const yb = ring[i + 1][1] - y0
        const cross = xa * yb - xb * ya
        twiceArea += cross
        sx += (xa + xb) * cross
        sy += (ya + yb) * cross
      }
    }
  }
  return [x0 + sx / (3 * twiceArea), y0 + sy / (3 * twiceArea)]
}
