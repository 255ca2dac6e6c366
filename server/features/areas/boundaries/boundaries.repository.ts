import { sql } from 'kysely'
import type { Db } from '../../../core/db/database.ts'
import type { AreaKind, AreaLevel } from '../../../core/db/tables/area.ts'
import type { BoundaryChangeKind, BoundaryVersionAction, LineageKind } from '../../../core/db/tables/boundary.ts'
import { OVERLAY_GRID_DEG } from './limits.ts'
import { EDIT_GEOJSON_DIGITS, geomFromGeoJson, asGeoJson } from '../../../core/postgis/geojson.ts'

const EMPTY = sql`'SRID=4326;MULTIPOLYGON EMPTY'::geometry`

/** A current area version as boundary editing reads it (geometry as GeoJSON text). */
export interface CurrentVersionRow {
  areaId: number
  level: AreaLevel
  version: number
  parentId: number | null
  countyCode: string
  townshipSeq: number
  villageSeq: number | null
  gridSeq: number | null
  fineSeq: number | null
  code: string
  name: string
  nameEn: string | null
  kind: AreaKind
  households: number
  population: number
  synthetic: boolean
  geometry: string
}

function currentVersionColumns() {
  return sql`a.area_id AS "areaId", l.level, a.version, a.parent_id AS "parentId", a.county_code AS "countyCode",
    a.township_seq AS "townshipSeq", a.village_seq AS "villageSeq", a.grid_seq AS "gridSeq", a.fine_seq AS "fineSeq",
    a.code, a.name, a.name_en AS "nameEn", a.kind, a.households, a.population, a.synthetic,
    ${asGeoJson(sql.ref('a.geom'), EDIT_GEOJSON_DIGITS)} AS geometry`
}

/**
 * Current versions of `ids`, locked until the transaction ends, so two saves
 * of the same area run one after the other.
 *
 * The stable identities (`areas`) are locked first, in a statement of their
 * own: a save waiting there reads the current versions afterwards, in a new
 * snapshot (READ COMMITTED), so it sees the version the other save committed
 * and answers 412. Locking the version rows alone would make it skip the row
 * the other save closed and find no current version (404).
 * `FOR NO KEY UPDATE` leaves foreign-key checks (cases registering in the
 * area) unblocked.
 */
export async function lockCurrentVersions(db: Db, ids: number[]): Promise<CurrentVersionRow[]> {
  if (ids.length === 0) return []
  await sql`SELECT id FROM areas WHERE id IN (${sql.join(ids)}) ORDER BY id FOR NO KEY UPDATE`.execute(db)
  const { rows } = await sql<CurrentVersionRow>`
    SELECT ${currentVersionColumns()}
    FROM areas l JOIN area_versions a ON a.area_id = l.id AND a.valid_to IS NULL
    WHERE a.area_id IN (${sql.join(ids)})
    ORDER BY a.area_id
    FOR UPDATE OF a`.execute(db)
  return rows
}

/** Current children of `parentIds`, locked like {@link lockCurrentVersions}. */
export async function lockCurrentChildren(db: Db, parentIds: number[]): Promise<CurrentVersionRow[]> {
  if (parentIds.length === 0) return []
  const { rows } = await sql<{ id: number }>`
    SELECT area_id AS id FROM area_versions WHERE valid_to IS NULL AND parent_id IN (${sql.join(parentIds)})`.execute(db)
  return lockCurrentVersions(db, rows.map((row) => Number(row.id)))
}

/** The current town's id, or undefined before a township is loaded. */
export async function findTownId(db: Db): Promise<number | undefined> {
  const row = await db.selectFrom('current_areas').select('area_id').where('level', '=', 'town').executeTakeFirst()
  return row?.area_id
}

/** Outcome of {@link findGeometryDefect}: OGC validity with the reason and place of the first defect. */
export type GeometryDefect = { valid: true } | { valid: false; reason: string; location: string | null }

/** Whether a GeoJSON MultiPolygon is valid in the OGC Simple Features sense (`ST_IsValidDetail`). */
export async function findGeometryDefect(db: Db, geojson: string): Promise<GeometryDefect> {
  const { rows } = await sql<{ valid: boolean; reason: string | null; location: string | null }>`
    SELECT (d).valid, (d).reason, ${asGeoJson(sql`(d).location`, EDIT_GEOJSON_DIGITS)} AS location
    FROM (SELECT ST_IsValidDetail(${geomFromGeoJson(geojson)}) AS d) x`.execute(db)
  const row = rows[0]
  return row.valid ? { valid: true } : { valid: false, reason: row.reason ?? 'invalid', location: row.location }
}

