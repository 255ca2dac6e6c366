import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import { geomFromGeoJson } from '../postgis/geojson.ts'
import { asBareGeoJson, fromCrs, toCrs } from '../postgis/crs.ts'
import { CRS84, flipsAxes, type CrsDefinition } from './crs.ts'
import { parseBbox } from './bbox.ts'
import type { Bbox } from '../postgis/envelope.ts'

/** A GeoJSON Feature as the collections render it (only the geometry is touched). */
interface FeatureObject {
  geometry: unknown
  [member: string]: unknown
}

/**
 * GeoJSON Feature texts (CRS84, as every collection renders them) with their
 * geometries in `crs`: transformed by PostGIS in one statement for the whole
 * page, axes in the CRS's order, at its precision. CRS84 comes back as is.
 *
 * The features are transformed after the collection rendered them rather than
 * inside each collection's SQL, so every collection (and any added later)
 * answers in every CRS the same way; the cost is one more round trip per page.
 */
export async function reprojectFeatures(db: Db, featureTexts: string[], crs: CrsDefinition): Promise<string[]> {
  if (crs === CRS84 || featureTexts.length === 0) return featureTexts
  const features = featureTexts.map((text) => JSON.parse(text) as FeatureObject)
  const geometries = features.map((feature) => (feature.geometry ? JSON.stringify(feature.geometry) : null))
  const { rows } = await sql<{ geometry: string | null }>`
    SELECT ${asBareGeoJson(toCrs(geomFromGeoJson(sql.ref('t.g')), crs.srid, flipsAxes(crs)), crs.digits)} AS geometry
    FROM unnest(${geometries}::text[]) WITH ORDINALITY AS t(g, n)
    ORDER BY t.n`.execute(db)
  return features.map((feature, index) => {
    const geometry = rows[index].geometry
    return JSON.stringify({ ...feature, geometry: geometry === null ? null : JSON.parse(geometry) })
  })
}

/** A page's comma-joined Feature texts (as `FeaturePage.featuresJson`) with their geometries in `crs`. */
export async function reprojectFeaturesJson(db: Db, featuresJson: string, crs: CrsDefinition): Promise<string> {
  if (crs === CRS84 || featuresJson === '') return featuresJson
  const features = (JSON.parse(`[${featuresJson}]`) as unknown[]).map((feature) => JSON.stringify(feature))
  return (await reprojectFeatures(db, features, crs)).join(',')
}

/** Result of {@link bboxToLonLat}. */
export type CrsBboxParse = { valid: true; bbox: Bbox; polygon?: GeoJsonPolygon } | { valid: false; reason: string }

/** A GeoJSON Polygon in lon/lat. */
export interface GeoJsonPolygon {
  type: 'Polygon'
  coordinates: number[][][]
}

/**
 * An OGC `bbox` given in `crs` (its axis order: lat,lon for EPSG:4326/4490,
 * northing,easting for the Gauss–Krüger zone; 6 numbers with heights also
 * accepted) as the lon/lat bbox the collections filter with.
 *
 * For the geographic CRSs this is the same box (CGCS2000 and WGS 84 coincide
 * at the centimetre level, and PROJ treats them as one datum). A box in metres
 * is not a lon/lat rectangle: its edges are slightly turned (meridian
 * convergence, about 0.5° at Xizhou), so the answer is the smallest lon/lat
 * box holding it, computed by PostGIS on the box with its edges densified
 * (64 points per edge), plus that densified box itself in lon/lat
 * (`polygon`), which the items route applies as an exact `S_INTERSECTS`
 * filter: the lon/lat box alone would let in a strip of features just outside.
 */
export async function bboxToLonLat(db: Db, text: string, crs: CrsDefinition): Promise<CrsBboxParse> {
  const parts = text.split(',').map((part) => part.trim())
  if (parts.length !== 4 && parts.length !== 6) return { valid: false, reason: 'bbox needs 4 or 6 numbers' }
  if (parts.some((part) => part === '' || !Number.isFinite(Number(part)))) return { valid: false, reason: 'bbox values must be numbers' }
  const numbers = parts.map(Number)
  const [a1, b1, a2, b2] = numbers.length === 6 ? [numbers[0], numbers[1], numbers[3], numbers[4]] : numbers
  if (crs.axisOrder === 'lon-lat') return parseBbox(`${a1},${b1},${a2},${b2}`)
  if (crs.axisOrder === 'lat-lon') {
    const parsed = parseBbox(`${b1},${a1},${b2},${a2}`)
    return parsed.valid ? { valid: true, bbox: parsed.bbox } : { valid: false, reason: parsed.reason.replace('lon -180..180 / lat -90..90', 'lat -90..90 / lon -180..180') }
  }
  if (a1 > a2 || b1 > b2) return { valid: false, reason: 'bbox minimum above maximum' }
  // x = easting (the second number), y = northing (the first); the SRID's own area of use is not enforced by PROJ, so bound it loosely.
  const [minE, minN, maxE, maxN] = [b1, a1, b2, a2]
  if (minE < 0 || maxE > 1_000_000 || minN < 0 || maxN > 10_000_000) {
    return { valid: false, reason: 'bbox is outside the zone (easting 0..1 000 000 m, northing 0..10 000 000 m)' }
  }
  const edgeMeters = Math.max(maxE - minE, maxN - minN) / 64 || 1
  const box = sql`ST_Segmentize(ST_MakeEnvelope(${minE}::float8, ${minN}::float8, ${maxE}::float8, ${maxN}::float8), ${edgeMeters}::float8)`
  const { rows } = await sql<{ minLon: number; minLat: number; maxLon: number; maxLat: number; polygon: string }>`
    SELECT ST_XMin(g) AS "minLon", ST_YMin(g) AS "minLat", ST_XMax(g) AS "maxLon", ST_YMax(g) AS "maxLat", ST_AsGeoJSON(g, 9) AS polygon
    FROM (SELECT ${fromCrs(box, crs.srid, false)} AS g) t`.execute(db)
  const row = rows[0]
  return { valid: true, bbox: [row.minLon, row.minLat, row.maxLon, row.maxLat], polygon: JSON.parse(row.polygon) as GeoJsonPolygon }
}
