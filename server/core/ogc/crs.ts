import { HttpError } from '../http/http-error.ts'
import type { Lang } from '../i18n/messages.ts'

/** OGC URI of WGS 84 longitude/latitude: the API's default and storage CRS. */
export const CRS84_URI = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'

/**
 * Order of the two coordinates of a position as the CRS defines its axes
 * (OGC API – Features Part 2 answers and reads coordinates in that order).
 */
export type AxisOrder = 'lon-lat' | 'lat-lon' | 'north-east'

/** A coordinate reference system the API answers in and reads bboxes in. */
export interface CrsDefinition {
  /** The OGC URI clients send as `crs` / `bbox-crs` and get back in `Content-Crs`. */
  uri: string
  /** Its PostGIS SRID (for CRS84: 4326, the same datum with lon/lat order). */
  srid: number
  axisOrder: AxisOrder
  /**
   * Decimals written: 7 for degrees (about 1 cm, the API's rule, see
   * `GEOJSON_DIGITS`), 3 for metres (1 mm): a metre CRS is what surveyors
   * check against their own control points, and 1 mm keeps a round trip to
   * degrees well inside 1 cm while adding only one digit per coordinate.
   */
  digits: number
  /** Short name for people (the export dialog, messages). */
  label: Record<Lang, string>
  /** The legacy GeoJSON `crs` member name (GDAL, QGIS) for files written in this CRS. */
  urn: string
}

/**
 * Every CRS offered, CRS84 first. EPSG:4326 and EPSG:4490 (CGCS2000) are
 * latitude-first in the EPSG registry, so Part 2 requires lat/lon order for
 * them. The Gauss–Krüger zone EPSG:4542 (CGCS2000 / 3-degree GK CM 99°E,
 * 97.5°E–100.5°E, which holds Xizhou at about 100.1°E) has axes X = northing,
 * Y = easting in EPSG (coordinate system 4530), so positions are
 * [northing, easting]; GDAL (3.7+) swaps such axes back when it reads them.
 * Its eastings carry no zone prefix (false easting 500 000 m). The next zone
 * (EPSG:4543, CM 102°E) starts at 100.5°E, east of the township, so it is
 * not offered.
 */
export const SUPPORTED_CRS: readonly CrsDefinition[] = [
  { uri: CRS84_URI, srid: 4326, axisOrder: 'lon-lat', digits: 7, label: { zh: 'WGS84 经纬度（CRS84）', en: 'WGS84 lon/lat (CRS84)' }, urn: 'urn:ogc:def:crs:OGC:1.3:CRS84' },
  { uri: 'http://www.opengis.net/def/crs/EPSG/0/4326', srid: 4326, axisOrder: 'lat-lon', digits: 7, label: { zh: 'WGS84（EPSG:4326）', en: 'WGS84 (EPSG:4326)' }, urn: 'urn:ogc:def:crs:EPSG::4326' },
  { uri: 'http://www.opengis.net/def/crs/EPSG/0/4490', srid: 4490, axisOrder: 'lat-lon', digits: 7, label: { zh: 'CGCS2000 经纬度（EPSG:4490）', en: 'CGCS2000 geographic (EPSG:4490)' }, urn: 'urn:ogc:def:crs:EPSG::4490' },
  { uri: 'http://www.opengis.net/def/crs/EPSG/0/4542', srid: 4542, axisOrder: 'north-east', digits: 3, label: { zh: 'CGCS2000 3度带高斯–克吕格 中央经线 99°E（EPSG:4542）', en: 'CGCS2000 3-degree Gauss–Krüger CM 99°E (EPSG:4542)' }, urn: 'urn:ogc:def:crs:EPSG::4542' },
]

/** The URIs of {@link SUPPORTED_CRS}, for collection metadata and messages. */
export const SUPPORTED_CRS_URIS: string[] = SUPPORTED_CRS.map((crs) => crs.uri)

/** The CRS84 definition (the default). */
export const CRS84: CrsDefinition = SUPPORTED_CRS[0]

/** Whether positions in `crs` have their axes swapped against PostGIS's x = lon/easting. */
export function flipsAxes(crs: CrsDefinition): boolean {
  return crs.axisOrder !== 'lon-lat'
}

/**
 * The CRS named by the query parameter `parameter` (`crs`, `bbox-crs`), CRS84
 * when absent; 400 listing the supported URIs for anything else.
 */
export function resolveCrs(value: string | undefined, parameter: string): CrsDefinition {
  if (value === undefined) return CRS84
  const found = SUPPORTED_CRS.find((crs) => crs.uri === value.trim())
  if (!found) throw new HttpError(400, 'unsupported_crs', { crs: value, parameter, supported: SUPPORTED_CRS_URIS.join(', ') })
  return found
}

/** The `Content-Crs` header value of an answer in `crs`: its URI in angle brackets. */
export function contentCrs(crs: CrsDefinition): string {
  return `<${crs.uri}>`
}

/** The names of a bbox's four numbers in the axis order of `crs`, for messages. */
export function bboxAxes(crs: CrsDefinition): string {
  if (crs.axisOrder === 'lat-lon') return 'minLat,minLon,maxLat,maxLon'
  if (crs.axisOrder === 'north-east') return 'minNorthing,minEasting,maxNorthing,maxEasting'
  return 'minLon,minLat,maxLon,maxLat'
}
