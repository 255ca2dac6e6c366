import JSZip from 'jszip'
import tokml from 'tokml'
import type { ExportAreaRow } from './io.repository.ts'

/** Export formats: GeoJSON, zipped Shapefile, KML. */
export type ExportFormat = 'geojson' | 'zip' | 'kml'

/** WKT of WGS84 written as the Shapefile's .prj. */
export const WGS84_PRJ =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'

/**
 * The features of an export (properties named for GeoJSON/KML). `crsUrn`
 * names another CRS than WGS 84 in the `crs` member of GeoJSON 2008: RFC 7946
 * dropped that member and allows WGS 84 only, but GDAL and QGIS still read it,
 * and it is how a GeoJSON file says it is in CGCS2000 or a Gauss–Krüger zone.
 * Positions stay in x = longitude/easting order, as those readers expect.
 */
export function toFeatureCollection(rows: ExportAreaRow[], crsUrn?: string) {
  return {
    type: 'FeatureCollection' as const,
    ...(crsUrn ? { crs: { type: 'name', properties: { name: crsUrn } } } : {}),
    features: rows.map((row) => ({
      type: 'Feature' as const,
      geometry: JSON.parse(row.geometry),
      properties: {
        code: row.code,
        name: row.name,
        nameEn: row.nameEn,
        level: row.level,
        parentCode: row.parentCode,
        households: row.households,
        population: row.population,
      },
    })),
  }
}

/**
 * DBF text as one char per UTF-8 byte: the `dbf` writer stores
 * `charCodeAt` as a byte, so this keeps Chinese names intact as UTF-8 (the
 * .cpg says so) and makes field widths count bytes.
 */
function utf8Bytes(value: string): string {
  return Array.from(new TextEncoder().encode(value), (byte) => String.fromCharCode(byte)).join('')
}

/**
 * A zipped Shapefile (MultiPolygon layer `<name>.shp/.shx/.dbf`, `.prj` =
 * `prjWkt`, WGS84 unless another CRS was chosen, `.cpg` = UTF-8). DBF columns
 * (10 characters at most): code, name, name_en, level, parentcode,
 * households, population.
 */
export async function toShapefileZip(rows: ExportAreaRow[], name: string, prjWkt: string = WGS84_PRJ): Promise<Buffer> {
  const records = rows.map((row) => ({
    code: row.code,
    name: utf8Bytes(row.name),
    name_en: utf8Bytes(row.nameEn ?? ''),
    level: row.level,
    parentcode: row.parentCode ?? '',
    households: row.households,
    population: row.population,
  }))
  const geometries = rows.map((row) => (JSON.parse(row.geometry) as { coordinates: unknown }).coordinates)
  let files: { shp: DataView; shx: DataView; dbf: DataView } | undefined
  // Loaded on first use: not needed to start the server (issue 11).
  const { write: writeShapefile } = await import('@mapbox/shp-write')
  writeShapefile(records, 'POLYGON', geometries, (error, written) => {
    if (error) throw error
    files = written
  })
  const zip = new JSZip()
  zip.file(`${name}.shp`, bytesOf(files!.shp))
  zip.file(`${name}.shx`, bytesOf(files!.shx))
  zip.file(`${name}.dbf`, bytesOf(files!.dbf))
  zip.file(`${name}.prj`, prjWkt)
  zip.file(`${name}.cpg`, 'UTF-8')
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })
}

function bytesOf(view: DataView): Uint8Array {
  return new Uint8Array(view.buffer as ArrayBuffer, view.byteOffset, view.byteLength)
}

/** KML: one Placemark per area, named by its name, with the properties as ExtendedData. */
export function toKml(rows: ExportAreaRow[], documentName: string): string {
  const collection = toFeatureCollection(rows)
  for (const feature of collection.features) {
    ;(feature.properties as Record<string, unknown>).nameEn = feature.properties.nameEn ?? ''
    ;(feature.properties as Record<string, unknown>).parentCode = feature.properties.parentCode ?? ''
  }
  return tokml(collection, { name: 'name', documentName })
}
