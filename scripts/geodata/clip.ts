import { difference, featureCollection, intersect, multiPolygon } from '@turf/turf'
import type { Geometry } from 'geojson'
import type { MultiPolygonCoords, Position } from '../../server/core/postgis/geometry.ts'
import { cleanMultiPolygon } from './clean-multipolygon.ts'
import { snapInward } from './snap-inward.ts'

/**
 * Intersection of two areas, cleaned (empty array when they do not meet).
 * Inputs must already be rounded; points the clip creates are rounded towards
 * the inside of `snapInto` (default `b`), see `snapInward`.
 */
export function intersectAreas(
  a: MultiPolygonCoords,
  b: MultiPolygonCoords,
  snapInto: MultiPolygonCoords = b,
): MultiPolygonCoords {
  const result = intersect(featureCollection([multiPolygon(a), multiPolygon(b)]))
  return result ? snapNewPoints(result.geometry, [a, b], snapInto) : []
}

/**
 * `a` minus `b`, cleaned (empty array when nothing is left); points the clip
 * creates are rounded towards the inside of `a`.
 */
export function subtractAreas(a: MultiPolygonCoords, b: MultiPolygonCoords): MultiPolygonCoords {
  const result = difference(featureCollection([multiPolygon(a), multiPolygon(b)]))
  return result ? snapNewPoints(result.geometry, [a, b], a) : []
}

function snapNewPoints(geometry: Geometry, inputs: MultiPolygonCoords[], snapInto: MultiPolygonCoords): MultiPolygonCoords {
  const known = new Set<string>()
  for (const input of inputs) {
    for (const rings of input) for (const ring of rings) for (const [x, y] of ring) known.add(`${x},${y}`)
  }
  const snap = (p: Position): Position => (known.has(`${p[0]},${p[1]}`) ? p : snapInward(p, snapInto))
  if (geometry.type === 'Polygon') {
    return cleanMultiPolygon({ type: 'Polygon', coordinates: geometry.coordinates.map((ring) => ring.map((p) => snap(p as Position))) })
  }
  if (geometry.type === 'MultiPolygon') {
    return cleanMultiPolygon({
      type: 'MultiPolygon',
      coordinates: geometry.coordinates.map((rings) => rings.map((ring) => ring.map((p) => snap(p as Position)))),
    })
  }
  throw new Error(`Expected a polygonal geometry, got ${geometry.type}`)
}
