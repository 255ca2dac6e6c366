import { sql } from 'kysely'
import type { Db } from '../../../core/db/database.ts'
import type { AreaLevel } from '../../../core/db/tables/area.ts'
import { EDIT_GEOJSON_DIGITS, geomFromGeoJson, asGeoJson } from '../../../core/postgis/geojson.ts'

/** One area whose shape a previewed change alters, for the impact queries. */
export interface ChangedShape {
  /** Area id, or a negative plan key for an area the change would create. */
  key: number
  level: AreaLevel
  /** New geometry as GeoJSON text, or null when the change retires the area. */
  geometry: string | null
}

/** How much of a source area (current) falls into a target area (proposed). */
export interface OverlapRow {
  sourceKey: number
  targetKey: number | null
  sourceM2: number
  m2: number
}

/** A point (open case or key person) whose area at `level` would change. */
export interface MovedPointRow {
  kind: 'case' | 'key_person'
  /** Case id; null for key persons (their ids are never read here). */
  caseId: number | null
  level: AreaLevel
  fromKey: number | null
  toKey: number | null
}

/** A grid worker's load (open cases and key persons in the grids they serve) now and after the change. */
export interface WorkerLoadRow {
  kind: 'staff' | 'user'
  id: number
  name: string
  areaIds: number[]
  casesBefore: number
  casesAfter: number
  keyPersonsBefore: number
  keyPersonsAfter: number
}

/** The part of an area that changes (old △ new), GeoJSON text, and what it gains and loses in m². */
export interface ChangedPartRow {
  key: number
  geometry: string | null
  addedM2: number
  removedM2: number
}

function changedJson(shapes: ChangedShape[]): string {
  return JSON.stringify(shapes.map((shape) => ({ key: shape.key, level: shape.level, geometry: shape.geometry })))
}

/**
 * `changed` (key, level, old_geom — null for a new area —, new_geom — null
 * for a retired one), `state` (every current area of the changed levels as
 * it would be after the change) and `pts` (open cases and active, not
 * archived key persons lying in an old or new shape of a changed area).
 */
function impactCtes(json: string, finalStatuses: string[]) {
  return sql`
    input AS (SELECT ${json}::jsonb AS j),
    changed AS (
      SELECT e.key, e.level, c.geom AS old_geom,
        ST_ForcePolygonCCW(ST_Multi(${geomFromGeoJson(sql.ref('e.geometry'))})) AS new_geom
      FROM input, jsonb_to_recordset(input.j) AS e(key bigint, level text, geometry text)
      LEFT JOIN current_areas c ON c.area_id = e.key
    ),
    state AS (
      SELECT c.area_id AS key, c.level, c.geom FROM current_areas c
      WHERE c.level IN (SELECT level FROM changed) AND c.area_id NOT IN (SELECT key FROM changed)
      UNION ALL
      SELECT key, level, new_geom FROM changed WHERE new_geom IS NOT NULL
    ),
    open_cases AS (
      SELECT 'case'::text AS kind, k.id AS case_id, k.geom FROM cases k
      WHERE k.closed_at IS NULL AND k.status NOT IN (${sql.join(finalStatuses)})
    ),
    active_persons AS (
      SELECT 'key_person'::text AS kind, NULL::bigint AS case_id, p.household_geom AS geom FROM key_persons p
      WHERE p.status IN ('in_management', 'away') AND p.archived_at IS NULL AND p.household_geom IS NOT NULL
    ),
    all_pts AS (SELECT * FROM open_cases UNION ALL SELECT * FROM active_persons),
    pts AS (
      SELECT row_number() OVER () AS n, a.* FROM all_pts a
      WHERE EXISTS (SELECT 1 FROM changed ch WHERE ST_Intersects(coalesce(ch.old_geom, ch.new_geom), a.geom)
        OR (ch.new_geom IS NOT NULL AND ST_Intersects(ch.new_geom, a.geom)))
    )`
}

/**
 * For each current area that the change alters or retires, its area on the
 * ellipsoid and how many m² of it fall into each proposed area of the same
 * level (target null: the rest, covered by no proposed area).
 */
