import type { Kysely } from 'kysely'
import type { AreaTable, AreaVersionTable, CurrentAreaView, DivisionDirectoryView } from './tables/area.ts'
import type { GridAssignmentTable, StaffTable, StationTable } from './tables/organisation.ts'
import type { ApiTokenTable, AppMetaTable, SessionTable, UserGridTable, UserTable } from './tables/auth.ts'
import type {
  CaseDeadlineSettingTable,
  CaseEventTable,
  CasePartyTable,
  CasePhotoTable,
  CaseRoutingRuleTable,
  CaseTable,
  LeadTable,
} from './tables/case.ts'
import type { AuditLogTable } from './tables/audit.ts'
import type { LoginChallengeTable, LoginThrottleTable, UserRecoveryCodeTable, UserSecondFactorTable } from './tables/login.ts'
import type { AreaLineageTable, BoundaryChangeTable, BoundaryChangeVersionTable } from './tables/boundary.ts'
import type { AnalyticsSettingsTable, DataRevisionTable, JointCaseDisputeTable, JointCaseStationTable, JointCaseTable } from './tables/analytics.ts'
import type {
  KeyPersonCategoryTable,
  KeyPersonColourTable,
  KeyPersonSettingsTable,
  KeyPersonTable,
  KeyPersonVisitTable,
} from './tables/key-person.ts'
import type { CaseEscalationTable } from './tables/county.ts'

/** The GridAtlas schema as Kysely sees it (tables and views from `migrations/`). */
export interface Database {
  areas: AreaTable
  area_versions: AreaVersionTable
  current_areas: CurrentAreaView
  division_directory: DivisionDirectoryView
  stations: StationTable
  staff: StaffTable
  grid_assignments: GridAssignmentTable
  users: UserTable
  user_grids: UserGridTable
  sessions: SessionTable
  api_tokens: ApiTokenTable
  app_meta: AppMetaTable
  key_person_categories: KeyPersonCategoryTable
  key_person_colours: KeyPersonColourTable
  key_person_settings: KeyPersonSettingsTable
  key_persons: KeyPersonTable
  key_person_visits: KeyPersonVisitTable
  audit_log: AuditLogTable
  cases: CaseTable
  case_parties: CasePartyTable
  case_events: CaseEventTable
  case_photos: CasePhotoTable
  leads: LeadTable
  case_routing_rules: CaseRoutingRuleTable
  case_deadline_settings: CaseDeadlineSettingTable
  analytics_settings: AnalyticsSettingsTable
  joint_cases: JointCaseTable
  joint_case_disputes: JointCaseDisputeTable
  joint_case_stations: JointCaseStationTable
  data_revisions: DataRevisionTable
  boundary_changes: BoundaryChangeTable
  boundary_change_versions: BoundaryChangeVersionTable
  area_lineage: AreaLineageTable
  login_throttle: LoginThrottleTable
  user_second_factors: UserSecondFactorTable
  user_recovery_codes: UserRecoveryCodeTable
  login_challenges: LoginChallengeTable
  case_escalations: CaseEscalationTable
}

/** A Kysely handle on the GridAtlas schema (also a transaction). */
export type Db = Kysely<Database>
