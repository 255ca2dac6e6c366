import type { ColumnType, Generated } from 'kysely'
import type { TownColumn } from './town.ts'

/** Where an escalation to the county (事件上报) stands. */
export type EscalationStatus = 'pending' | 'accepted' | 'returned' | 'closed'

type Stamp = ColumnType<Date | null, Date | null | undefined, Date | null>
type Text = ColumnType<string | null, string | null | undefined, string | null>
type UserRef = ColumnType<number | null, number | null | undefined, number | null>

/** A case escalated by a town's center to the county (migration 0020). */
export interface CaseEscalationTable {
  id: Generated<number>
  case_id: ColumnType<number, number, never>
  /** The case's town (filled by the database from the case). */
  town_id: TownColumn
  status: ColumnType<EscalationStatus, EscalationStatus | undefined, EscalationStatus>
  reason: ColumnType<string, string, never>
  escalated_at: ColumnType<Date, Date | undefined, never>
  escalated_by: ColumnType<number, number, never>
  accepted_at: Stamp
  accepted_by: UserRef
  returned_at: Stamp
  instructions: Text
  closed_at: Stamp
  closing_note: Text
  /** The county user who returned or closed it. */
  finished_by: UserRef
  version: ColumnType<number, number | undefined, number>
  updated_at: ColumnType<Date, Date | undefined, Date>
}
