import type { Db } from '../../core/db/database.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { canRead } from './access.ts'
import { isFinal, nextStatus, allowedActions } from './workflow.ts'
import { LEAD_WORKFLOW, type LeadAction } from './lead-workflow.ts'
import { fieldChanges } from './field-changes.ts'
import { toLeadDto } from './lead-dto.ts'
import { insertCaseEvent } from './events.repository.ts'
import { findLead, insertLead, updateLeadIfVersion, type LeadPatch, type LeadRow } from './leads.repository.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'
import { illegalTransition, versionMismatch } from './action.service.ts'
import { locateInTownship, reportedTime } from './registration.service.ts'

/** What a department handed over. */
export interface LeadInput {
  department: string
  category?: string
  description: string
  lon?: number
  lat?: number
  receivedAt?: string
}

/** Registers a lead (located when it has a point; 400 outside the township) with its first ledger entry. Run in a transaction. */
export async function registerLead(db: Db, user: UserRecord, input: LeadInput): Promise<number> {
  const receivedAt = reportedTime(input.receivedAt)
  const hasPoint = input.lon !== undefined && input.lat !== undefined
  const location = hasPoint ? await locateInTownship(db, input.lon!, input.lat!, receivedAt) : undefined
  const id = await insertLead(db, {
    department: input.department,
    category: input.category ?? null,
    description: input.description,
    point: hasPoint ? { lon: input.lon!, lat: input.lat! } : null,
    villageId: location?.village.areaId ?? null,
    baseGridId: location?.baseGrid?.areaId ?? null,
    fineGridId: location?.fineGrid?.areaId ?? null,
    receivedAt,
    receivedBy: user.id,
  })
  await insertCaseEvent(db, {
    subject: { leadId: id },
    user,
    action: 'register',
    statusFrom: null,
    statusTo: LEAD_WORKFLOW.initial,
    version: 1,
    changes: { status: { before: null, after: LEAD_WORKFLOW.initial }, department: { before: null, after: input.department } },
  })
  return id
}

/** What a lead action does. */
export interface LeadActionSpec {
  id: number
  action: LeadAction
  ifMatch?: number
  reason?: string | null
  /** Fields besides the status; may create the case it becomes. Extra ledger changes may be returned too. */
  patch(trx: Db, row: LeadRow, now: Date): Promise<{ patch: LeadPatch; extraChanges?: Record<string, { before: unknown; after: unknown }> }>
}

/** 404 for a lead that does not exist or that the user may not read. */
export function leadNotFound(id: number): HttpError {
  return new HttpError(404, 'lead_not_found', { id })
}

/**
 * Runs one lead action in one transaction, like the case actions: If-Match
 * (412), transition (409), `UPDATE … WHERE version = expected`, ledger entry.
 * Roles are checked by the route.
 */
export async function applyLeadAction(db: Db, user: UserRecord, spec: LeadActionSpec): Promise<LeadRow> {
  return db.transaction().execute(async (trx) => {
    const row = await findLead(trx, spec.id)
    if (!row || !canRead(user, row)) throw leadNotFound(spec.id)
    if (spec.ifMatch !== undefined && spec.ifMatch !== row.version) throw versionMismatch(spec.ifMatch, row.version, toLeadDto(row))
    const to = nextStatus(LEAD_WORKFLOW, row.status, spec.action)
    if (!to) throw illegalTransition('lead', row.status, spec.action, allowedActions(LEAD_WORKFLOW, row.status))
    const now = new Date()
    const built = await spec.patch(trx, row, now)
    const patch: LeadPatch = { ...built.patch, status: to }
    if (isFinal(LEAD_WORKFLOW, to)) patch.closed_at = now
    const expected = spec.ifMatch ?? row.version
    if ((await updateLeadIfVersion(trx, row.id, expected, patch)) === 0) {
      const current = await findLead(trx, spec.id)
      if (spec.ifMatch !== undefined && current) throw versionMismatch(spec.ifMatch, current.version, toLeadDto(current))
      throw new HttpError(409, 'concurrent_change')
    }
    await insertCaseEvent(trx, {
      subject: { leadId: row.id },
      user,
      action: spec.action,
      statusFrom: row.status,
      statusTo: to,
      version: expected + 1,
      changes: { ...fieldChanges(row as unknown as Record<string, unknown>, patch), ...built.extraChanges },
      reason: spec.reason ?? null,
    })
    return (await findLead(trx, spec.id))!
  })
}
