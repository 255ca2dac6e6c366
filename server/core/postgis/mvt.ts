import GeoJSONVT from 'geojson-vt'
import { fromGeojsonVt } from 'vt-pbf'
import type { Feature, FeatureCollection, Geometry } from 'geojson'

/** Tile extent (units per tile side) and buffer, the same as given to ST_AsMVT / ST_AsMVTGeom. */
export const MVT_EXTENT = 4096
export const MVT_BUFFER = 64

/**
 * Encodes features (CRS84 GeoJSON) as a one-layer Mapbox Vector Tile in the
 * server, for engines whose PostGIS has no protobuf (PGlite): geojson-vt
 * projects, clips to the tile plus buffer and quantises to the extent, vt-pbf
 * writes the protobuf. Undefined when nothing falls in the tile.
 */
export function encodeTile(
  layer: string,
  z: number,
  x: number,
  y: number,
  features: Array<{ id: number; geometry: Geometry; properties: Record<string, unknown> }>,
): Buffer | undefined {
  if (features.length === 0) return undefined
  const collection: FeatureCollection = {
    type: 'FeatureCollection',
    features: features.map((feature): Feature => ({ type: 'Feature', id: feature.id, geometry: feature.geometry, properties: feature.properties })),
  }
  const index = new GeoJSONVT(collection, { maxZoom: z, indexMaxZoom: z, indexMaxPoints: 0, tolerance: 0, extent: MVT_EXTENT, buffer: MVT_BUFFER })
  const tile = index.getTile(z, x, y)
  if (!tile || tile.features.length === 0) return undefined
  return Buffer.from(fromGeojsonVt({ [layer]: tile }, { version: 2, extent: MVT_EXTENT }))
}
