import type { BBox, MultiPolygonCoords } from '../../server/core/postgis/geometry.ts'

/** Bounding box of MultiPolygon coordinates. */
export function multiPolygonBBox(polygons: MultiPolygonCoords): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity]
  for (const rings of polygons) {
    for (const ring of rings) {
      for (const [lon, lat] of ring) {
        if (lon < box[0]) box[0] = lon
        if (lat < box[1]) box[1] = lat
        if (lon > box[2]) box[2] = lon
        if (lat > box[3]) box[3] = lat
      }
    }
  }
  return box
}