/** The first vertex farther than `marginM` metres outside the town polygon, as [lon, lat], or undefined. */
export async function findVertexOutsideTown(db: Db, geojson: string, marginM: number): Promise<[number, number] | undefined> {
  const { rows } = await sql<{ lon: number; lat: number }>`
    WITH town AS (SELECT geom FROM current_areas WHERE level = 'town' LIMIT 1),
    pts AS (SELECT (ST_DumpPoints(${geomFromGeoJson(geojson)})).geom AS pt)
    SELECT ST_X(pts.pt) AS lon, ST_Y(pts.pt) AS lat FROM pts, town
    WHERE NOT ST_Covers(town.geom, pts.pt) AND NOT ST_DWithin(pts.pt::geography, town.geom::geography, ${marginM}::float8)
    LIMIT 1`.execute(db)
  return rows[0] ? [Number(rows[0].lon), Number(rows[0].lat)] : undefined
}

/** One area of a proposed boundary state, for {@link findTopologyIssues}. */
export interface ProposedArea {
  /** Area id, or a negative key for an area the save creates. */
  key: number
  parentKey: number | null
  level: AreaLevel
  name: string
  /** New geometry as GeoJSON text; null keeps the current one. */
  geometry: string | null
}

/** A topology finding: problems block a save, gaps are warnings. */
export interface TopologyIssueRow {
  kind: 'outside_parent' | 'overlap' | 'child_outside' | 'gap'
  areaKey: number
  otherKey: number | null
  name: string
  otherName: string | null
  areaM2: number
  geometry: string
}

function proposalJson(areas: ProposedArea[], retired: number[]): string {
  return JSON.stringify({
    areas: areas.map((area) => ({ key: area.key, parent_id: area.parentKey, level: area.level, name: area.name, geometry: area.geometry })),
    retired,
  })
}

/** `prop` (the proposed areas) and `state` (every current area as it would be after the save). */
function proposedStateCtes(json: string) {
  return sql`
    input AS (SELECT ${json}::jsonb AS j),
    retired AS (SELECT (jsonb_array_elements_text(j -> 'retired'))::bigint AS key FROM input),
    prop AS (
      SELECT e.key, e.parent_id, e.level, e.name, c.exempt_geom,
        coalesce(ST_ForcePolygonCCW(ST_Multi(${geomFromGeoJson(sql.ref('e.geometry'))})), c.geom) AS geom,
        c.geom AS old_geom
      FROM input, jsonb_to_recordset(input.j -> 'areas') AS e(key bigint, parent_id bigint, level text, name text, geometry text)
      LEFT JOIN current_areas c ON c.area_id = e.key
    ),
    state AS (
      SELECT c.area_id AS key, c.parent_id, c.level, c.name, c.geom, c.exempt_geom FROM current_areas c
      WHERE c.area_id NOT IN (SELECT key FROM prop) AND c.area_id NOT IN (SELECT key FROM retired)
      UNION ALL
      SELECT p.key, p.parent_id, p.level, p.name, p.geom, p.exempt_geom FROM prop p
    )`
}

/**
 * Checks a proposed state against the grid rules, in square metres on the
 * ellipsoid: each proposed area inside its parent (`outside_parent`), no
 * overlap with a sibling (`overlap`), the current children of a changed area
 * still inside it (`child_outside`), each beyond `toleranceM2` in total; and,
 * as warnings, every gap larger than `toleranceM2` that the save would open in
 * a parent (the parent minus its exempt water minus its children, less the
 * gaps that were already there). Overlays run on the {@link OVERLAY_GRID_DEG}
 * precision grid.
 */