export async function findFigureOverlaps(db: Db, shapes: ChangedShape[]): Promise<OverlapRow[]> {
  const { rows } = await sql<{ source: number; target: number | null; source_m2: number; m2: number }>`
    WITH ${impactCtes(changedJson(shapes), ['closed'])},
    sources AS (SELECT key, level, old_geom FROM changed WHERE old_geom IS NOT NULL),
    pairs AS (
      SELECT s.key AS source, t.key AS target, ST_Area(ST_Intersection(s.old_geom, t.geom)::geography) AS m2
      FROM sources s JOIN state t ON t.level = s.level AND t.geom && s.old_geom AND ST_Intersects(t.geom, s.old_geom)
    )
    SELECT s.key AS source, p.target, ST_Area(s.old_geom::geography) AS source_m2, p.m2
    FROM sources s JOIN pairs p ON p.source = s.key
    UNION ALL
    SELECT s.key, NULL, ST_Area(s.old_geom::geography),
      greatest(ST_Area(s.old_geom::geography) - coalesce((SELECT sum(m2) FROM pairs p WHERE p.source = s.key), 0), 0)
    FROM sources s
    ORDER BY 1, 2`.execute(db)
  return rows.map((row) => ({
    sourceKey: Number(row.source),
    targetKey: row.target === null ? null : Number(row.target),
    sourceM2: Number(row.source_m2),
    m2: Number(row.m2),
  }))
}

/**
 * Open cases and active key persons whose area at a changed level would
 * differ: before is the current area containing the point, after the
 * proposed one (the lowest key when a point lies on a shared edge).
 * Key persons are read without id, name or any other personal field.
 */
export async function findMovedPoints(db: Db, shapes: ChangedShape[], finalStatuses: string[]): Promise<MovedPointRow[]> {
  const { rows } = await sql<{ kind: 'case' | 'key_person'; case_id: number | null; level: AreaLevel; from_key: number | null; to_key: number | null }>`
    WITH ${impactCtes(changedJson(shapes), finalStatuses)},
    levels AS (SELECT DISTINCT level FROM changed),
    located AS (
      SELECT p.n, p.kind, p.case_id, l.level,
        (SELECT c.area_id FROM current_areas c WHERE c.level = l.level AND ST_Intersects(c.geom, p.geom) ORDER BY c.area_id LIMIT 1) AS from_key,
        (SELECT s.key FROM state s WHERE s.level = l.level AND ST_Intersects(s.geom, p.geom) ORDER BY s.key LIMIT 1) AS to_key
      FROM pts p CROSS JOIN levels l
    )
    SELECT kind, case_id, level, from_key, to_key FROM located
    WHERE from_key IS DISTINCT FROM to_key
    ORDER BY level, from_key, to_key, case_id`.execute(db)
  return rows.map((row) => ({
    kind: row.kind,
    caseId: row.case_id === null ? null : Number(row.case_id),
    level: row.level,
    fromKey: row.from_key === null ? null : Number(row.from_key),
    toKey: row.to_key === null ? null : Number(row.to_key),
  }))
}

/**
 * Loads of the grid workers serving a changed area: staff with a current
 * `grid_assignments` row of duty 'worker', and enabled users of role
 * grid_worker through `user_grids`. A load counts the open cases and
 * active key persons lying in any of the worker's areas, with the current
 * shapes (before) and the proposed ones (after; a retired area serves none).
 */
