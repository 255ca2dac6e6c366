import { CqlError, type GeometryValue, type Position } from './ast.ts'

type Coords = number[]

function bad(at: Position, reason: string): CqlError {
  return new CqlError('cql2_bad_geometry', { position: at, reason })
}

function checkPosition(value: unknown, at: Position): Coords {
  if (!Array.isArray(value) || value.length < 2 || value.length > 3 || !value.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    throw bad(at, 'a position is 2 or 3 numbers')
  }
  const [lon, lat] = value as number[]
  // CRS84 is the only filter-crs: longitude first, degrees.
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) throw bad(at, `(${lon} ${lat}) is outside CRS84 (longitude -180..180, latitude -90..90)`)
  return value as number[]
}

function checkLine(value: unknown, at: Position, minimum: number): Coords[] {
  if (!Array.isArray(value) || value.length < minimum) throw bad(at, `a line needs at least ${minimum} positions`)
  return value.map((position) => checkPosition(position, at))
}

function checkRing(value: unknown, at: Position): Coords[] {
  const ring = checkLine(value, at, 4)
  const first = ring[0]
  const last = ring[ring.length - 1]
  if (first[0] !== last[0] || first[1] !== last[1]) throw bad(at, 'a polygon ring must end where it starts')
  return ring
}

function checkPolygon(value: unknown, at: Position): Coords[][] {
  if (!Array.isArray(value) || value.length === 0) throw bad(at, 'a polygon needs at least one ring')
  return value.map((ring) => checkRing(ring, at))
}

function checkList<T>(value: unknown, at: Position, each: (item: unknown, at: Position) => T): T[] {
  if (!Array.isArray(value) || value.length === 0) throw bad(at, 'a multi-geometry needs at least one member')
  return value.map((item) => each(item, at))
}

/**
 * Checks a GeoJSON geometry object (from cql2-json or a parsed WKT literal):
 * its type, the nesting and count of its positions, closed rings and CRS84
 * ranges, so PostGIS never sees a literal it would fail on with a 500.
 */
export function checkGeometry(value: unknown, at: Position, depth = 0): GeometryValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(at, 'expected a GeoJSON geometry object')
  const { type, coordinates, geometries } = value as Record<string, unknown>
  switch (type) {
    case 'Point':
      return { type, coordinates: checkPosition(coordinates, at) }
    case 'LineString':
      return { type, coordinates: checkLine(coordinates, at, 2) }
    case 'Polygon':
      return { type, coordinates: checkPolygon(coordinates, at) }
    case 'MultiPoint':
      return { type, coordinates: checkList(coordinates, at, checkPosition) }
    case 'MultiLineString':
      return { type, coordinates: checkList(coordinates, at, (line, where) => checkLine(line, where, 2)) }
    case 'MultiPolygon':
      return { type, coordinates: checkList(coordinates, at, checkPolygon) }
    case 'GeometryCollection':
      if (depth > 2) throw bad(at, 'geometry collections nest at most 3 deep')
      return { type, geometries: checkList(geometries, at, (member, where) => checkGeometry(member, where, depth + 1)) }
    default:
      throw bad(at, `unknown geometry type ${JSON.stringify(type)}`)
  }
}

/** The polygon of a CQL2 `BBOX(minLon, minLat, maxLon, maxLat)` literal (heights dropped). */
export function bboxPolygon(numbers: number[], at: Position): GeometryValue {
  if (numbers.length !== 4 && numbers.length !== 6) throw bad(at, 'BBOX takes 4 numbers (or 6 with heights)')
  const [minLon, minLat, maxLon, maxLat] = numbers.length === 4 ? numbers : [numbers[0], numbers[1], numbers[3], numbers[4]]
  if (minLat > maxLat) throw bad(at, 'the BBOX minimum latitude is above its maximum')
  if (minLon > maxLon) throw bad(at, 'a BBOX across the antimeridian is not supported')
  return checkGeometry(
    { type: 'Polygon', coordinates: [[[minLon, minLat], [maxLon, minLat], [maxLon, maxLat], [minLon, maxLat], [minLon, minLat]]] },
    at,
  )
}
