import { sql, type RawBuilder } from 'kysely'
import type { GeometryExpression } from './geojson.ts'

/**
 * The metric CRS of analytics: WGS 84 / UTM zone 47N (EPSG:32647). Xizhou
 * (about 100.1°E, 25.85°N) lies inside zone 47 (96°E–102°E), where the UTM
 * scale factor stays within 0.9996–1.0004, so a distance or cell size in
 * this CRS is a real distance in metres to better than 0.1 %. Web Mercator
 * (EPSG:3857) was not chosen: at this latitude it stretches lengths by
 * 1 / cos 25.85° ≈ 1.11, so a "100 m" cell or eps would be about 90 m.
 */
export const METRIC_SRID = 32647

/** Longitude/latitude on WGS 84: how geometries are stored and served. */
export const LON_LAT_SRID = 4326

/** Web Mercator: the CRS of the vector-tile grid. */
export const WEB_MERCATOR_SRID = 3857

/**
 * A geometry in the metric CRS of analytics.
 *
 * Emits: `ST_Transform(<geom>, 32647)`
 */
export function toMetric(geom: GeometryExpression): RawBuilder<unknown> {
  return sql`ST_Transform(${geom}, ${sql.lit(METRIC_SRID)})`
}

/**
 * A geometry in Web Mercator (the tile grid's CRS).
 *
 * Emits: `ST_Transform(<geom>, 3857)`
 */
export function toWebMercator(geom: GeometryExpression): RawBuilder<unknown> {
  return sql`ST_Transform(${geom}, ${sql.lit(WEB_MERCATOR_SRID)})`
}

/**
 * A geometry in longitude/latitude (EPSG:4326).
 *
 * Emits: `ST_Transform(<geom>, 4326)`
 */
export function toLonLat(geom: GeometryExpression): RawBuilder<unknown> {
  return sql`ST_Transform(${geom}, ${sql.lit(LON_LAT_SRID)})`
}

/**
 * A geometry with its SRID set (coordinates unchanged), e.g. a computed cell in the metric CRS.
 *
 * Emits: `ST_SetSRID(<geom>, <srid>)`
 */
export function withSrid(geom: GeometryExpression, srid: number): RawBuilder<unknown> {
  return sql`ST_SetSRID(${geom}, ${sql.lit(srid)})`
}

/**
 * A lon/lat (EPSG:4326) geometry in the CRS `srid`, its two axes swapped when
 * `flipAxes` (for a CRS whose first axis is latitude or northing: EPSG:4326
 * and EPSG:4490 as EPSG defines them, the CGCS2000 Gauss–Krüger zones).
 * PostGIS itself always keeps x = longitude/easting.
 *
 * Emits: `ST_Transform(<geom>, <srid>)` or `ST_FlipCoordinates(ST_Transform(<geom>, <srid>))`
 */
export function toCrs(geom: GeometryExpression, srid: number, flipAxes: boolean): RawBuilder<unknown> {
  const transformed = sql`ST_Transform(${geom}, ${sql.lit(srid)})`
  return flipAxes ? sql`ST_FlipCoordinates(${transformed})` : transformed
}

/**
 * A geometry whose coordinates are in the CRS `srid` (first axis first when
 * `flipAxes`, see {@link toCrs}), in lon/lat (EPSG:4326).
 *
 * Emits: `ST_Transform(ST_SetSRID(<geom>, <srid>), 4326)` or
 * `ST_Transform(ST_SetSRID(ST_FlipCoordinates(<geom>), <srid>), 4326)`
 */
export function fromCrs(geom: GeometryExpression, srid: number, flipAxes: boolean): RawBuilder<unknown> {
  const ordered = flipAxes ? sql`ST_FlipCoordinates(${geom})` : geom
  return sql`ST_Transform(ST_SetSRID(${ordered}, ${sql.lit(srid)}), ${sql.lit(LON_LAT_SRID)})`
}

/**
 * A geometry as GeoJSON geometry text with `digits` decimals and no `crs`
 * member: PostGIS adds one by default for any SRID but 4326, and the OGC API
 * names the CRS in the `Content-Crs` header instead.
 *
 * Emits: `ST_AsGeoJSON(<geom>, <digits>, 0)`
 */
export function asBareGeoJson(geom: GeometryExpression, digits: number): RawBuilder<string> {
  return sql<string>`ST_AsGeoJSON(${geom}, ${sql.lit(digits)}, 0)`
}
