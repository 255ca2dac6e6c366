import type { Geometry } from 'geojson'
import type { MultiPolygonCoords, Position } from '../../server/core/postgis/geometry.ts'
import { cleanRing } from './clean-ring.ts'

/**
 * Turns a Polygon or MultiPolygon geometry into cleaned MultiPolygon
 * coordinates (rounded, deduplicated, RFC 7946 winding). Degenerate rings
 * are dropped; a polygon whose exterior degenerates is dropped whole.
 */
export function cleanMultiPolygon(geometry: Geometry): MultiPolygonCoords {
  let polygons: Position[][][]
  if (geometry.type === 'Polygon') polygons = [geometry.coordinates as Position[][]]
  else if (geometry.type === 'MultiPolygon') polygons = geometry.coordinates as Position[][][]
  else throw new Error(`Expected a polygonal geometry, got ${geometry.type}`)
  const out: MultiPolygonCoords = []
  for (const rings of polygons) {
    const exterior = cleanRing(rings[0], true)
    if (!exterior) continue
    const holes = rings.slice(1).map((ring) => cleanRing(ring, false))
    out.push([exterior, ...holes.filter((hole) => hole !== null)])
  }
  return out
}