export async function findTopologyIssues(
  db: Db,
  areas: ProposedArea[],
  retired: number[],
  toleranceM2: number,
): Promise<TopologyIssueRow[]> {
  const grid = sql`${OVERLAY_GRID_DEG}::float8`
  const { rows } = await sql<TopologyIssueRow>`
    WITH ${proposedStateCtes(proposalJson(areas, retired))},
    outside AS (
      SELECT 'outside_parent' AS kind, p.key AS area_key, par.key AS other_key, p.name, par.name AS other_name,
        ST_Difference(p.geom, par.geom, ${grid}) AS g
      FROM prop p JOIN state par ON par.key = p.parent_id
    ),
    overlap AS (
      SELECT 'overlap' AS kind, p.key, s.key, p.name, s.name, ST_Intersection(p.geom, s.geom, ${grid})
      FROM prop p JOIN state s ON s.parent_id = p.parent_id AND s.key <> p.key AND s.geom && p.geom
      WHERE ST_Intersects(s.geom, p.geom) AND NOT (s.key IN (SELECT key FROM prop) AND s.key < p.key)
    ),
    child_outside AS (
      SELECT 'child_outside' AS kind, c.key, p.key, c.name, p.name, ST_Difference(c.geom, p.geom, ${grid})
      FROM prop p JOIN state c ON c.parent_id = p.key
      WHERE c.key NOT IN (SELECT key FROM prop)
    ),
    parents AS (
      SELECT parent_id AS key FROM prop WHERE parent_id IS NOT NULL UNION SELECT key FROM prop
    ),
    gap_after AS (
      SELECT par.key, par.name,
        ST_Difference(ST_Difference(par.geom, coalesce(par.exempt_geom, ${EMPTY}), ${grid}), ST_Union(c.geom, ${grid}), ${grid}) AS g
      FROM state par JOIN state c ON c.parent_id = par.key
      WHERE par.key IN (SELECT key FROM parents)
      GROUP BY par.key, par.name, par.geom, par.exempt_geom
    ),
    gap_before AS (
      SELECT coalesce(ST_Union(g, ${grid}), ${EMPTY}) AS g FROM (
        SELECT ST_Difference(ST_Difference(par.geom, coalesce(par.exempt_geom, ${EMPTY}), ${grid}), ST_Union(c.geom, ${grid}), ${grid}) AS g
        FROM current_areas par JOIN current_areas c ON c.parent_id = par.area_id
        WHERE par.area_id IN (SELECT key FROM parents UNION SELECT key FROM retired)
        GROUP BY par.area_id, par.geom, par.exempt_geom) x
    ),
    gaps AS (
      SELECT 'gap' AS kind, a.key, NULL::bigint, a.name, NULL::text,
        (ST_Dump(ST_CollectionExtract(ST_Difference(a.g, gap_before.g, ${grid}), 3))).geom
      FROM gap_after a, gap_before
    ),
    found AS (
      SELECT kind, area_key, other_key, name, other_name, ST_CollectionExtract(g, 3) AS g
      FROM (SELECT * FROM outside UNION ALL SELECT * FROM overlap UNION ALL SELECT * FROM child_outside UNION ALL SELECT * FROM gaps) x
    )
    SELECT kind, area_key AS "areaKey", other_key AS "otherKey", name, other_name AS "otherName",
      ST_Area(g::geography) AS "areaM2", ${asGeoJson(sql.ref('g'), EDIT_GEOJSON_DIGITS)} AS geometry
    FROM found
    WHERE NOT ST_IsEmpty(g) AND ST_Area(g::geography) > ${toleranceM2}::float8
    ORDER BY kind, area_key, other_key`.execute(db)
  return rows.map((row) => ({
    ...row,
    areaKey: Number(row.areaKey),
    otherKey: row.otherKey === null ? null : Number(row.otherKey),
    areaM2: Number(row.areaM2),
  }))
}

/** Centroid (planar, in degrees, as the numbering rule wants) and bbox of each proposed or current area. */
export interface AreaShapeRow {
  key: number
  centroid: [number, number]
  south: number
  north: number
  areaM2: number
}

/** Centroids, north/south extents and areas of `areas` (their proposed geometry, or the current one). */
export async function findAreaShapes(db: Db, areas: Array<{ key: number; geometry: string | null }>): Promise<Map<number, AreaShapeRow>> {
  if (areas.length === 0) return new Map()
  const json = JSON.stringify(areas.map((area) => ({ key: area.key, geometry: area.geometry })))
  const { rows } = await sql<{ key: number; x: number; y: number; south: number; north: number; m2: number }>`
    SELECT e.key, ST_X(ST_Centroid(g)) AS x, ST_Y(ST_Centroid(g)) AS y, ST_YMin(g) AS south, ST_YMax(g) AS north,
      ST_Area(g::geography) AS m2
    FROM jsonb_to_recordset(${json}::jsonb) AS e(key bigint, geometry text)
    LEFT JOIN current_areas c ON c.area_id = e.key
    CROSS JOIN LATERAL (SELECT coalesce(${geomFromGeoJson(sql.ref('e.geometry'))}, c.geom) AS g) x`.execute(db)
  return new Map(
    rows.map((row) => [
      Number(row.key),
      { key: Number(row.key), centroid: [Number(row.x), Number(row.y)], south: Number(row.south), north: Number(row.north), areaM2: Number(row.m2) },
    ]),
  )
}

