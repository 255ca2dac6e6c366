import { sql, type Expression, type RawBuilder } from 'kysely'
import type { GeometryExpression } from './geojson.ts'

/**
 * A Point in EPSG:4326 from longitude and latitude in degrees (bound numbers or numeric columns).
 *
 * Emits: `ST_SetSRID(ST_MakePoint(<lon>::float8, <lat>::float8), 4326)`
 */
export function pointFromLonLat(lon: number | Expression<number | null>, lat: number | Expression<number | null>): RawBuilder<unknown> {
  return sql`ST_SetSRID(ST_MakePoint(${lon}::float8, ${lat}::float8), 4326)`
}

/**
 * The x coordinate of a point (longitude in EPSG:4326).
 *
 * Emits: `ST_X(<geom>)`
 */
export function pointX(geom: GeometryExpression): RawBuilder<number | null> {
  return sql<number | null>`ST_X(${geom})`
}

/**
 * The y coordinate of a point (latitude in EPSG:4326).
 *
 * Emits: `ST_Y(<geom>)`
 */
export function pointY(geom: GeometryExpression): RawBuilder<number | null> {
  return sql<number | null>`ST_Y(${geom})`
}
