import type { ColumnType, Generated } from 'kysely'

/** Four-colour management level (四色管理). */
export const COLOURS = ['red', 'orange', 'yellow', 'green'] as const
export type Colour = (typeof COLOURS)[number]

/** Management status: 在管, 外出, 解除. */
export const PERSON_STATUSES = ['in_management', 'away', 'released'] as const
export type PersonStatus = (typeof PERSON_STATUSES)[number]

/** How a visit was made. */
export const VISIT_KINDS = ['home', 'phone', 'other'] as const
export type VisitKind = (typeof VISIT_KINDS)[number]

/** A configurable category of key persons. */
export interface KeyPersonCategoryTable {
  key: string
  label_zh: string
  label_en: string
  sort_order: ColumnType<number, number | undefined, number>
  active: ColumnType<boolean, boolean | undefined, boolean>
}

/** Visit frequency of a colour. */
export interface KeyPersonColourTable {
  colour: Colour
  label_zh: string
  label_en: string
  visit_interval_days: number
  sort_order: number
  updated_at: ColumnType<Date, Date | undefined, Date>
  updated_by: number | null
}

/** The module's single settings row. */
export interface KeyPersonSettingsTable {
  id: ColumnType<boolean, boolean | undefined, never>
  retention_days: number
  due_soon_days: number
  /** k of small-count suppression of key-person aggregates (migration 0014). */
  min_aggregate_count: ColumnType<number, number | undefined, number>
  updated_at: ColumnType<Date, Date | undefined, Date>
  updated_by: number | null
}

/**
 * A key person. `household_geom` is the registered household point (written
 * as a PostGIS expression, read as GeoJSON text); identifying columns are
 * null once archived.
 */
export interface KeyPersonTable {
  id: Generated<number>
  name: string
  gender: 'male' | 'female' | null
  birth_year: number | null
  id_number: string | null
  phone: string | null
  address: string | null
  household_geom: ColumnType<unknown, unknown, unknown>
  village_id: number
  village_version: number
  base_grid_id: number | null
  base_grid_version: number | null
  fine_grid_id: number | null
  fine_grid_version: number | null
  category: string
  colour: Colour
  status: ColumnType<PersonStatus, PersonStatus | undefined, PersonStatus>
  released_at: Date | null
  archived_at: Date | null
  responsible_user_id: number | null
  responsible_staff_id: number | null
  note: ColumnType<string, string | undefined, string>
  version: ColumnType<number, number | undefined, number>
  created_at: ColumnType<Date, Date | undefined, never>
  created_by: number
  updated_at: ColumnType<Date, Date | undefined, Date>
  updated_by: number
}

/** A visit (走访) to a key person. */
export interface KeyPersonVisitTable {
  id: Generated<number>
  person_id: number
  visitor_user_id: number
  visited_at: Date
  kind: VisitKind
  note: ColumnType<string, string | undefined, string>
  colour: Colour
  next_due: Date
  created_at: ColumnType<Date, Date | undefined, never>
}
