import { sql, type Expression, type RawBuilder } from 'kysely'

/** A bounding box in lon/lat degrees: [minLon, minLat, maxLon, maxLat]. */
export type Bbox = [number, number, number, number]

/** `ST_AsGeoJSON(geom, digits)` as JSON text. */
export function stAsGeoJson(geom: Expression<unknown>, maxDecimalDigits = 7): RawBuilder<string> {
  return sql<string>`ST_AsGeoJSON(${geom}, ${sql.lit(maxDecimalDigits)})`
}

/** `ST_MakeEnvelope(...)` in EPSG:4326. */
export function stMakeEnvelope(bbox: Bbox): RawBuilder<unknown> {
  const [minLon, minLat, maxLon, maxLat] = bbox
  return sql`ST_MakeEnvelope(${minLon}::float8, ${minLat}::float8, ${maxLon}::float8, ${maxLat}::float8, 4326)`
}

/** Index-assisted `geom && envelope AND ST_Intersects(geom, envelope)`. */
export function stIntersectsBbox(geom: Expression<unknown>, bbox: Bbox): RawBuilder<boolean> {
  const envelope = stMakeEnvelope(bbox)
  return sql<boolean>`(${geom} && ${envelope} AND ST_Intersects(${geom}, ${envelope}))`
}

/** A MultiPolygon in EPSG:4326 from GeoJSON geometry text (Polygon input is promoted). */
export function stMultiFromGeoJson(geojson: string): RawBuilder<unknown> {
  return sql`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326))`
}

/** `ST_Extent` of a column as `[minx, miny, maxx, maxy]` parts. */
export function stExtentParts(geom: Expression<unknown>): RawBuilder<{ xmin: number; ymin: number; xmax: number; ymax: number }> {
  return sql`json_build_object(
    'xmin', ST_XMin(ST_Extent(${geom})), 'ymin', ST_YMin(ST_Extent(${geom})),
    'xmax', ST_XMax(ST_Extent(${geom})), 'ymax', ST_YMax(ST_Extent(${geom})))`
}

/** A Point in EPSG:4326 from lon/lat degrees. */
export function stPoint(lon: number, lat: number): RawBuilder<unknown> {
  return sql`ST_SetSRID(ST_MakePoint(${lon}::float8, ${lat}::float8), 4326)`
}

/** `ST_X(geom)` (longitude of a 4326 point). */
export function stX(geom: Expression<unknown>): RawBuilder<number | null> {
  return sql<number | null>`ST_X(${geom})`
}

/** `ST_Y(geom)` (latitude of a 4326 point). */
export function stY(geom: Expression<unknown>): RawBuilder<number | null> {
  return sql<number | null>`ST_Y(${geom})`
}
