import type { TownColumn } from './town.ts'
import type { ColumnType, Generated } from 'kysely'

/** The comprehensive-governance center and its seven stations ("1+7"). */
export interface StationTable {
  key: string
  kind: 'center' | 'station'
  name_zh: string
  name_en: string
  sort_order: number
}

/** A grid leader, grid worker or village head. */
export interface StaffTable {
  id: Generated<number>
  staff_key: string
  name: string
  phone: string | null
  synthetic: Generated<boolean>
  created_at: ColumnType<Date, Date | undefined, never>
  /** The town the row belongs to (filled by the database from its area, parent row or session; migration 0018). */
  town_id: TownColumn
}

/** Who serves which area, and since when. */
export interface GridAssignmentTable {
  id: Generated<number>
  area_id: number
  staff_id: number
  duty: 'leader' | 'worker'
  valid_from: ColumnType<Date, Date | string | undefined, Date | string>
  valid_to: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  /** The town the row belongs to (filled by the database from its area, parent row or session; migration 0018). */
  town_id: TownColumn
}