export async function findWorkerLoads(db: Db, shapes: ChangedShape[], finalStatuses: string[]): Promise<WorkerLoadRow[]> {
  const { rows } = await sql<{
    kind: 'staff' | 'user'; id: number; name: string; area_ids: Array<number | string>
    cases_before: number; cases_after: number; persons_before: number; persons_after: number
  }>`
    WITH ${impactCtes(changedJson(shapes), finalStatuses)},
    served AS (
      SELECT 'staff'::text AS kind, s.id, s.name, ga.area_id FROM grid_assignments ga JOIN staff s ON s.id = ga.staff_id
      WHERE ga.duty = 'worker' AND ga.valid_to IS NULL
      UNION
      SELECT 'user'::text, u.id, u.username, ug.area_id FROM user_grids ug JOIN users u ON u.id = ug.user_id
      WHERE u.role = 'grid_worker' AND NOT u.disabled
    ),
    workers AS (
      SELECT kind, id, name, array_agg(DISTINCT area_id ORDER BY area_id) AS area_ids FROM served
      GROUP BY kind, id, name
      HAVING bool_or(area_id IN (SELECT key FROM changed))
    ),
    before_shapes AS (
      SELECT w.kind, w.id, ST_Union(c.geom) AS g FROM workers w JOIN current_areas c ON c.area_id = ANY (w.area_ids) GROUP BY w.kind, w.id
    ),
    after_shapes AS (
      SELECT w.kind, w.id, ST_Union(x.geom) AS g FROM workers w
      JOIN (SELECT c.area_id AS key, c.geom FROM current_areas c WHERE c.area_id NOT IN (SELECT key FROM changed)
            UNION ALL SELECT key, new_geom FROM changed WHERE new_geom IS NOT NULL) x ON x.key = ANY (w.area_ids)
      GROUP BY w.kind, w.id
    )
    SELECT w.kind, w.id, w.name, w.area_ids,
      (SELECT count(*) FROM all_pts p, before_shapes b WHERE b.kind = w.kind AND b.id = w.id AND p.kind = 'case' AND ST_Intersects(b.g, p.geom))::int AS cases_before,
      (SELECT count(*) FROM all_pts p, after_shapes a WHERE a.kind = w.kind AND a.id = w.id AND p.kind = 'case' AND ST_Intersects(a.g, p.geom))::int AS cases_after,
      (SELECT count(*) FROM all_pts p, before_shapes b WHERE b.kind = w.kind AND b.id = w.id AND p.kind = 'key_person' AND ST_Intersects(b.g, p.geom))::int AS persons_before,
      (SELECT count(*) FROM all_pts p, after_shapes a WHERE a.kind = w.kind AND a.id = w.id AND p.kind = 'key_person' AND ST_Intersects(a.g, p.geom))::int AS persons_after
    FROM workers w ORDER BY w.kind, w.id`.execute(db)
  return rows.map((row) => ({
    kind: row.kind,
    id: Number(row.id),
    name: row.name,
    areaIds: row.area_ids.map(Number),
    casesBefore: Number(row.cases_before),
    casesAfter: Number(row.cases_after),
    keyPersonsBefore: Number(row.persons_before),
    keyPersonsAfter: Number(row.persons_after),
  }))
}

/** The changed part of each area (`ST_SymDifference` of old and new; the whole shape of a new or retired area). */
export async function findChangedParts(db: Db, shapes: ChangedShape[]): Promise<ChangedPartRow[]> {
  const { rows } = await sql<{ key: number; geometry: string | null; added: number; removed: number }>`
    WITH ${impactCtes(changedJson(shapes), ['closed'])},
    parts AS (
      SELECT key,
        CASE WHEN old_geom IS NULL THEN new_geom WHEN new_geom IS NULL THEN old_geom ELSE ST_SymDifference(old_geom, new_geom) END AS g,
        CASE WHEN old_geom IS NULL THEN new_geom WHEN new_geom IS NULL THEN NULL ELSE ST_Difference(new_geom, old_geom) END AS added,
        CASE WHEN new_geom IS NULL THEN old_geom WHEN old_geom IS NULL THEN NULL ELSE ST_Difference(old_geom, new_geom) END AS removed
      FROM changed
    )
    SELECT key, CASE WHEN g IS NULL OR ST_IsEmpty(g) THEN NULL ELSE ${asGeoJson(sql`ST_CollectionExtract(g, 3)`, EDIT_GEOJSON_DIGITS)} END AS geometry,
      coalesce(ST_Area(added::geography), 0) AS added, coalesce(ST_Area(removed::geography), 0) AS removed
    FROM parts ORDER BY key`.execute(db)
  return rows.map((row) => ({ key: Number(row.key), geometry: row.geometry, addedM2: Number(row.added), removedM2: Number(row.removed) }))
}
