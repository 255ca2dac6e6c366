import type { Db } from '../../core/db/database.ts'
import type { EscalationStatus } from '../../core/db/tables/county.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { canReadCase, findCaseById, insertCaseEvent, updateCaseIfVersion, versionMismatch, type CaseRow } from '../cases/index.ts'
import { ESCALATION_TRANSITIONS, LEDGER_ACTION, allowedEscalationActions, type EscalationAction } from './escalation-workflow.ts'
import {
  findEscalation,
  findEscalationInProgress,
  insertEscalation,
  updateEscalationIfVersion,
  type EscalationPatch,
  type EscalationRow,
} from './escalations.repository.ts'
import { isCountyUser, userTownId } from './town-scope.ts'

/** Chinese labels of the escalation statuses and actions (messages; the client has its own). */
export const ESCALATION_STATUS_ZH: Record<EscalationStatus, string> = { pending: '待受理', accepted: '已受理', returned: '已交办', closed: '已办结' }
const ACTION_ZH: Record<EscalationAction, string> = { accept: '受理', return: '交办乡镇', close: '办结' }

/** The outcome of an escalation step: the escalation and the case as committed. */
export interface EscalationResult {
  escalation: EscalationRow
  caseRow: CaseRow
}

/** 404 for a case that cannot be escalated by the caller: "没有编号为 … 的事件", whatever its kind. */
function escalatedCaseNotFound(id: number): HttpError {
  return new HttpError(404, 'case_not_found', { id })
}

/** 404 for an escalation that does not exist or that the user may not see (another town's). */
function escalationNotFound(id: number): HttpError {
  return new HttpError(404, 'escalation_not_found', { id })
}

/** Whether `user` may see `escalation`: county users all, town users their own town's. */
export function maySeeEscalation(user: UserRecord, escalation: Pick<EscalationRow, 'town_id'>): boolean {
  return isCountyUser(user) || userTownId(user) === escalation.town_id
}

/** The town of a case (read apart: the case rows of the cases feature do not carry it). */
async function caseTownId(db: Db, caseId: number): Promise<number> {
  const row = await db.selectFrom('cases').select('town_id').where('id', '=', caseId).executeTakeFirstOrThrow()
  return Number(row.town_id)
}

/**
 * A town's center escalates a case to the county (事件上报) with a reason, in
 * one transaction: the case must be readable by the user and lie in their
 * town (else 404, as if it did not exist — a town never learns of another
 * town's cases), be open (409) and not already escalated (409); `If-Match`
 * is the case's version (412). Creates the escalation, bumps the case's
 * version and appends `county-escalate` to the case's ledger.
 */
export async function escalateCase(db: Db, user: UserRecord, input: { caseId: number; reason: string; ifMatch?: number }): Promise<EscalationResult> {
  if (input.reason.trim() === '') throw new HttpError(400, 'escalation_reason_required')
  return db.transaction().execute(async (trx) => {
    const row = await findCaseById(trx, input.caseId)
    // One answer for a missing case and another town's, naming no kind: the kind of another town's case is not the caller's to learn.
    if (!row || !canReadCase(user, row)) throw escalatedCaseNotFound(input.caseId)
    if (isCountyUser(user) || (await caseTownId(trx, row.id)) !== userTownId(user)) throw escalatedCaseNotFound(row.id)
    if (input.ifMatch !== undefined && input.ifMatch !== row.version) throw versionMismatch(input.ifMatch, row.version, { id: row.id, version: row.version })
    if (row.closed_at !== null) throw new HttpError(409, 'escalation_case_closed', { id: row.id })
    const open = await findEscalationInProgress(trx, row.id)
    if (open) throw new HttpError(409, 'escalation_in_progress', { escalationId: open.id, status: open.status, statusZh: ESCALATION_STATUS_ZH[open.status] }, { escalationId: open.id })
    const now = new Date()
    const id = await insertEscalation(trx, { caseId: row.id, reason: input.reason, userId: user.id, at: now })
    await touchCase(trx, user, row, 'escalate', { before: null, after: 'pending' }, input.reason)
    return { escalation: (await findEscalation(trx, id))!, caseRow: (await findCaseById(trx, row.id))! }
  })
}