/** Pieces of an area cut by a line (`ST_Split`), as GeoJSON Polygon texts, largest first. */
export async function splitGeometry(db: Db, areaId: number, lineGeojson: string): Promise<string[]> {
  const { rows } = await sql<{ geometry: string }>`
    SELECT ${asGeoJson(sql`ST_Multi(piece)`, EDIT_GEOJSON_DIGITS)} AS geometry FROM (
      SELECT (ST_Dump(ST_CollectionExtract(ST_Split(c.geom, ${geomFromGeoJson(lineGeojson)}), 3))).geom AS piece
      FROM current_areas c WHERE c.area_id = ${areaId}) x
    ORDER BY ST_Area(piece::geography) DESC`.execute(db)
  return rows.map((row) => row.geometry)
}

/** Union of current areas as one MultiPolygon GeoJSON text, and how many parts it has. */
export async function unionGeometry(db: Db, areaIds: number[]): Promise<{ geometry: string; parts: number }> {
  const { rows } = await sql<{ geometry: string; parts: number }>`
    SELECT ${asGeoJson(sql`ST_Multi(u)`, EDIT_GEOJSON_DIGITS)} AS geometry, ST_NumGeometries(u) AS parts
    FROM (SELECT ST_UnaryUnion(ST_Collect(geom)) AS u FROM current_areas WHERE area_id IN (${sql.join(areaIds)})) x`.execute(db)
  return { geometry: rows[0].geometry, parts: Number(rows[0].parts) }
}

/** For each current child of `parentId`, the piece (index into `pieces`) holding its point on surface, and how many pieces it overlaps beyond `toleranceM2`. */
export async function assignChildrenToPieces(
  db: Db,
  parentId: number,
  pieces: string[],
  toleranceM2: number,
): Promise<Array<{ areaId: number; piece: number | null; pieceCount: number }>> {
  const json = JSON.stringify(pieces.map((geometry, index) => ({ index, geometry })))
  const { rows } = await sql<{ area_id: number; piece: number | null; n: number }>`
    WITH pieces AS (
      SELECT e.index, ${geomFromGeoJson(sql.ref('e.geometry'))} AS g
      FROM jsonb_to_recordset(${json}::jsonb) AS e(index int, geometry text)
    )
    SELECT c.area_id,
      (SELECT p.index FROM pieces p WHERE ST_Intersects(p.g, ST_PointOnSurface(c.geom)) ORDER BY p.index LIMIT 1) AS piece,
      (SELECT count(*) FROM pieces p WHERE p.g && c.geom AND ST_Area(ST_Intersection(p.g, c.geom)::geography) > ${toleranceM2}::float8) AS n
    FROM current_areas c WHERE c.parent_id = ${parentId}`.execute(db)
  return rows.map((row) => ({ areaId: Number(row.area_id), piece: row.piece === null ? null : Number(row.piece), pieceCount: Number(row.n) }))
}

/** A new version to write: every column of `area_versions` a save may set. */
export interface NewVersion {
  areaId: number
  version: number
  parentId: number | null
  countyCode: string
  townshipSeq: number
  villageSeq: number | null
  gridSeq: number | null
  fineSeq: number | null
  name: string
  nameEn: string | null
  kind: AreaKind
  households: number
  population: number
  synthetic: boolean
  /** GeoJSON text of the geometry; null copies it (and the exempt water) from `copyFrom`. */
  geometry: string | null
  /** Version whose geometry and exempt water are copied when `geometry` is null, or whose exempt water is kept. */
  copyFrom: number | null
  changedBy: string
  changeReason: string
}

/** Creates the stable identity of a new area and returns its id. */
export async function insertAreaIdentity(db: Db, level: AreaLevel): Promise<number> {
  const row = await db.insertInto('areas').values({ level }).returning('id').executeTakeFirstOrThrow()
  return Number(row.id)
}

