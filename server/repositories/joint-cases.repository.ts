import type { Db } from '../db/database.ts'

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

/** Disputes among `ids` (id, status, version), locked for update. */
export async function lockDisputes(db: Db, ids: number[]): Promise<Array<{ id: number; status: string; version: number }>> {
  if (ids.length === 0) return []
  return db
    .selectFrom('cases')
    .select(['id', 'status', 'version'])
    .where('id', 'in', ids)
    .where('kind', '=', 'dispute')
    .orderBy('id')
    .forUpdate()
    .execute()
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
    .values({ title: input.title, note: input.note, cluster: JSON.stringify(input.cluster), opened_by: input.openedBy })
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
