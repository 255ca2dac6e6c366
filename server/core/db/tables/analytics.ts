import type { TownColumn } from './town.ts'
import type { ColumnType, Generated } from 'kysely'

/** The single row of risk-score settings (weights, half-life, colour thresholds). */
export interface AnalyticsSettingsTable {
  id: ColumnType<boolean, boolean | undefined, never>
  hazard_low: number
  hazard_medium: number
  hazard_high: number
  hazard_critical: number
  dispute_general: number
  dispute_complex: number
  dispute_major: number
  half_life_days: number
  key_person_red: number
  key_person_orange: number
  key_person_yellow: number
  key_person_green: number
  overdue_penalty: number
  yellow_from: number
  orange_from: number
  red_from: number
  updated_at: ColumnType<Date, Date | undefined, Date>
  updated_by: number | null
}

/** A joint mediation case (联调) opened on a cluster of disputes. */
export interface JointCaseTable {
  id: Generated<number>
  title: string
  note: ColumnType<string, string | undefined, string>
  status: ColumnType<'open' | 'closed', 'open' | 'closed' | undefined, 'open' | 'closed'>
  cluster: ColumnType<Record<string, unknown>, string | undefined, string>
  opened_at: ColumnType<Date, Date | undefined, never>
  opened_by: number
  closed_at: Date | null
  closed_by: number | null
  close_reason: string | null
  /** The town the row belongs to (filled by the database from its area, parent row or session; migration 0018). */
  town_id: TownColumn
  /** The towns of its disputes, ascending; kept by the database from its links (migration 0023), readable by each of them. */
  town_ids: ColumnType<Array<number | string>, never, never>
}

/** A dispute linked to a joint case. */
export interface JointCaseDisputeTable {
  joint_case_id: number
  case_id: number
  /** The town of the dispute (filled by the database from the case; migration 0023), which may differ from the joint case's. */
  town_id: TownColumn
}

/** A station a joint case is dispatched to. */
export interface JointCaseStationTable {
  joint_case_id: number
  station_key: string
  /** The town the row belongs to (filled by the database from its area, parent row or session; migration 0018). */
  town_id: TownColumn
}

/** One slot of a data revision counter (migration 0016): the revision of a topic is the sum of its slots. */
export interface DataRevisionTable {
  topic: 'cases' | 'areas'
  slot: number
  revision: ColumnType<string, never, never>
}
