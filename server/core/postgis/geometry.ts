/** A `[lon, lat]` pair in EPSG:4326 degrees. */
export type Position = [number, number]

/** A closed linear ring (first position repeated at the end). */
export type Ring = Position[]

/** Rings of one polygon: the exterior first, then holes. */
export type PolygonCoords = Ring[]

/** Polygons of one MultiPolygon. */
export type MultiPolygonCoords = PolygonCoords[]

/** `[west, south, east, north]` in degrees. */
export type BBox = [number, number, number, number]
