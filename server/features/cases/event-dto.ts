import type { CaseEventRow } from './events.repository.ts'
import type { CaseEventDto } from './cases.schemas.ts'

/** The API view of a ledger entry. */
export function toCaseEventDto(row: CaseEventRow): CaseEventDto {
  return {
    id: row.id,
    at: row.at.toISOString(),
    userId: row.user_id,
    username: row.username,
    role: row.role,
    action: row.action,
    statusFrom: row.status_from,
    statusTo: row.status_to,
    version: row.version,
    changes: row.changes,
    reason: row.reason,
  }
}
