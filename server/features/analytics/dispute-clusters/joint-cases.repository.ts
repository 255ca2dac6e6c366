import { sql } from 'kysely'
import type { Db } from '../../../core/db/database.ts'

/** A joint case as stored, with its disputes and stations. */
export interface JointCaseRow {
  id: number
  title: string
  note: string
  status: 'open' | 'closed'
  cluster: Record<string, unknown>
  openedAt: Date
  openedBy: number
  caseIds: number[]
  stationKeys: string[]
}

/** Disputes among `ids` the session may see (id, status, version, town), locked for update. */
export async function lockDisputes(db: Db, ids: number[]): Promise<Array<{ id: number; status: string; version: number; townId: number }>> {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('cases')
    .select(['id', 'status', 'version', 'town_id'])
    .where('id', 'in', ids)
    .where('kind', '=', 'dispute')
    .orderBy('id')
    .forUpdate()
    .execute()
  return rows.map((row) => ({ id: Number(row.id), status: row.status, version: row.version, townId: Number(row.town_id) }))
}

/** Ids among `caseIds` already linked to a joint case. */
export async function findLinkedCaseIds(db: Db, caseIds: number[]): Promise<number[]> {
  if (caseIds.length === 0) return []
  const rows = await db.selectFrom('joint_case_disputes').select('case_id').where('case_id', 'in', caseIds).orderBy('case_id').execute()
  return rows.map((row) => row.case_id)
}

/** Inserts a joint case with its disputes and stations; returns its id and opening time. */
export async function insertJointCase(
  db: Db,
  input: { title: string; note: string; cluster: Record<string, unknown>; openedBy: number; caseIds: number[]; stationKeys: string[] },
): Promise<{ id: number; openedAt: Date }> {
  const row = await db
    .insertInto('joint_cases')
    .values({
      title: input.title,
      note: input.note,
      cluster: JSON.stringify(input.cluster),
      opened_by: input.openedBy,
      // The town of its first dispute: a county user has no town, and with several towns the database cannot guess it.
      town_id: sql<number>`(SELECT town_id FROM cases WHERE id = ${input.caseIds[0] ?? null})`,
    })
    .returning(['id', 'opened_at'])
    .executeTakeFirstOrThrow()
  await db.insertInto('joint_case_disputes').values(input.caseIds.map((caseId) => ({ joint_case_id: row.id, case_id: caseId }))).execute()
  await db.insertInto('joint_case_stations').values(input.stationKeys.map((key) => ({ joint_case_id: row.id, station_key: key }))).execute()
  return { id: row.id, openedAt: row.opened_at }
}

/** Bumps a case's version without changing its fields (a link was recorded in its ledger). */
export async function touchCase(db: Db, id: number): Promise<number> {
  const row = await db
    .updateTable('cases')
    .set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', id)
    .returning('version')
    .executeTakeFirstOrThrow()
  return row.version
}

/** A dispute of a joint case, as listed with it. */
export interface JointCaseDisputeRow {
  id: number
  category: string
  status: string
  reportedAt: Date
}

/** A joint case as listed: the stored row with its closing and its disputes' summaries. */
export interface JointCaseListRow extends JointCaseRow {
  /** The towns of its disputes, ascending (several: a joint case across a town border, opened by the county). */
  townIds: number[]
  openedByName: string
  closedAt: Date | null
  closedBy: number | null
  closeReason: string | null
  disputes: JointCaseDisputeRow[]
}

/**
 * Joint cases the session may see, newest first, optionally of one status,
 * with their disputes and stations. Row-level security decides (migration
 * 0023): a town sees the joint cases with a dispute of its own, and in them
 * its own disputes only; the county sees all.
 */
export async function listJointCases(db: Db, filter: { status?: 'open' | 'closed'; limit: number }): Promise<JointCaseListRow[]> {
  let q = db
    .selectFrom('joint_cases as j')
    .innerJoin('users as u', 'u.id', 'j.opened_by')
    .select(['j.id', 'j.title', 'j.note', 'j.status', 'j.cluster', 'j.opened_at', 'j.opened_by', 'u.username', 'j.closed_at', 'j.closed_by', 'j.close_reason', 'j.town_ids'])
  if (filter.status) q = q.where('j.status', '=', filter.status)
  const rows = await q.orderBy('j.id', 'desc').limit(filter.limit).execute()
  if (rows.length === 0) return []
  const ids = rows.map((row) => row.id)
  const disputes = await db
    .selectFrom('joint_case_disputes as d')
    .innerJoin('cases as c', 'c.id', 'd.case_id')
    .select(['d.joint_case_id', 'c.id', 'c.category', 'c.status', 'c.reported_at'])
    .where('d.joint_case_id', 'in', ids)
    .orderBy('c.id')
    .execute()
  const stations = await db
    .selectFrom('joint_case_stations')
    .select(['joint_case_id', 'station_key'])
    .where('joint_case_id', 'in', ids)
    .orderBy('station_key')
    .execute()
  return rows.map((row) => {
    const mine = disputes.filter((dispute) => Number(dispute.joint_case_id) === Number(row.id))
    return {
      id: Number(row.id),
      title: row.title,
      note: row.note,
      status: row.status,
      cluster: row.cluster,
      openedAt: row.opened_at,
      openedBy: Number(row.opened_by),
      openedByName: row.username,
      closedAt: row.closed_at,
      closedBy: row.closed_by === null ? null : Number(row.closed_by),
      closeReason: row.close_reason,
      townIds: row.town_ids.map(Number),
      caseIds: mine.map((dispute) => Number(dispute.id)),
      stationKeys: stations.filter((station) => Number(station.joint_case_id) === Number(row.id)).map((station) => station.station_key),
      disputes: mine.map((dispute) => ({ id: Number(dispute.id), category: dispute.category, status: dispute.status, reportedAt: dispute.reported_at })),
    }
  })
}

/** One joint case's status, towns and the dispute ids the session may see, locked for update, or undefined. */
export async function lockJointCase(
  db: Db,
  id: number,
): Promise<{ id: number; status: 'open' | 'closed'; townIds: number[]; caseIds: number[] } | undefined> {
  const row = await db.selectFrom('joint_cases').select(['id', 'status', 'town_ids']).where('id', '=', id).forUpdate().executeTakeFirst()
  if (!row) return undefined
  const links = await db.selectFrom('joint_case_disputes').select('case_id').where('joint_case_id', '=', id).orderBy('case_id').execute()
  return { id: Number(row.id), status: row.status, townIds: row.town_ids.map(Number), caseIds: links.map((link) => Number(link.case_id)) }
}

/** Marks a joint case closed by `userId` with `reason`; returns the closing time. */
export async function closeJointCaseRow(db: Db, id: number, userId: number, reason: string): Promise<Date> {
  const row = await db
    .updateTable('joint_cases')
    .set({ status: 'closed', closed_at: new Date(), closed_by: userId, close_reason: reason })
    .where('id', '=', id)
    .returning('closed_at')
    .executeTakeFirstOrThrow()
  return row.closed_at!
}
