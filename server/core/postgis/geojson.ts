import { sql, type Expression, type RawBuilder } from 'kysely'
import { utf8Body } from '../http/utf8-body.ts'

/**
 * Decimal digits of every coordinate the API writes: 7 decimals of a degree
 * are about 1 cm on the ground (1e-7° ≈ 1.1 cm of latitude), finer than any
 * survey of a grid boundary, and the precision the sample township is stored
 * at. Boundary edits round-trip at it too: an unchanged shared vertex comes
 * back as the same 7-decimal text from both neighbours, and an import counts
 * as unchanged within 1e-7° (`UNCHANGED_HAUSDORFF_DEG`), above the largest
 * rounding error of a vertex (√2 · 0.5e-7°).
 */
export const GEOJSON_DIGITS = 7

/**
 * Decimals of the geometries the boundary editor works with (validation,
 * split and merge results, impact previews, history and boundary export):
 * 9, about 0.1 mm. The pieces of a split are new vertices on the edges of
 * neighbours; the editor saves them as it received them, so rounding them to
 * 7 decimals (up to 5 mm off the shared edge) opened gaps of several square
 * metres between a split grid and its neighbours (tests/browser/boundaries.test.ts,
 * "splits a grid along a drawn line", measured 9.45 m² against a 1 m² tolerance).
 */
export const EDIT_GEOJSON_DIGITS = 9

/** A geometry-valued SQL expression (a column reference, a `RawBuilder`…); PostGIS geometry has no TypeScript type here. */
export type GeometryExpression = Expression<unknown>

/**
 * A geometry as GeoJSON geometry text at the API's precision (SQL NULL for NULL).
 *
 * Emits: `ST_AsGeoJSON(<geom>, 7)`
 */
export function asGeoJson(geom: GeometryExpression, digits: number = GEOJSON_DIGITS): RawBuilder<string> {
  return sql<string>`ST_AsGeoJSON(${geom}, ${sql.lit(digits)})`
}

/**
 * A geometry in EPSG:4326 from GeoJSON geometry text (a bound string or a text column).
 *
 * Emits: `ST_SetSRID(ST_GeomFromGeoJSON(<text>::text), 4326)`
 */
export function geomFromGeoJson(geojson: string | null | Expression<string | null>): RawBuilder<unknown> {
  return sql`ST_SetSRID(ST_GeomFromGeoJSON(${geojson}::text), 4326)`
}

/**
 * A MultiPolygon in EPSG:4326 from GeoJSON geometry text (a Polygon is promoted).
 *
 * Emits: `ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(<text>::text), 4326))`
 */
export function multiFromGeoJson(geojson: string | null | Expression<string | null>): RawBuilder<unknown> {
  return sql`ST_Multi(${geomFromGeoJson(geojson)})`
}

/** One GeoJSON Feature as text, around geometry text PostGIS already rendered (null geometry allowed). */
export function featureText(id: number | string, geometryText: string | null, properties: Record<string, unknown>): string {
  return `{"type":"Feature","id":${JSON.stringify(id)},"geometry":${geometryText ?? 'null'},"properties":${JSON.stringify(properties)}}`
}

/**
 * A GeoJSON FeatureCollection as the UTF-8 body of an answer, with extra
 * foreign members (e.g. the window) before the features. The parts are
 * written into one buffer ({@link utf8Body}): never one string of the whole
 * collection, which for a few hundred KiB (risk of every grid, hexbins,
 * cluster hulls) V8 would allocate in its large-object space (~0.6 ms plus
 * ~3 µs per KiB each, measured on Node 20) and the socket write would then
 * measure and encode again.
 */
export function collectionBody(features: string[], members: Record<string, unknown> = {}): Buffer {
  const head = JSON.stringify({ type: 'FeatureCollection', ...members })
  const parts = [`${head.slice(0, -1)},"features":[`]
  features.forEach((feature, index) => {
    if (index > 0) parts.push(',')
    parts.push(feature)
  })
  parts.push(']}')
  return utf8Body(parts)
}
