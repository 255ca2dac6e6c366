import type { Position } from 'geojson';

/** A lon/lat position as the editor stores it. */
export type LngLat = Position;

/** A closed ring (first position repeated last). */
export type Ring = LngLat[];

/** MultiPolygon coordinates: polygons, each a list of rings (outer first). */
export type MultiCoords = Ring[][];

/** One area's working geometry in the editor. */
export interface DraftArea {
  /** Area id. */
  id: number;
  /** MultiPolygon coordinates. */
  coords: MultiCoords;
}
