import { sql, type RawBuilder } from 'kysely'
import type { GeometryExpression } from './geojson.ts'

/** A bounding box in lon/lat degrees: [minLon, minLat, maxLon, maxLat]. */
export type Bbox = [number, number, number, number]

/** A tile of the Web Mercator tile grid. */
export interface TileAddress {
  z: number
  x: number
  y: number
}

/**
 * A lon/lat bounding box as a polygon in EPSG:4326.
 *
 * Emits: `ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 4326)`
 */
export function makeEnvelope(bbox: Bbox): RawBuilder<unknown> {
  const [minLon, minLat, maxLon, maxLat] = bbox
  return sql`ST_MakeEnvelope(${minLon}::float8, ${minLat}::float8, ${maxLon}::float8, ${maxLat}::float8, 4326)`
}

/**
 * Whether a geometry meets an envelope, with the `&&` test first so a GiST
 * index on the geometry is used.
 *
 * Emits: `(<geom> && <envelope> AND ST_Intersects(<geom>, <envelope>))`
 */
export function intersectsEnvelope(geom: GeometryExpression, envelope: GeometryExpression): RawBuilder<boolean> {
  return sql<boolean>`(${geom} && ${envelope} AND ST_Intersects(${geom}, ${envelope}))`
}

/**
 * Whether a geometry meets a lon/lat bounding box (index-assisted).
 *
 * Emits: `(<geom> && ST_MakeEnvelope(…, 4326) AND ST_Intersects(<geom>, ST_MakeEnvelope(…, 4326)))`
 */
export function intersectsBbox(geom: GeometryExpression, bbox: Bbox): RawBuilder<boolean> {
  return intersectsEnvelope(geom, makeEnvelope(bbox))
}

/**
 * A tile's square in Web Mercator (EPSG:3857), grown on each side by `margin`
 * (a fraction of the tile's width) when given.
 *
 * Emits: `ST_TileEnvelope($z::int, $x::int, $y::int)` or
 * `ST_TileEnvelope($z::int, $x::int, $y::int, margin => $m::float8)`
 */
export function tileEnvelope(tile: TileAddress, margin?: number): RawBuilder<unknown> {
  return margin === undefined
    ? sql`ST_TileEnvelope(${tile.z}::int, ${tile.x}::int, ${tile.y}::int)`
    : sql`ST_TileEnvelope(${tile.z}::int, ${tile.x}::int, ${tile.y}::int, margin => ${margin}::float8)`
}

/** Bounds of an `ST_Extent`; all NULL when there were no rows. */
export type ExtentBounds = { xmin: number; ymin: number; xmax: number; ymax: number } | { xmin: null; ymin: null; xmax: null; ymax: null }

/**
 * `ST_Extent` of a geometry column as its four bounds (an aggregate).
 *
 * Emits: `json_build_object('xmin', ST_XMin(ST_Extent(<geom>)), 'ymin', …, 'xmax', …, 'ymax', …)`
 */
export function extentBounds(geom: GeometryExpression): RawBuilder<ExtentBounds> {
  return sql`json_build_object(
    'xmin', ST_XMin(ST_Extent(${geom})), 'ymin', ST_YMin(ST_Extent(${geom})),
    'xmax', ST_XMax(ST_Extent(${geom})), 'ymax', ST_YMax(ST_Extent(${geom})))`
}