/** Closes the current versions of `areaIds` now (`valid_to = now()`); the rows are otherwise untouched. */
export async function closeCurrentVersions(db: Db, areaIds: number[]): Promise<void> {
  if (areaIds.length === 0) return
  await db.updateTable('area_versions').set({ valid_to: sql<Date>`now()` as never }).where('area_id', 'in', areaIds).where('valid_to', 'is', null).execute()
}

/**
 * Inserts a version valid from now. Throws (so the caller's transaction rolls
 * back) if no row was written, which an overlay that silently returns no rows
 * would otherwise turn into an area with its old version closed and no successor.
 */
export async function insertAreaVersion(db: Db, row: NewVersion): Promise<void> {
  const source = row.copyFrom === null
    ? sql`(SELECT NULL::geometry AS geom, NULL::geometry AS exempt_geom)`
    : sql`(SELECT geom, exempt_geom FROM area_versions WHERE area_id = ${row.areaId} AND version = ${row.copyFrom})`
  const geometry = sql`ST_ForcePolygonCCW(ST_Multi(${geomFromGeoJson(row.geometry)}))`
  const shape = row.geometry === null
    ? sql`src.geom, src.exempt_geom`
    : sql`${geometry}, CASE WHEN ST_IsEmpty(ST_Intersection(src.exempt_geom, ${geometry})) THEN NULL
        ELSE ST_Multi(ST_CollectionExtract(ST_Intersection(src.exempt_geom, ${geometry}), 3)) END`
  const result = await sql`
    INSERT INTO area_versions (area_id, version, valid_from, valid_to, parent_id, county_code, township_seq, village_seq, grid_seq,
      fine_seq, name, name_en, kind, households, population, geom, exempt_geom, synthetic, changed_by, change_reason)
    SELECT ${row.areaId}, ${row.version}, now(), NULL, ${row.parentId}, ${row.countyCode}, ${row.townshipSeq}, ${row.villageSeq},
      ${row.gridSeq}, ${row.fineSeq}, ${row.name}, ${row.nameEn}, ${row.kind}, ${row.households}, ${row.population},
      ${shape}, ${row.synthetic}, ${row.changedBy}, ${row.changeReason}
    FROM ${source} src`.execute(db)
  if (Number(result.numAffectedRows ?? 0) !== 1) throw new Error(`version ${row.version} of area ${row.areaId} was not written`)
}

/**
 * Records one boundary save and returns its id. The save belongs to the town of
 * `town` (county code + township number of an area it changes): a county
 * administrator has no town of their own, and with several towns the database
 * cannot guess it.
 */
export async function insertBoundaryChange(
  db: Db,
  change: { kind: BoundaryChangeKind; by: string; reason: string; summary: Record<string, unknown>; town?: { countyCode: string; townshipSeq: number } },
): Promise<number> {
  const town = change.town
  const row = await db
    .insertInto('boundary_changes')
    .values({
      kind: change.kind,
      by: change.by,
      reason: change.reason,
      summary: JSON.stringify(change.summary),
      ...(town
        ? {
            town_id: sql<number>`(SELECT area_id FROM current_areas WHERE level = 'town' AND county_code = ${town.countyCode} AND township_seq = ${town.townshipSeq})`,
          }
        : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

/** Records the versions a save wrote or closed. */
export async function insertChangeVersions(
  db: Db,
  changeId: number,
  rows: Array<{ areaId: number; version: number; action: BoundaryVersionAction }>,
): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('boundary_change_versions')
    .values(rows.map((row) => ({ change_id: changeId, area_id: row.areaId, version: row.version, action: row.action })))
    .execute()
}

/** Records how codes passed between areas in a save. */
export async function insertLineage(
  db: Db,
  changeId: number,
  by: string,
  rows: Array<{ kind: LineageKind; oldCode: string | null; newCode: string | null; oldAreaId: number | null; newAreaId: number | null }>,
): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('area_lineage')
    .values(
      rows.map((row) => ({
        change_id: changeId,
        kind: row.kind,
        old_code: row.oldCode,
        new_code: row.newCode,
        old_area_id: row.oldAreaId,
        new_area_id: row.newAreaId,
        by,
      })),
    )
    .execute()
}

/** Current codes of `areaIds`. */
export async function findCurrentCodes(db: Db, areaIds: number[]): Promise<Map<number, string>> {
  if (areaIds.length === 0) return new Map()
  const rows = await db.selectFrom('current_areas').select(['area_id', 'code']).where('area_id', 'in', areaIds).execute()
  return new Map(rows.map((row) => [Number(row.area_id), row.code]))
}
