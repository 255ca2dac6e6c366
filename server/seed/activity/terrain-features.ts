import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** Landscape features the activity leans on, as GeoJSON geometry texts (null when the basemap lacks them). */
export interface TerrainFeatures {
  /** The Cangshan hillside: every mountain band of the basemap, as one MultiPolygon. */
  mountain: string | null
  /** The main road (`class: main`), as a MultiLineString. */
  mainRoad: string | null
}

interface BasemapFeature {
  properties: { kind?: string; class?: string }
  geometry: { type: string; coordinates: unknown }
}

/**
 * Reads the mountain bands and the main road from `basemap.geojson` in
 * `geodataDir`. A township without a basemap gets no hillside and no road:
 * its activity then follows population and dedicated grids only.
 */
export function readTerrainFeatures(geodataDir: string): TerrainFeatures {
  const file = join(geodataDir, 'basemap.geojson')
  if (!existsSync(file)) return { mountain: null, mainRoad: null }
  const features = (JSON.parse(readFileSync(file, 'utf8')) as { features: BasemapFeature[] }).features
  const polygons = features
    .filter((feature) => feature.properties.kind === 'mountain' && feature.geometry.type === 'Polygon')
    .map((feature) => feature.geometry.coordinates)
  const roads = features
    .filter((feature) => feature.properties.kind === 'road' && feature.properties.class === 'main' && feature.geometry.type === 'LineString')
    .map((feature) => feature.geometry.coordinates)
  return {
    mountain: polygons.length > 0 ? JSON.stringify({ type: 'MultiPolygon', coordinates: polygons }) : null,
    mainRoad: roads.length > 0 ? JSON.stringify({ type: 'MultiLineString', coordinates: roads }) : null,
  }
}
