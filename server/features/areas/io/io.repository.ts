import { sql } from 'kysely'
import type { Db } from '../../../core/db/database.ts'
import type { AreaLevel } from '../../../core/db/tables/area.ts'
import { EDIT_GEOJSON_DIGITS, geomFromGeoJson, asGeoJson } from '../../../core/postgis/geojson.ts'
import { asBareGeoJson, toCrs } from '../../../core/postgis/crs.ts'

/** One import feature to check: its code and its normalised MultiPolygon (GeoJSON text). */
export interface ImportCheckInput {
  index: number
  code: string
  geometry: string
}

/** What {@link checkImportChunk} found about one feature. */
export interface ImportCheckRow {
  index: number
  /** OGC validity (`ST_IsValidDetail`). */
  valid: boolean
  invalidReason: string | null
  invalidLocation: string | null
  /** First vertex farther than the margin outside the town, GeoJSON Point text. */
  outside: string | null
  /** The current area of the feature's level with this code, if any. */
  areaId: number | null
  version: number | null
  name: string | null
  nameEn: string | null
  households: number | null
  population: number | null
  /** Whether the geometry equals the current one within the tolerance (null when there is no such area or the input is invalid). */
  sameGeometry: boolean | null
  /** The current area of the parent level whose code is the feature's code less its last 3 digits. */
  parentId: number | null
}

/**
 * Checks a chunk of import features in one statement: the input hygiene of
 * an edit (`ST_IsValidDetail`, every vertex within `marginM` of the town),
 * the current area of `level` with the same code and whether the geometry
 * is the same (Hausdorff distance ≤ `sameDeg`), and the parent area by code
 * (the code less its last 3 digits, at `parentLevel`). The town and the
 * validity of each input are materialised so that neither is computed again
 * per vertex or per field.
 */
export async function checkImportChunk(
  db: Db,
  inputs: ImportCheckInput[],
  level: AreaLevel,
  parentLevel: AreaLevel,
  marginM: number,
  sameDeg: number,
): Promise<ImportCheckRow[]> {
  if (inputs.length === 0) return []
  const { rows } = await sql<ImportCheckRow>`
    WITH input AS (
      SELECT e.i, e.code, ${geomFromGeoJson(sql.ref('e.geometry'))} AS geom
      FROM jsonb_to_recordset(${JSON.stringify(inputs.map((input) => ({ i: input.index, code: input.code, geometry: input.geometry })))}::jsonb)
        AS e(i integer, code text, geometry text)
    ),
    town AS MATERIALIZED (SELECT geom FROM current_areas WHERE level = 'town' LIMIT 1),
    checked AS MATERIALIZED (SELECT input.*, ST_IsValidDetail(input.geom) AS d FROM input)
    SELECT k.i AS index, (k.d).valid, (k.d).reason AS "invalidReason", ${asGeoJson(sql`(k.d).location`, EDIT_GEOJSON_DIGITS)} AS "invalidLocation",
      (SELECT ${asGeoJson(sql.ref('p.pt'), EDIT_GEOJSON_DIGITS)} FROM (SELECT (ST_DumpPoints(k.geom)).geom AS pt) p, town
        WHERE NOT ST_Covers(town.geom, p.pt) AND NOT ST_DWithin(p.pt::geography, town.geom::geography, ${marginM}::float8) LIMIT 1) AS outside,
      c.area_id AS "areaId", c.version, c.name, c.name_en AS "nameEn", c.households, c.population,
      CASE WHEN c.area_id IS NULL OR NOT (k.d).valid THEN NULL ELSE ST_HausdorffDistance(k.geom, c.geom) <= ${sameDeg}::float8 END AS "sameGeometry",
      par.area_id AS "parentId"
    FROM checked k
    LEFT JOIN current_areas c ON c.code = k.code AND c.level = ${level}
    LEFT JOIN current_areas par ON par.code = left(k.code, length(k.code) - 3) AND par.level = ${parentLevel}
    ORDER BY k.i`.execute(db)
  return rows.map((row) => ({
    ...row,
    index: Number(row.index),
    areaId: row.areaId === null ? null : Number(row.areaId),
    parentId: row.parentId === null ? null : Number(row.parentId),
    version: row.version === null ? null : Number(row.version),
    households: row.households === null ? null : Number(row.households),
    population: row.population === null ? null : Number(row.population),
  }))
}

/** A current area as an export writes it (geometry as GeoJSON text). */
export interface ExportAreaRow {
  code: string
  name: string
  nameEn: string | null
  level: AreaLevel
  parentCode: string | null
  households: number
  population: number
  geometry: string
}

/**
 * Current areas of `level` in code order, with their parent's code. With
 * `output`, geometries are transformed by PostGIS into that SRID and written
 * with `digits` decimals, in the x = longitude/easting order files use.
 */
export async function findExportAreas(db: Db, level: AreaLevel, output?: { srid: number; digits: number }): Promise<ExportAreaRow[]> {
  const geometry = output
    ? asBareGeoJson(toCrs(sql.ref('a.geom'), output.srid, false), output.digits)
    : asGeoJson(sql.ref('a.geom'), EDIT_GEOJSON_DIGITS)
  const { rows } = await sql<ExportAreaRow>`
    SELECT a.code, a.name, a.name_en AS "nameEn", a.level, p.code AS "parentCode", a.households, a.population,
      ${geometry} AS geometry
    FROM current_areas a LEFT JOIN current_areas p ON p.area_id = a.parent_id
    WHERE a.level = ${level}
    ORDER BY a.code`.execute(db)
  return rows.map((row) => ({ ...row, households: Number(row.households), population: Number(row.population) }))
}

/** The OGC WKT 1 of an SRID from PostGIS's `spatial_ref_sys` (a Shapefile's .prj), or undefined. */
export async function findCrsWkt(db: Db, srid: number): Promise<string | undefined> {
  const { rows } = await sql<{ srtext: string }>`SELECT srtext FROM spatial_ref_sys WHERE srid = ${srid}`.execute(db)
  return rows[0]?.srtext
}
