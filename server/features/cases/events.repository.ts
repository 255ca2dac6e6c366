import type { Db } from '../../core/db/database.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'

/** Before/after of each changed field, by API field name. */
export type FieldChanges = Record<string, { before: unknown; after: unknown }>

/** A new ledger entry. */
export interface NewCaseEvent {
  subject: { caseId: number } | { leadId: number }
  user: UserRecord
  action: string
  statusFrom: string | null
  statusTo: string
  version: number
  changes: FieldChanges
  reason?: string | null
}

/** A ledger entry as read. */
export interface CaseEventRow {
  id: number
  at: Date
  user_id: number
  username: string
  role: string
  action: string
  status_from: string | null
  status_to: string
  version: number
  changes: FieldChanges
  reason: string | null
}

/** Appends one entry to the ledger (the table refuses updates and deletes). */
export async function insertCaseEvent(db: Db, event: NewCaseEvent): Promise<void> {
  await db
    .insertInto('case_events')
    .values({
      case_id: 'caseId' in event.subject ? event.subject.caseId : null,
      lead_id: 'leadId' in event.subject ? event.subject.leadId : null,
      user_id: event.user.id,
      username: event.user.username,
      role: event.user.role,
      action: event.action,
      status_from: event.statusFrom,
      status_to: event.statusTo,
      version: event.version,
      changes: JSON.stringify(event.changes),
      reason: event.reason ?? null,
    })
    .execute()
}

/** Every ledger entry of a case or a lead, oldest first. */
export async function findCaseEvents(db: Db, subject: { caseId: number } | { leadId: number }): Promise<CaseEventRow[]> {
  let q = db
    .selectFrom('case_events')
    .select(['id', 'at', 'user_id', 'username', 'role', 'action', 'status_from', 'status_to', 'version', 'changes', 'reason'])
  q = 'caseId' in subject ? q.where('case_id', '=', subject.caseId) : q.where('lead_id', '=', subject.leadId)
  return q.orderBy('id').execute()
}
