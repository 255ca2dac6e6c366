import { sql } from 'kysely'
import type { Db } from '../../../core/db/database.ts'
import { EDIT_GEOJSON_DIGITS, asGeoJson } from '../../../core/postgis/geojson.ts'
import { ALL_TIME, areaVersionsAt, validityBound, type AreaTime } from '../areas.repository.ts'

/** One version of an area, as the history lists it. */
export interface AreaVersionRow {
  version: number
  validFrom: Date
  validTo: Date | null
  code: string
  name: string
  parentId: number | null
  households: number
  population: number
  changedBy: string
  changeReason: string
  changeId: number | null
  geometry: string
}

/**
 * The versions of an area in force within `time` (default: every version),
 * oldest first (geometry as GeoJSON text); empty when there is no such area.
 * Selects from {@link areaVersionsAt}, the query the OGC items use with `datetime`.
 */
export async function findAreaVersions(db: Db, areaId: number, time: AreaTime = ALL_TIME): Promise<AreaVersionRow[]> {
  const rows = await db
    .selectFrom(areaVersionsAt(db, time).as('v'))
    .where('v.area_id', '=', areaId)
    .select([
      'v.version',
      validityBound('v.valid_from').as('validFrom'),
      sql<Date | null>`${validityBound('v.valid_to')}`.as('validTo'),
      'v.code',
      'v.name',
      'v.parent_id as parentId',
      'v.households',
      'v.population',
      'v.changed_by as changedBy',
      'v.change_reason as changeReason',
      sql<number | null>`(SELECT max(cv.change_id) FROM boundary_change_versions cv
        WHERE cv.area_id = v.area_id AND cv.version = v.version AND cv.action <> 'retire')`.as('changeId'),
      asGeoJson(sql.ref('v.geom'), EDIT_GEOJSON_DIGITS).as('geometry'),
    ])
    .orderBy('v.version')
    .execute()
  return rows.map((row) => ({ ...row, parentId: row.parentId === null ? null : Number(row.parentId), changeId: row.changeId === null ? null : Number(row.changeId) }))
}

/** One version's geometry as GeoJSON text, or undefined. */
export async function findVersionGeometry(db: Db, areaId: number, version: number): Promise<string | undefined> {
  const { rows } = await sql<{ geometry: string }>`
    SELECT ${asGeoJson(sql.ref('geom'), EDIT_GEOJSON_DIGITS)} AS geometry FROM area_versions WHERE area_id = ${areaId} AND version = ${version}`.execute(db)
  return rows[0]?.geometry
}

/** A lineage entry. */
export interface LineageRow {
  changeId: number
  kind: string
  oldCode: string | null
  newCode: string | null
  oldAreaId: number | null
  newAreaId: number | null
  at: Date
  by: string
}

/** Lineage entries where `code` is the old or the new code, oldest first. */
export async function findLineage(db: Db, code: string): Promise<LineageRow[]> {
  const rows = await db
    .selectFrom('area_lineage')
    .select(['change_id as changeId', 'kind', 'old_code as oldCode', 'new_code as newCode', 'old_area_id as oldAreaId', 'new_area_id as newAreaId', 'at', 'by'])
    .where((eb) => eb.or([eb('old_code', '=', code), eb('new_code', '=', code)]))
    .orderBy('id')
    .execute()
  return rows.map((row) => ({
    ...row,
    changeId: Number(row.changeId),
    oldAreaId: row.oldAreaId === null ? null : Number(row.oldAreaId),
    newAreaId: row.newAreaId === null ? null : Number(row.newAreaId),
  }))
}

/** A boundary change with the versions it wrote. */
export interface ChangeRow {
  id: number
  kind: string
  at: Date
  by: string
  reason: string
  summary: Record<string, unknown>
  versions: Array<{ areaId: number; version: number; action: string }>
}

/** Boundary changes, newest first. */
export async function findChanges(db: Db, limit: number, offset: number): Promise<{ rows: ChangeRow[]; total: number }> {
  const { rows } = await sql<ChangeRow & { total: number }>`
    SELECT c.id, c.kind, c.at, c.by, c.reason, c.summary, count(*) OVER () AS total,
      coalesce((SELECT json_agg(json_build_object('areaId', cv.area_id, 'version', cv.version, 'action', cv.action) ORDER BY cv.area_id)
        FROM boundary_change_versions cv WHERE cv.change_id = c.id), '[]'::json) AS versions
    FROM boundary_changes c ORDER BY c.id DESC LIMIT ${limit} OFFSET ${offset}`.execute(db)
  return {
    rows: rows.map(({ total: _total, ...row }) => ({ ...row, id: Number(row.id) })),
    total: rows.length > 0 ? Number(rows[0].total) : 0,
  }
}
