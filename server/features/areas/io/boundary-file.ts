import type { DOMParser } from '@xmldom/xmldom'
import { IMPORT_MAX_FEATURES } from './limits.ts'
import { readZipEntries } from '../../../core/hardening/zip-archive.ts'

/** File formats an import accepts. */
export type BoundaryFileFormat = 'geojson' | 'shapefile' | 'kml'

/** One feature of an import file, in file order. */
export interface FileFeature {
  /** 1-based position in the file. */
  index: number
  properties: Record<string, unknown>
  geometry: { type: string; coordinates?: unknown }
}

/** Why a file was refused as a whole (message codes of `boundary-io.messages.ts`). */
export type BoundaryFileProblem =
  | 'boundary_import_empty'
  | 'boundary_import_unknown_format'
  | 'boundary_import_bad_geojson'
  | 'boundary_import_bad_zip'
  | 'boundary_import_bad_kml'
  | 'boundary_import_no_features'
  | 'boundary_import_bad_geometry_types'
  | 'boundary_import_too_many_features'
  | 'import_archive_too_large'
  | 'import_archive_too_many_entries'

/** Result of {@link parseBoundaryFile}. */
export type BoundaryFileParse =
  | { valid: true; format: BoundaryFileFormat; features: FileFeature[]; hasPrj: boolean }
  | { valid: false; reason: BoundaryFileProblem; params: Record<string, unknown>; status?: 400 | 413 }

function fail(reason: BoundaryFileProblem, params: Record<string, unknown> = {}, status?: 400 | 413): BoundaryFileParse {
  return { valid: false, reason, params, ...(status ? { status } : {}) }
}

/** Entries of an archive that are read: the Shapefile parts the reader uses (a superset of shpjs's) and KML. */
const ARCHIVE_PARTS = /\.(shp|dbf|json|prj|cpg|kml)$/i

/** The format of a file from its first bytes: ZIP magic, `<` (XML) or `{` (JSON). */
export function sniffFormat(bytes: Uint8Array): BoundaryFileFormat | undefined {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'shapefile'
  const head = new TextDecoder().decode(bytes.subarray(0, 256)).replace(/^\uFEFF/, '').trimStart()
  if (head.startsWith('<')) return 'kml'
  if (head.startsWith('{')) return 'geojson'
  return undefined
}

/**
 * A GeometryCollection made only of polygons (what KML MultiGeometry reads
 * back as) becomes a MultiPolygon; anything else is returned as it is.
 */
function polygonsOnly(geometry: { type: string; coordinates?: unknown; geometries?: unknown[] }) {
  if (geometry.type !== 'GeometryCollection' || !Array.isArray(geometry.geometries)) return geometry
  const parts = geometry.geometries as Array<{ type: string; coordinates: unknown }>
  if (parts.length === 0 || !parts.every((part) => part?.type === 'Polygon' || part?.type === 'MultiPolygon')) return geometry
  const coordinates = parts.flatMap((part) => (part.type === 'Polygon' ? [part.coordinates] : (part.coordinates as unknown[])))
  return { type: 'MultiPolygon', coordinates }
}

function fromCollections(collections: unknown[], format: BoundaryFileFormat, hasPrj: boolean): BoundaryFileParse {
  const raw = collections.flatMap((collection) => {
    const features = (collection as { features?: unknown })?.features
    return Array.isArray(features) ? features : []
  }) as Array<{ geometry?: { type: string; coordinates?: unknown } | null; properties?: Record<string, unknown> | null }>
  if (raw.length === 0) return fail('boundary_import_no_features')
  if (raw.length > IMPORT_MAX_FEATURES) return fail('boundary_import_too_many_features', { count: raw.length, limit: IMPORT_MAX_FEATURES })
  const features = raw.map((feature, i) => ({
    index: i + 1,
    properties: feature?.properties ?? {},
    geometry: feature?.geometry ? polygonsOnly(feature.geometry) : { type: 'null' },
  }))
  const wrong = features.filter((feature) => feature.geometry.type !== 'Polygon' && feature.geometry.type !== 'MultiPolygon')
  if (wrong.length > 0) {
    return fail('boundary_import_bad_geometry_types', { count: wrong.length, types: [...new Set(wrong.map((feature) => feature.geometry.type))].join(', ') })
  }
  return { valid: true, format, features, hasPrj }
}

function parseGeoJson(bytes: Uint8Array): BoundaryFileParse {
  let json: unknown
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, ''))
  } catch (error) {
    return fail('boundary_import_bad_geojson', { detail: (error as Error).message })
  }
  const type = (json as { type?: unknown })?.type
  if (type === 'Feature') return fromCollections([{ features: [json] }], 'geojson', false)
  if (type !== 'FeatureCollection') return fail('boundary_import_bad_geojson', { detail: `type is ${String(type)}` })
  return fromCollections([json], 'geojson', false)
}

