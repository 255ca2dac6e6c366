import type { Db } from '../../../core/db/database.ts'
import { HttpError } from '../../../core/http/http-error.ts'
import { insertCaseEvent } from '../../cases/index.ts'
import { listStationKeys } from '../../cases/index.ts'
import {
  closeJointCaseRow,
  findLinkedCaseIds,
  insertJointCase,
  lockDisputes,
  lockJointCase,
  touchCase,
  type JointCaseRow,
} from './joint-cases.repository.ts'
import type { UserRecord } from '../../../core/auth/users.repository.ts'
import { isCountyUser } from '../../../core/auth/scope.ts'

/** What opening a joint case needs. */
export interface JointCaseInput {
  title: string
  note?: string
  caseIds: number[]
  stationKeys: string[]
  cluster?: Record<string, unknown>
}

/**
 * Opens a joint mediation case (联调) on the disputes of a cluster, dispatched
 * to several stations at once, in one transaction: checks that every id is a
 * dispute (400), that none is in another joint case (409) and that the
 * stations exist (400); inserts the joint case with its links; and appends a
 * `joint-case` entry to each dispute's ledger (status unchanged, version
 * bumped). Nothing is kept if any step fails.
 *
 * Across a town border: only a county user sees the disputes of several towns,
 * so only the county (its dispatcher, or a county administrator) can open a
 * joint case spanning towns; a town's dispatcher naming another town's dispute
 * gets the same 400 as for a missing one (it learns nothing of it), and the
 * message says the county opens such joint cases. Each dispute's ledger entry
 * names the members of its own town only (a town's ledger does not count
 * another town's disputes).
 */
export async function openJointCase(db: Db, user: UserRecord, input: JointCaseInput): Promise<JointCaseRow> {
  const caseIds = [...new Set(input.caseIds)].sort((a, b) => a - b)
  const stationKeys = [...new Set(input.stationKeys)]
  return db.transaction().execute(async (trx) => {
    const known = new Set(await listStationKeys(trx))
    const unknown = stationKeys.filter((key) => !known.has(key))
    if (unknown.length > 0) throw new HttpError(400, 'joint_case_stations_unknown', { keys: unknown.join(', ') })
    const disputes = await lockDisputes(trx, caseIds)
    const missing = caseIds.filter((id) => !disputes.some((row) => row.id === id))
    if (missing.length > 0) throw new HttpError(400, 'joint_case_not_disputes', { ids: missing.join(', ') })
    const linked = await findLinkedCaseIds(trx, caseIds)
    if (linked.length > 0) throw new HttpError(409, 'joint_case_already_linked', { ids: linked.join(', ') })
    const note = input.note ?? ''
    const cluster = input.cluster ?? {}
    const { id, openedAt } = await insertJointCase(trx, { title: input.title, note, cluster, openedBy: user.id, caseIds, stationKeys })
    const townIds = [...new Set(disputes.map((dispute) => dispute.townId))]
    for (const dispute of disputes) {
      const version = await touchCase(trx, dispute.id)
      const members = disputes.filter((other) => other.townId === dispute.townId).map((other) => other.id)
      await insertCaseEvent(trx, {
        subject: { caseId: dispute.id },
        user,
        action: 'joint-case',
        statusFrom: dispute.status,
        statusTo: dispute.status,
        version,
        changes: {
          jointCaseId: { before: null, after: id },
          jointStations: { before: null, after: stationKeys },
          jointMembers: { before: null, after: members },
          ...(townIds.length > 1 ? { jointCrossTown: { before: null, after: true } } : {}),
        },
        reason: note ? `${input.title}：${note}` : input.title,
      })
    }
    return { id, title: input.title, note, status: 'open', cluster, openedAt, openedBy: user.id, caseIds, stationKeys }
  })
}

/** What closing a joint case answers. */
export interface ClosedJointCase {
  id: number
  status: 'closed'
  closedAt: Date
  closedBy: number
  closeReason: string
  caseIds: number[]
}

/**
 * Closes a joint mediation case (联调) with a reason, in one transaction: 404
 * when it does not exist, 409 when it is already closed; appends a
 * `joint-case-close` entry to each linked dispute's ledger (status unchanged,
 * version bumped). The disputes stay linked (a dispute belongs to at most one
 * joint case, even a closed one) and keep their own workflow.
 *
 * A joint case spanning towns is closed by the county (403 for a town user,
 * even of its first dispute's town): closing writes the ledgers of every
 * town's disputes, which a town can neither see nor write; the database
 * refuses it too (row-level security, migration 0023).
 */
export async function closeJointCase(db: Db, user: UserRecord, id: number, reason: string): Promise<ClosedJointCase> {
  const text = reason.trim()
  if (text.length === 0) throw new HttpError(400, 'joint_case_close_reason')
  return db.transaction().execute(async (trx) => {
    const joint = await lockJointCase(trx, id)
    if (!joint) throw new HttpError(404, 'joint_case_not_found', { id })
    if (joint.townIds.length > 1 && !isCountyUser(user)) throw new HttpError(403, 'joint_case_cross_town_close', { id })
    if (joint.status === 'closed') throw new HttpError(409, 'joint_case_closed', { id })
    const closedAt = await closeJointCaseRow(trx, id, user.id, text)
    const disputes = await lockDisputes(trx, joint.caseIds)
    for (const dispute of disputes) {
      const version = await touchCase(trx, dispute.id)
      await insertCaseEvent(trx, {
        subject: { caseId: dispute.id },
        user,
        action: 'joint-case-close',
        statusFrom: dispute.status,
        statusTo: dispute.status,
        version,
        changes: { jointCaseStatus: { before: 'open', after: 'closed' }, jointCaseId: { before: id, after: id } },
        reason: text,
      })
    }
    return { id, status: 'closed', closedAt, closedBy: user.id, closeReason: text, caseIds: joint.caseIds }
  })
}
