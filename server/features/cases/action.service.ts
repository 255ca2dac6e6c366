import type { Db } from '../../core/db/database.ts'
import type { Role } from '../../core/db/tables/auth.ts'
import type { CaseKind } from '../../core/db/tables/case.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { assertMayAct, canRead } from './access.ts'
import { isFinal, nextStatus } from './workflow.ts'
import { DISPUTE_WORKFLOW } from './dispute-workflow.ts'
import { HAZARD_WORKFLOW } from './hazard-workflow.ts'
import { ACTION_LABELS, KIND_LABELS, STATUS_LABELS, label } from './labels.ts'
import { fieldChanges } from './field-changes.ts'
import { toCaseDto, caseAllowedActions } from './case-dto.ts'
import { insertCaseEvent } from './events.repository.ts'
import { findCase, updateCaseIfVersion, type CasePatch, type CaseRow } from './cases.repository.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'

/** What a workflow action does to a case. */
export interface CaseActionSpec {
  kind: CaseKind
  id: number
  action: string
  /** Roles allowed by the permission matrix (station and grid-worker scoping is applied on top). */
  roles: readonly Role[]
  /** Version from `If-Match`, if sent. */
  ifMatch?: number
  /** Why (recorded in the ledger). */
  reason?: string | null
  /** The fields the action sets besides the status; may refuse with 400. */
  patch(trx: Db, row: CaseRow, now: Date): Promise<CasePatch> | CasePatch
}

/** 404 for a case that does not exist or that the user may not read. */
export function caseNotFound(kind: CaseKind, id: number): HttpError {
  return new HttpError(404, 'case_not_found', { id, kind, kindLabel: label(KIND_LABELS, kind, 'zh') })
}

/** 409 naming the current status and the actions it allows. */
export function illegalTransition(kind: string, status: string, action: string, allowed: string[]): HttpError {
  return new HttpError(
    409,
    'illegal_transition',
    {
      kind,
      status,
      action,
      statusLabel: label(STATUS_LABELS, status, 'zh'),
      actionLabel: label(ACTION_LABELS, action, 'zh'),
      allowed: allowed.join(', '),
      allowedZh: allowed.map((name) => label(ACTION_LABELS, name, 'zh')).join('、'),
    },
    { status, allowedActions: allowed },
  )
}

/** 412 with the current state of the record in the body. */
export function versionMismatch(expected: number, current: number, state: unknown): HttpError {
  return new HttpError(412, 'version_mismatch', { expected, current }, { currentVersion: current, current: state })
}

/**
 * Runs one workflow action in one transaction: reads the case, checks
 * permission (404/403), `If-Match` (412), the transition (409) and the
 * body (400), then updates it with `WHERE version = expected` and appends
 * the ledger entry. If another change won meanwhile, nothing is applied:
 * 412 with If-Match, 409 without. Returns the case as committed.
 */
export async function applyCaseAction(db: Db, user: UserRecord, spec: CaseActionSpec): Promise<CaseRow> {
  return db.transaction().execute(async (trx) => {
    const row = await findCase(trx, spec.kind, spec.id)
    if (!row || !canRead(user, row)) throw caseNotFound(spec.kind, spec.id)
    assertMayAct(user, spec.roles, row)
    if (spec.ifMatch !== undefined && spec.ifMatch !== row.version) throw versionMismatch(spec.ifMatch, row.version, toCaseDto(row, user))
    const workflow = spec.kind === 'hazard' ? HAZARD_WORKFLOW : DISPUTE_WORKFLOW
    const to = nextStatus(workflow as typeof HAZARD_WORKFLOW, row.status as never, spec.action as never) as string | undefined
    if (!to) throw illegalTransition(spec.kind, row.status, spec.action, caseAllowedActions(spec.kind, row.status))
    const now = new Date()
    const patch: CasePatch = { ...(await spec.patch(trx, row, now)), status: to }
    if (isFinal(workflow as typeof HAZARD_WORKFLOW, to as never)) patch.closed_at = now
    const expected = spec.ifMatch ?? row.version
    const updated = await updateCaseIfVersion(trx, row.id, expected, patch)
    if (updated === 0) {
      const current = await findCase(trx, spec.kind, spec.id)
      if (spec.ifMatch !== undefined && current) throw versionMismatch(spec.ifMatch, current.version, toCaseDto(current, user))
      throw new HttpError(409, 'concurrent_change', {}, current ? { current: toCaseDto(current, user) } : undefined)
    }
    await insertCaseEvent(trx, {
      subject: { caseId: row.id },
      user,
      action: spec.action,
      statusFrom: row.status,
      statusTo: to,
      version: expected + 1,
      changes: fieldChanges(row as unknown as Record<string, unknown>, patch),
      reason: spec.reason ?? null,
    })
    return (await findCase(trx, spec.kind, spec.id))!
  })
}
