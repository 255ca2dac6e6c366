import type { TownColumn } from './town.ts'
import type { ColumnType, Generated } from 'kysely'

/** What one boundary save did. */
export type BoundaryChangeKind = 'edit' | 'batch' | 'split' | 'merge' | 'create' | 'retire' | 'restore'

/** What a save did to one area version. */
export type BoundaryVersionAction = 'edit' | 'create' | 'retire' | 'renumber' | 'reparent' | 'restore'

/** How a code passed from one area to another. */
export type LineageKind = 'split' | 'merge' | 'renumber' | 'create' | 'retire'

/** One boundary save: the versions it wrote form one reviewable unit. */
export interface BoundaryChangeTable {
  id: Generated<number>
  kind: BoundaryChangeKind
  at: ColumnType<Date, Date | string | undefined, never>
  by: string
  reason: string
  summary: ColumnType<Record<string, unknown>, string, never>
  /** The town the row belongs to (filled by the database from its area, parent row or session; migration 0018). */
  town_id: TownColumn
}

/** A version written (or closed, for `retire`) by a boundary save. */
export interface BoundaryChangeVersionTable {
  change_id: number
  area_id: number
  version: number
  action: BoundaryVersionAction
  /** The town the row belongs to (filled by the database from its area, parent row or session; migration 0018). */
  town_id: TownColumn
}

/** How a code passed from area to area. */
export interface AreaLineageTable {
  id: Generated<number>
  change_id: number
  kind: LineageKind
  old_code: string | null
  new_code: string | null
  old_area_id: number | null
  new_area_id: number | null
  at: ColumnType<Date, Date | string | undefined, never>
  by: string
  /** The town the row belongs to (filled by the database from its area, parent row or session; migration 0018). */
  town_id: TownColumn
}