/** What a county step needs besides the action: its text, the version seen. */
export interface EscalationStepInput {
  id: number
  action: EscalationAction
  /** Instructions (return) or closing note (close); optional note on accept. */
  text?: string
  ifMatch?: number
}

/**
 * The county dispatcher accepts, returns (交办, with instructions) or closes
 * an escalation, in one transaction: 404 unknown, 412 stale `If-Match` (the
 * escalation's version), 409 a step its status does not allow; then the
 * escalation is updated at the version read, the case's version bumped and
 * the step appended to the case's ledger, so the town's timeline shows it.
 */
export async function applyEscalationStep(db: Db, user: UserRecord, input: EscalationStepInput): Promise<EscalationResult> {
  return db.transaction().execute(async (trx) => {
    const escalation = await findEscalation(trx, input.id)
    if (!escalation || !maySeeEscalation(user, escalation)) throw escalationNotFound(input.id)
    if (input.ifMatch !== undefined && input.ifMatch !== escalation.version) {
      throw new HttpError(412, 'version_mismatch', { expected: input.ifMatch, current: escalation.version }, { currentVersion: escalation.version })
    }
    const transition = ESCALATION_TRANSITIONS[input.action]
    if (!transition.from.includes(escalation.status)) {
      const allowed = allowedEscalationActions(escalation.status)
      throw new HttpError(
        409,
        'escalation_illegal_transition',
        {
          status: escalation.status,
          statusZh: ESCALATION_STATUS_ZH[escalation.status],
          action: input.action,
          actionZh: ACTION_ZH[input.action],
          allowed: allowed.join(', '),
          allowedZh: allowed.map((action) => ACTION_ZH[action]).join('、'),
        },
        { status: escalation.status, allowedActions: allowed },
      )
    }
    const now = new Date()
    const patch = stepPatch(input, user, now)
    const updated = await updateEscalationIfVersion(trx, escalation.id, escalation.version, patch, now)
    if (updated === 0) throw new HttpError(409, 'concurrent_change')
    const row = (await findCaseById(trx, escalation.case_id))!
    await touchCase(trx, user, row, input.action, { before: escalation.status, after: transition.to }, input.text ?? null)
    return { escalation: (await findEscalation(trx, escalation.id))!, caseRow: (await findCaseById(trx, row.id))! }
  })
}

function stepPatch(input: EscalationStepInput, user: UserRecord, now: Date): EscalationPatch {
  const to = ESCALATION_TRANSITIONS[input.action].to
  if (input.action === 'accept') return { status: to, accepted_at: now, accepted_by: user.id }
  if (input.action === 'return') return { status: to, returned_at: now, instructions: input.text!, finished_by: user.id }
  return { status: to, closed_at: now, closing_note: input.text!, finished_by: user.id }
}

/**
 * Bumps the case's version at the version read (its ETag changes: the ledger
 * has a new entry; 409 if a town's action changed the case meanwhile, and the
 * transaction rolls back) and appends the step to its ledger.
 */
async function touchCase(
  trx: Db,
  user: UserRecord,
  row: CaseRow,
  step: 'escalate' | EscalationAction,
  change: { before: EscalationStatus | null; after: EscalationStatus },
  reason: string | null,
): Promise<void> {
  if ((await updateCaseIfVersion(trx, row.id, row.version, {})) === 0) throw new HttpError(409, 'concurrent_change')
  const version = row.version + 1
  await insertCaseEvent(trx, {
    subject: { caseId: row.id },
    user,
    action: LEDGER_ACTION[step],
    statusFrom: row.status,
    statusTo: row.status,
    version,
    changes: { countyEscalation: change },
    reason,
  })
}
