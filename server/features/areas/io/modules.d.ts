declare module 'shpjs' {
  /** Parses a zipped Shapefile (reprojected to WGS84 when a .prj is present) into one or more FeatureCollections. */
  export function parseZip(buffer: ArrayBuffer | Uint8Array, whiteList?: string[]): Promise<unknown>
  const shp: (input: ArrayBuffer | Uint8Array | string) => Promise<unknown>
  export default shp
}

declare module 'tokml' {
  /** Serialises a GeoJSON FeatureCollection as KML (properties as ExtendedData). */
  export default function tokml(geojson: unknown, options?: { name?: string; description?: string; documentName?: string; documentDescription?: string }): string
}

declare module '@mapbox/shp-write' {
  /** Writes one Shapefile layer (.shp/.shx/.dbf as DataViews). */
  export function write(
    rows: Array<Record<string, unknown>>,
    geometryType: string,
    geometries: unknown[],
    callback: (error: unknown, files: { shp: DataView; shx: DataView; dbf: DataView }) => void,
  ): void
  /** Writes a FeatureCollection as a zipped Shapefile. */
  export function zip(geojson: unknown, options?: Record<string, unknown>): Promise<unknown>
}
