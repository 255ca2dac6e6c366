import { sql, type Expression, type RawBuilder } from 'kysely'

/**
 * The metric CRS of analytics: WGS 84 / UTM zone 47N (EPSG:32647). Xizhou
 * (about 100.1°E, 25.85°N) lies inside zone 47 (96°E–102°E), where the UTM
 * scale factor stays within 0.9996–1.0004, so a distance or cell size in
 * this CRS is a real distance in metres to better than 0.1 %. Web Mercator
 * (EPSG:3857) was not chosen: at this latitude it stretches lengths by
 * 1 / cos 25.85° ≈ 1.11, so a "100 m" cell or eps would be about 90 m.
 */
export const METRIC_SRID = 32647

/** `ST_Transform(geom, 32647)`. */
export function stToMetric(geom: Expression<unknown>): RawBuilder<unknown> {
  return sql`ST_Transform(${geom}, ${sql.lit(METRIC_SRID)})`
}

/** `ST_Transform(geom, 4326)`. */
export function stToLonLat(geom: Expression<unknown>): RawBuilder<unknown> {
  return sql`ST_Transform(${geom}, 4326)`
}
