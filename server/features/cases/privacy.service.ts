import type { Db } from '../../core/db/database.ts'
import type { Role } from '../../core/db/tables/auth.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { canRead, inOwnGrids } from './access.ts'
import { insertAuditEntry, type AuditActor } from '../../core/audit/audit.repository.ts'
import type { CaseAccessColumns, CaseRow } from './cases.repository.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'
import { checkedRevealReason } from '../../core/privacy/reveal-reason.ts'

/** Audit subject kind of cases (hazards and disputes share the id space). */
export const CASE_SUBJECT = 'case'

/** Fields of a case that are masked until revealed. */
export type CaseRevealField = 'reporterPhone' | 'partyPhones'

/** Roles that may ever reveal a case's phones; grid workers and station staff only for their own cases. */
export const CASE_REVEAL_ROLES: readonly Role[] = ['admin', 'dispatcher', 'grid_worker', 'station']

/**
 * Whether `user` may reveal the phones of `row` — the same least-privilege
 * rule as key persons, extended to who handles the case: admin and
 * dispatcher any case; a grid worker cases in their grids or that they
 * registered; station staff cases dispatched to their station (they call the
 * parties to mediate). Leaders never (they read cases, not contacts).
 */
export function mayRevealCase(user: UserRecord, row: CaseAccessColumns): boolean {
  if (user.role === 'admin' || user.role === 'dispatcher') return true
  if (user.role === 'grid_worker') return inOwnGrids(user, row) || row.registered_by === user.id
  if (user.role === 'station') return user.stationKey !== null && row.station_key === user.stationKey
  return false
}

/** The unmasked values asked for. */
export interface RevealedCaseFields {
  reporterPhone?: string | null
  parties?: Array<{ seq: number; name: string; phone: string | null }>
}

/**
 * Reveals phones of a case the user may read, with a reason, writing a
 * `reveal` audit entry (run in a transaction). A refusal writes a `denied`
 * entry and is returned (not thrown) so the caller commits it.
 */
export async function revealCaseFields(
  db: Db,
  user: UserRecord,
  actor: AuditActor,
  row: CaseRow,
  fields: CaseRevealField[],
  reason: string,
): Promise<RevealedCaseFields | HttpError> {
  if (!canRead(user, row)) return new HttpError(404, 'case_not_found', { id: row.id, kind: row.kind })
  const trimmed = checkedRevealReason(reason, 'case_reveal_reason_required')
  const unique = [...new Set(fields)].sort()
  if (!mayRevealCase(user, row)) {
    await insertAuditEntry(db, actor, { action: 'denied', subjectKind: CASE_SUBJECT, subjectIds: [row.id], fields: unique, detail: { attempted: 'reveal' } })
    return new HttpError(403, 'case_reveal_forbidden')
  }
  await insertAuditEntry(db, actor, { action: 'reveal', subjectKind: CASE_SUBJECT, subjectIds: [row.id], fields: unique, reason: trimmed })
  const revealed: RevealedCaseFields = {}
  if (unique.includes('reporterPhone')) revealed.reporterPhone = row.reporter_phone
  if (unique.includes('partyPhones')) revealed.parties = row.parties.map((party) => ({ seq: party.seq, name: party.name, phone: party.phone }))
  return revealed
}
