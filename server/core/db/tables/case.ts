import type { ColumnType, Generated } from 'kysely'

/** The two kinds of case on the map. */
export type CaseKind = 'hazard' | 'dispute'
/** Severity of a hazard. */
export type HazardSeverity = 'low' | 'medium' | 'high' | 'critical'
/** Tier of a dispute (一般 / 疑难 / 重大). */
export type DisputeTier = 'general' | 'complex' | 'major'
/** Who brought a case in. */
export type CaseSource = 'grid_worker' | 'walk_in' | 'hotline' | 'department' | 'lead'
/** Mediation modes of the six-step method. */
export type MediationMode = 'pre_litigation' | 'jinhua' | 'apeng' | 'expert' | 'other'
/** Outcome of a resolution. */
export type CaseOutcome = 'agreement' | 'withdrawn' | 'litigation' | 'failed'
/** Statuses of a lead (线索). */
export type LeadStatus = 'pending' | 'verified' | 'converted' | 'dismissed'

type Stamp = ColumnType<Date | null, Date | null | undefined, Date | null>
type Text = ColumnType<string | null, string | null | undefined, string | null>

/** A hazard or a dispute; kind-specific columns are null for the other kind. */
export interface CaseTable {
  id: Generated<number>
  kind: CaseKind
  status: string
  category: string
  description: string
  severity: HazardSeverity | null
  tier: DisputeTier | null
  source: CaseSource
  reporter_name: string
  reporter_phone: Text
  photos: ColumnType<unknown, string | undefined, string>
  lead_id: ColumnType<number | null, number | null | undefined, never>
  cross_village: ColumnType<boolean, boolean | undefined, never>
  geom: ColumnType<unknown, unknown, never>
  reported_at: ColumnType<Date, Date, never>
  registered_at: ColumnType<Date, Date | undefined, never>
  registered_by: ColumnType<number, number, never>
  village_id: ColumnType<number, number, never>
  village_version: ColumnType<number, number, never>
  base_grid_id: ColumnType<number | null, number | null, never>
  base_grid_version: ColumnType<number | null, number | null, never>
  fine_grid_id: ColumnType<number | null, number | null, never>
  fine_grid_version: ColumnType<number | null, number | null, never>
  deadline_at: ColumnType<Date, Date, Date>
  station_key: Text
  village_center_id: ColumnType<number | null, number | null | undefined, number | null>
  mediator_name: Text
  dispatched_at: Stamp
  escalated_at: Stamp
  escalation_department: Text
  escalation_reason: Text
  mediation_mode: ColumnType<MediationMode | null, MediationMode | null | undefined, MediationMode | null>
  outcome: ColumnType<CaseOutcome | null, CaseOutcome | null | undefined, CaseOutcome | null>
  outcome_note: Text
  resolved_at: Stamp
  feedback_note: Text
  fed_back_at: Stamp
  satisfaction: ColumnType<number | null, number | null | undefined, number | null>
  timely: ColumnType<boolean | null, boolean | null | undefined, boolean | null>
  evaluation_note: Text
  evaluated_at: Stamp
  verified_at: Stamp
  verification_note: Text
  rectification_plan: Text
  rectification_note: Text
  rectified_at: Stamp
  closed_at: Stamp
  version: ColumnType<number, number | undefined, number>
  updated_at: ColumnType<Date, Date | undefined, Date>
}

/** A party (当事人) of a dispute. */
export interface CasePartyTable {
  case_id: number
  seq: number
  name: string
  role: 'applicant' | 'respondent' | 'party'
  phone: string | null
  home_village_id: number
}

/** One append-only ledger entry (台账) on a case or a lead. */
export interface CaseEventTable {
  id: Generated<number>
  case_id: number | null
  lead_id: number | null
  at: ColumnType<Date, Date | undefined, never>
  user_id: number
  username: string
  role: string
  action: string
  status_from: string | null
  status_to: string
  version: number
  changes: ColumnType<Record<string, { before: unknown; after: unknown }>, string, never>
  reason: string | null
}

/** A clue handed over by a department (线索). */
export interface LeadTable {
  id: Generated<number>
  status: ColumnType<LeadStatus, LeadStatus | undefined, LeadStatus>
  department: string
  category: string | null
  description: string
  geom: ColumnType<unknown, unknown, never>
  village_id: number | null
  base_grid_id: number | null
  fine_grid_id: number | null
  received_at: ColumnType<Date, Date, never>
  received_by: ColumnType<number, number, never>
  verified_at: Stamp
  verification_note: Text
  dismissed_reason: Text
  closed_at: Stamp
  version: ColumnType<number, number | undefined, number>
  updated_at: ColumnType<Date, Date | undefined, Date>
}

/** A category of a kind and the station its cases go to by default. */
export interface CaseRoutingRuleTable {
  kind: CaseKind
  category: string
  name_zh: string
  name_en: string
  station_key: string
  sort_order: ColumnType<number, number | undefined, number>
  updated_at: ColumnType<Date, Date | undefined, Date>
  updated_by: ColumnType<string, string | undefined, string>
}

/** Hours allowed for a dispute tier or a hazard severity. */
export interface CaseDeadlineSettingTable {
  kind: CaseKind
  grade: string
  hours: number
  updated_at: ColumnType<Date, Date | undefined, Date>
  updated_by: ColumnType<string, string | undefined, string>
}

/** A photo of a case; the bytes are in the photo folder under `file_name`. */
export interface CasePhotoTable {
  id: Generated<number>
  case_id: number
  file_name: string
  content_type: 'image/jpeg' | 'image/png' | 'image/webp'
  size_bytes: number
  original_name: string | null
  uploaded_at: ColumnType<Date, Date | undefined, never>
  uploaded_by: number
}
