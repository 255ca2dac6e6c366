import { MAX_VERTICES } from './limits.ts'

/** A position in lon/lat degrees. */
export type Position = [number, number]

/** MultiPolygon coordinates: polygons → rings → positions. */
export type MultiPolygonCoords = Position[][][]

/** Why an input geometry was refused (each is a message code of `boundaries.messages.ts`). */
export type GeometryInputProblem =
  | 'geometry_not_object'
  | 'geometry_collection_refused'
  | 'geometry_type_refused'
  | 'geometry_empty'
  | 'geometry_bad_coordinates'
  | 'geometry_not_number'
  | 'geometry_has_z'
  | 'geometry_out_of_range'
  | 'geometry_ring_too_short'
  | 'geometry_ring_not_closed'
  | 'geometry_too_many_vertices'

/** Result of {@link parsePolygonInput}. */
export type PolygonInputParse =
  | {
      valid: true
      /** The input as a MultiPolygon with every exterior ring counter-clockwise and every hole clockwise. */
      geometry: { type: 'MultiPolygon'; coordinates: MultiPolygonCoords }
      /** What was normalised: `multi` (a Polygon was promoted), `winding` (rings were reversed). */
      normalised: Array<'multi' | 'winding'>
      vertices: number
    }
  | { valid: false; reason: GeometryInputProblem; params: Record<string, unknown> }

function fail(reason: GeometryInputProblem, params: Record<string, unknown> = {}): PolygonInputParse {
  return { valid: false, reason, params }
}

/** Twice the signed planar area of a closed ring (positive = counter-clockwise). */
function twiceSignedArea(ring: Position[]): number {
  let sum = 0
  const [x0, y0] = ring[0]
  for (let i = 0; i < ring.length - 1; i++) {
    sum += (ring[i][0] - x0) * (ring[i + 1][1] - y0) - (ring[i + 1][0] - x0) * (ring[i][1] - y0)
  }
  return sum
}

/**
 * Checks a GeoJSON Polygon or MultiPolygon before it reaches PostGIS and
 * returns it as a MultiPolygon.
 *
 * Refused (each with its own reason): anything but an object with `type` and
 * `coordinates`; GeometryCollection and other types; empty geometries and
 * rings; positions that are not two finite numbers (NaN, Infinity, strings,
 * and a third coordinate: heights are refused rather than dropped, because a
 * 3-number position often means swapped or projected coordinates); longitudes
 * outside −180..180 or latitudes outside −90..90; rings with fewer than 4
 * positions or whose last position differs from the first; more than
 * {@link MAX_VERTICES} positions in all.
 *
 * Normalised (RFC 7946 §3.1.6 asks receivers not to reject the other
 * winding): rings are reversed so that exteriors run counter-clockwise and
 * holes clockwise; a Polygon becomes a one-part MultiPolygon.
 */
export function parsePolygonInput(input: unknown): PolygonInputParse {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return fail('geometry_not_object')
  const { type, coordinates } = input as { type?: unknown; coordinates?: unknown }
  if (type === 'GeometryCollection') return fail('geometry_collection_refused')
  if (type !== 'Polygon' && type !== 'MultiPolygon') return fail('geometry_type_refused', { type: String(type) })
  if (!Array.isArray(coordinates)) return fail('geometry_bad_coordinates', { path: 'coordinates' })
  if (coordinates.length === 0) return fail('geometry_empty')
  const polygons = (type === 'Polygon' ? [coordinates] : coordinates) as unknown[]
  const normalised: Array<'multi' | 'winding'> = type === 'Polygon' ? ['multi'] : []
  const result: MultiPolygonCoords = []
  let vertices = 0
  for (let p = 0; p < polygons.length; p++) {
    const rings = polygons[p]
    if (!Array.isArray(rings)) return fail('geometry_bad_coordinates', { path: `polygon ${p + 1}` })
    if (rings.length === 0) return fail('geometry_empty')
    const outRings: Position[][] = []
    for (let r = 0; r < rings.length; r++) {
      const ring = rings[r]
      const where = { polygon: p + 1, ring: r + 1 }
      if (!Array.isArray(ring)) return fail('geometry_bad_coordinates', { path: `polygon ${p + 1}, ring ${r + 1}` })
      if (ring.length === 0) return fail('geometry_empty')
      const positions: Position[] = []
      for (let i = 0; i < ring.length; i++) {
        const position = ring[i]
        const at = { ...where, position: i + 1 }
        if (!Array.isArray(position) || position.length < 2) return fail('geometry_bad_coordinates', { path: `polygon ${p + 1}, ring ${r + 1}, position ${i + 1}` })
        if (position.some((value) => typeof value !== 'number' || !Number.isFinite(value))) {
          return fail('geometry_not_number', { ...at, value: JSON.stringify(position) })
        }
        if (position.length > 2) return fail('geometry_has_z', at)
        const [lon, lat] = position as number[]
        if (lon < -180 || lon > 180 || lat < -90 || lat > 90) return fail('geometry_out_of_range', { ...at, lon, lat })
        positions.push([lon, lat])
      }
      vertices += positions.length
      if (vertices > MAX_VERTICES) return fail('geometry_too_many_vertices', { limit: MAX_VERTICES })
      if (positions.length < 4) return fail('geometry_ring_too_short', where)
      const first = positions[0]
      const last = positions[positions.length - 1]
      if (first[0] !== last[0] || first[1] !== last[1]) return fail('geometry_ring_not_closed', where)
      const counterClockwise = twiceSignedArea(positions) > 0
      if (counterClockwise !== (r === 0)) {
        positions.reverse()
        if (!normalised.includes('winding')) normalised.push('winding')
      }
      outRings.push(positions)
    }
    result.push(outRings)
  }
  return { valid: true, geometry: { type: 'MultiPolygon', coordinates: result }, normalised, vertices }
}
