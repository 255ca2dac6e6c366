/** One GeoJSON Feature as text, around geometry text PostGIS already rendered (null geometry allowed). */
export function featureText(id: number | string, geometryText: string | null, properties: Record<string, unknown>): string {
  return `{"type":"Feature","id":${JSON.stringify(id)},"geometry":${geometryText ?? 'null'},"properties":${JSON.stringify(properties)}}`
}

/** A GeoJSON FeatureCollection as text, with extra foreign members (e.g. the window) before the features. */
export function collectionText(features: string[], members: Record<string, unknown> = {}): string {
  const head = JSON.stringify({ type: 'FeatureCollection', ...members })
  return `${head.slice(0, -1)},"features":[${features.join(',')}]}`
}
