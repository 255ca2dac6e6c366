import gcoord from 'gcoord'

/** Coordinate systems an import may come in. */
export type SourceCrs = 'wgs84' | 'cgcs2000' | 'gcj02'

type Coordinates = number[] | Coordinates[]

function mapPositions(coordinates: Coordinates, convert: (position: number[]) => number[]): Coordinates {
  if (coordinates.length > 0 && typeof coordinates[0] === 'number') return convert(coordinates as number[])
  return (coordinates as Coordinates[]).map((inner) => mapPositions(inner, convert))
}

/**
 * Converts a geometry's coordinates from `source` to WGS84 (EPSG:4326).
 *
 * - `wgs84`: unchanged.
 * - `cgcs2000` (EPSG:4490): unchanged. CGCS2000 and WGS84 share the same
 *   origin and nearly the same ellipsoid; positions differ by a few
 *   centimetres at this epoch, far below the 1 m² tolerance of the grid rules.
 * - `gcj02` (the "Mars" coordinates of Chinese web maps): inverted with
 *   gcoord (iterative, sub-millimetre in China).
 *
 * Positions that are not pairs of numbers are left as they are for the
 * geometry checks to refuse.
 */
export function toWgs84<T extends { type: string; coordinates?: unknown }>(geometry: T, source: SourceCrs): T {
  if (source !== 'gcj02' || !Array.isArray(geometry.coordinates)) return geometry
  const convert = (position: number[]) => {
    if (position.length < 2 || !position.every((value) => typeof value === 'number' && Number.isFinite(value))) return position
    const [lon, lat] = gcoord.transform([position[0], position[1]], gcoord.GCJ02, gcoord.WGS84) as [number, number]
    return [lon, lat, ...position.slice(2)]
  }
  return { ...geometry, coordinates: mapPositions(geometry.coordinates as Coordinates, convert) }
}
