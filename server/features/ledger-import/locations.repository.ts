import { sql } from 'kysely'
import type { Db } from '../../core/db/database.ts'

/** A current village or grid with a point on its surface (where a row located by that area is placed). */
export interface PlaceRow {
  areaId: number
  level: 'village' | 'base_grid' | 'fine_grid'
  code: string
  name: string
  nameEn: string | null
  parentId: number | null
  lon: number
  lat: number
}

/**
 * Every current village, base grid and fine grid with a point on its surface
 * (a few hundred in a township: read once per import and matched in memory).
 *
 * Emits `ST_PointOnSurface(geom)`: inside the area even when it is concave, unlike the centroid.
 */
export async function listPlaces(db: Db): Promise<PlaceRow[]> {
  const { rows } = await sql<{ area_id: number; level: PlaceRow['level']; code: string; name: string; name_en: string | null; parent_id: number | null; lon: number; lat: number }>`
    SELECT area_id, level, code, name, name_en, parent_id,
      ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat
    FROM current_areas
    WHERE level IN ('village', 'base_grid', 'fine_grid')`.execute(db)
  return rows.map((row) => ({
    areaId: Number(row.area_id),
    level: row.level,
    code: row.code,
    name: row.name,
    nameEn: row.name_en,
    parentId: row.parent_id === null ? null : Number(row.parent_id),
    lon: Number(row.lon),
    lat: Number(row.lat),
  }))
}

/** The id of a case of `kind` reported at `reportedAt` with this description, if one exists. */
export async function findSameCase(db: Db, kind: string, reportedAt: Date, description: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('cases')
    .select('id')
    .where('kind', '=', kind as 'hazard' | 'dispute')
    .where('reported_at', '=', reportedAt)
    .where('description', '=', description)
    .executeTakeFirst()
  return row ? Number(row.id) : undefined
}

/** Whether a key person (not archived) with this identity number is registered. */
export async function personWithIdNumberExists(db: Db, idNumber: string): Promise<boolean> {
  const row = await db.selectFrom('key_persons').select('id').where('id_number', '=', idNumber).where('archived_at', 'is', null).executeTakeFirst()
  return row !== undefined
}

/** Category keys with their names (zh, en) of each case kind. */
export async function listCaseCategories(db: Db): Promise<Array<{ kind: string; category: string; name_zh: string; name_en: string }>> {
  return db.selectFrom('case_routing_rules').select(['kind', 'category', 'name_zh', 'name_en']).execute()
}

/** Active key-person categories with their labels. */
export async function listPersonCategories(db: Db): Promise<Array<{ key: string; label_zh: string; label_en: string }>> {
  return db.selectFrom('key_person_categories').select(['key', 'label_zh', 'label_en']).where('active', '=', true).execute()
}
