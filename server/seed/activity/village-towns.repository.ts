import { sql } from 'kysely'
import type { Db } from '../../core/db/database.ts'

/** Each village in force at `at` with the code of its town. */
export async function findVillageTowns(db: Db, at: Date): Promise<Array<{ villageId: number; townCode: string }>> {
  const { rows } = await sql<{ village_id: number; town_code: string }>`
    SELECT v.area_id AS village_id, t.code AS town_code
    FROM area_versions v
    JOIN areas a ON a.id = v.area_id AND a.level = 'village'
    JOIN area_versions t ON t.area_id = v.parent_id AND t.valid_from <= ${at} AND (t.valid_to IS NULL OR t.valid_to > ${at})
    WHERE v.valid_from <= ${at} AND (v.valid_to IS NULL OR v.valid_to > ${at})
    ORDER BY v.area_id`.execute(db)
  return rows.map((row) => ({ villageId: Number(row.village_id), townCode: row.town_code }))
}
