import type { TownColumn } from './town.ts'
import type { ColumnType, Generated } from 'kysely'

/** Hierarchy level of an area. */
export type AreaLevel = 'town' | 'village' | 'base_grid' | 'fine_grid'

/** Kind of a grid; dedicated grids (专属网格) are fine grids with a kind other than `standard`. */
export type AreaKind = 'standard' | 'school' | 'market' | 'scenic' | 'enterprise'

/** Stable identity of an area across its versions. */
export interface AreaTable {
  id: Generated<number>
  level: AreaLevel
  created_at: ColumnType<Date, Date | undefined, never>
}

/**
 * One effective-dated version of an area. Geometry columns are read through
 * PostGIS helpers (GeoJSON text) and written as EWKT/GeoJSON expressions.
 */
export interface AreaVersionTable {
  area_id: number
  version: number
  valid_from: ColumnType<Date, Date | string, Date | string>
  valid_to: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  parent_id: number | null
  county_code: string
  township_seq: number
  village_seq: number | null
  grid_seq: number | null
  fine_seq: number | null
  code: ColumnType<string, never, never>
  name: string
  name_en: string | null
  kind: AreaKind
  households: number
  population: number
  geom: ColumnType<unknown, unknown, unknown>
  exempt_geom: ColumnType<unknown, unknown, unknown>
  synthetic: boolean
  changed_by: string
  change_reason: string
  /** The town the row belongs to (filled by the database from its area, parent row or session; migration 0018). */
  town_id: TownColumn
}

/** The `current_areas` view: the version in force of every area, with its level. */
export interface CurrentAreaView extends Omit<AreaVersionTable, 'code'> {
  level: AreaLevel
  code: string
}

/**
 * The `division_directory` view (migration 0023): the names and codes of every
 * town and village in force with its town, readable by every town (reference
 * data: no geometry, no content; it is not under row-level security).
 */
export interface DivisionDirectoryView {
  id: ColumnType<number, never, never>
  level: ColumnType<'town' | 'village', never, never>
  code: ColumnType<string, never, never>
  name: ColumnType<string, never, never>
  name_en: ColumnType<string | null, never, never>
  town_id: ColumnType<number, never, never>
  town_code: ColumnType<string, never, never>
  town_name: ColumnType<string, never, never>
  town_name_en: ColumnType<string | null, never, never>
}
