import type { Db } from '../../core/db/database.ts'

/** A person serving an area. */
export interface AreaStaffRow {
  name: string
  phone: string | null
  duty: 'leader' | 'worker'
}

/** Current staff of an area: leader first, then workers by name. */
export async function findAreaStaff(db: Db, areaId: number): Promise<AreaStaffRow[]> {
  return db
    .selectFrom('grid_assignments as g')
    .innerJoin('staff as s', 's.id', 'g.staff_id')
    .select(['s.name', 's.phone', 'g.duty'])
    .where('g.area_id', '=', areaId)
    .where('g.valid_to', 'is', null)
    .orderBy('g.duty')
    .orderBy('s.name')
    .execute()
}