async function parseShapefileZip(bytes: Uint8Array): Promise<BoundaryFileParse> {
  const names = zipEntryNames(bytes)
  // Unpack under caps first (zip bombs): the Shapefile reader below inflates
  // the same entries without any limit, so it only runs once they are known to fit.
  let archive: ReturnType<typeof readZipEntries>
  try {
    archive = readZipEntries(bytes, (name) => ARCHIVE_PARTS.test(name))
  } catch (error) {
    return fail('boundary_import_bad_zip', { detail: (error as Error).message })
  }
  if (!archive.ok && archive.problem === 'too_many_entries') {
    return fail('import_archive_too_many_entries', { count: archive.count, max: archive.max }, 400)
  }
  if (!archive.ok) return fail('import_archive_too_large', { limitMb: archive.limitBytes / 1024 / 1024 }, 413)
  const kml = [...archive.files.keys()].find((name) => name.toLowerCase().endsWith('.kml'))
  if (kml && !names.some((name) => name.toLowerCase().endsWith('.shp'))) return parseKml(archive.files.get(kml)!)
  if (!names.some((name) => name.toLowerCase().endsWith('.shp'))) {
    return fail('boundary_import_bad_zip', { detail: names.length ? `no .shp among ${names.slice(0, 8).join(', ')}` : 'no readable entries' })
  }
  try {
    // Loaded on first use, like the KML reader below: neither is needed to start the server (issue 11).
    const { parseZip } = await import('shpjs')
    const parsed = await parseZip(bytes)
    const collections = Array.isArray(parsed) ? parsed : [parsed]
    return fromCollections(collections, 'shapefile', names.some((name) => name.toLowerCase().endsWith('.prj')))
  } catch (error) {
    return fail('boundary_import_bad_zip', { detail: (error as Error).message })
  }
}

/** Names in a ZIP's central directory (empty when there is none). */
function zipEntryNames(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let end = -1
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i
      break
    }
  }
  if (end < 0) return []
  const count = view.getUint16(end + 10, true)
  let at = view.getUint32(end + 16, true)
  const names: string[] = []
  for (let n = 0; n < count && at + 46 <= bytes.length; n++) {
    if (view.getUint32(at, true) !== 0x02014b50) break
    const nameLength = view.getUint16(at + 28, true)
    const extra = view.getUint16(at + 30, true)
    const comment = view.getUint16(at + 32, true)
    names.push(new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)))
    at += 46 + nameLength + extra + comment
  }
  return names
}

async function parseKml(bytes: Uint8Array): Promise<BoundaryFileParse> {
  const [{ DOMParser: Parser }, { kml }] = await Promise.all([import('@xmldom/xmldom'), import('@tmcw/togeojson')])
  let document: ReturnType<DOMParser['parseFromString']>
  try {
    const quiet = new Parser({
      onError: (level, text) => {
        if (level === 'fatalError') throw new Error(String(text).split('\n')[0])
      },
    })
    document = quiet.parseFromString(new TextDecoder().decode(bytes).replace(/^\uFEFF/, ''), 'text/xml')
  } catch (error) {
    const detail = String((error as Error).message).split('\n')[0].replace(/^Reporting fatalError "(.*)" caused .*$/, '$1')
    return fail('boundary_import_bad_kml', { detail })
  }
  const root = document.documentElement?.nodeName
  if (root !== 'kml') return fail('boundary_import_bad_kml', { detail: `root element is ${root ?? 'missing'}, expected kml` })
  try {
    return fromCollections([kml(document as unknown as Document)], 'kml', false)
  } catch (error) {
    return fail('boundary_import_bad_kml', { detail: (error as Error).message })
  }
}

/**
 * Reads an import file: GeoJSON (FeatureCollection or Feature), zipped
 * Shapefile (every .shp layer; reprojected to longitude/latitude when a .prj
 * is present; DBF text decoded by the .cpg, UTF-8 by default), KML
 * (Placemarks; ExtendedData as properties) or KMZ (its .kml). Archives are
 * refused past 1,000 entries (400) or 128 MB unpacked (413). The format is recognised from
 * the content, not the file name. The whole file is refused when it cannot
 * be read, holds no features or holds anything but polygons.
 */
export async function parseBoundaryFile(bytes: Uint8Array): Promise<BoundaryFileParse> {
  if (bytes.length === 0) return fail('boundary_import_empty')
  const format = sniffFormat(bytes)
  if (format === 'geojson') return parseGeoJson(bytes)
  if (format === 'shapefile') return parseShapefileZip(bytes)
  if (format === 'kml') return parseKml(bytes)
  return fail('boundary_import_unknown_format')
}
