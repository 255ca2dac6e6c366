import { sql, type RawBuilder } from 'kysely'
import { asGeoJson, type GeometryExpression } from '../postgis/geojson.ts'
import { asBareGeoJson, toCrs } from '../postgis/crs.ts'
import { CRS84, flipsAxes, type CrsDefinition } from './crs.ts'

/**
 * A stored geometry (EPSG:4326) as GeoJSON geometry text in `crs`: for CRS84
 * the API's usual text; otherwise transformed, in the CRS's axis order, at its
 * precision and without a `crs` member (`Content-Crs` names it). The same as
 * {@link reprojectFeatures} writes after the page, but computed from the
 * stored coordinates in the statement that renders the page.
 *
 * Emits: `ST_AsGeoJSON(<geom>, 7)`, or for another CRS
 * `ST_AsGeoJSON(ST_FlipCoordinates(ST_Transform(<geom>, <srid>)), <digits>, 0)`
 * (without `ST_FlipCoordinates` for an easting-first CRS).
 */
export function geometryJsonIn(geom: GeometryExpression, crs: CrsDefinition): RawBuilder<string> {
  if (crs === CRS84) return asGeoJson(geom)
  return asBareGeoJson(toCrs(geom, crs.srid, flipsAxes(crs)), crs.digits)
}

/**
 * The two coordinates of a stored point (EPSG:4326) in `crs`, in its axis
 * order: for CRS84 longitude and latitude as stored; otherwise transformed and
 * rounded to the CRS's precision, as {@link geometryJsonIn} writes them.
 *
 * Emits: `ST_X(<geom>)`, `ST_Y(<geom>)`, or for another CRS
 * `round(ST_X(<transformed>)::numeric, <digits>)::float8` and the same with `ST_Y`,
 * `<transformed>` as in {@link geometryJsonIn}.
 */
export function pointCoordinatesIn(geom: GeometryExpression, crs: CrsDefinition): [RawBuilder<number>, RawBuilder<number>] {
  if (crs === CRS84) return [sql<number>`ST_X(${geom})`, sql<number>`ST_Y(${geom})`]
  const transformed = toCrs(geom, crs.srid, flipsAxes(crs))
  const rounded = (axis: 'ST_X' | 'ST_Y') => sql<number>`round(${sql.raw(axis)}(${transformed})::numeric, ${sql.lit(crs.digits)})::float8`
  return [rounded('ST_X'), rounded('ST_Y')]
}
