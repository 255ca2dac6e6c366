import { writeFileSync } from 'node:fs'
import type { Feature } from 'geojson'

/**
 * Writes a GeoJSON FeatureCollection with one feature per line (compact, yet
 * readable in diffs). Output depends only on the features, byte for byte.
 */
export function writeFeatureCollection(path: string, features: Feature[]): void {
  const lines = features.map((feature) => JSON.stringify(feature))
  writeFileSync(path, `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`)
}
