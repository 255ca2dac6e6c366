import type { Kysely } from 'kysely'
import type { AreaTable, AreaVersionTable, CurrentAreaView } from './tables/area.table.ts'
import type { GridAssignmentTable, StaffTable, StationTable } from './tables/organisation.table.ts'
import type { ApiTokenTable, AppMetaTable, SessionTable, UserGridTable, UserTable } from './tables/auth.table.ts'

/** The GridAtlas schema as Kysely sees it (tables and views from `migrations/`). */
export interface Database {
  areas: AreaTable
  area_versions: AreaVersionTable
  current_areas: CurrentAreaView
  stations: StationTable
  staff: StaffTable
  grid_assignments: GridAssignmentTable
  users: UserTable
  user_grids: UserGridTable
  sessions: SessionTable
  api_tokens: ApiTokenTable
  app_meta: AppMetaTable
}

/** A Kysely handle on the GridAtlas schema (also a transaction). */
export type Db = Kysely<Database>
