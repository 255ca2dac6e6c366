import { sql } from 'kysely'
import type { Db } from '../../core/db/database.ts'
import type { EscalationStatus } from '../../core/db/tables/county.ts'

/** An escalation with what the county queue shows of its case and town. */
export interface EscalationRow {
  id: number
  case_id: number
  status: EscalationStatus
  reason: string
  escalated_at: Date
  escalated_by: number
  escalated_by_name: string
  accepted_at: Date | null
  returned_at: Date | null
  instructions: string | null
  closed_at: Date | null
  closing_note: string | null
  finished_by_name: string | null
  version: number
  updated_at: Date
  kind: 'hazard' | 'dispute'
  category: string
  case_status: string
  tier: string | null
  severity: string | null
  description: string
  reported_at: Date
  deadline_at: Date
  case_closed_at: Date | null
  village_id: number
  village_name: string
  village_name_en: string | null
  town_id: number
  town_name: string
  town_name_en: string | null
}

/** Which escalations a list returns. */
export interface EscalationFilter {
  /** Only this town's (a town user's own town, or the county's town filter). */
  townId?: number
  statuses?: readonly EscalationStatus[]
  caseId?: number
}

/** Escalations joined with their case, village and town (current names). */
function selectEscalations(db: Db) {
  return db
    .selectFrom('case_escalations as e')
    .innerJoin('cases as c', 'c.id', 'e.case_id')
    .innerJoin('users as u', 'u.id', 'e.escalated_by')
    .leftJoin('users as f', 'f.id', 'e.finished_by')
    .innerJoin('current_areas as v', 'v.area_id', 'c.village_id')
    .innerJoin('current_areas as t', 't.area_id', 'e.town_id')
    .select([
      'e.id',
      'e.case_id',
      'e.status',
      'e.reason',
      'e.escalated_at',
      'e.escalated_by',
      'u.username as escalated_by_name',
      'e.accepted_at',
      'e.returned_at',
      'e.instructions',
      'e.closed_at',
      'e.closing_note',
      'f.username as finished_by_name',
      'e.version',
      'e.updated_at',
      'c.kind',
      'c.category',
      'c.status as case_status',
      'c.tier',
      'c.severity',
      'c.description',
      'c.reported_at',
      'c.deadline_at',
      'c.closed_at as case_closed_at',
      'c.village_id',
      'v.name as village_name',
      'v.name_en as village_name_en',
      't.area_id as town_id',
      't.name as town_name',
      't.name_en as town_name_en',
    ])
}

/** Escalations matching `filter`, in progress first, then newest first. */
export async function findEscalations(db: Db, filter: EscalationFilter): Promise<EscalationRow[]> {
  let q = selectEscalations(db)
  if (filter.townId !== undefined) q = q.where('e.town_id', '=', filter.townId)
  if (filter.statuses && filter.statuses.length > 0) q = q.where('e.status', 'in', filter.statuses)
  if (filter.caseId !== undefined) q = q.where('e.case_id', '=', filter.caseId)
  const rows = await q
    .orderBy(sql`e.status IN ('pending', 'accepted')`, 'desc')
    .orderBy('e.escalated_at', 'desc')
    .orderBy('e.id', 'desc')
    .execute()
  return rows.map(normalise)
}

/** One escalation, or undefined. */
export async function findEscalation(db: Db, id: number): Promise<EscalationRow | undefined> {
  const row = await selectEscalations(db).where('e.id', '=', id).executeTakeFirst()
  return row ? normalise(row) : undefined
}

/** The escalation of a case still in the county's hands (pending or accepted), locked for update. */
export async function findEscalationInProgress(db: Db, caseId: number): Promise<{ id: number; status: EscalationStatus } | undefined> {
  return db
    .selectFrom('case_escalations')
    .select(['id', 'status'])
    .where('case_id', '=', caseId)
    .where('status', 'in', ['pending', 'accepted'])
    .forUpdate()
    .executeTakeFirst()
}

/** Creates a pending escalation; returns its id. */
export async function insertEscalation(db: Db, input: { caseId: number; reason: string; userId: number; at: Date }): Promise<number> {
  const row = await db
    .insertInto('case_escalations')
    .values({ case_id: input.caseId, reason: input.reason, escalated_by: input.userId, escalated_at: input.at, updated_at: input.at })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

/** Fields a county step sets. */
export type EscalationPatch = Partial<{
  status: EscalationStatus
  accepted_at: Date
  accepted_by: number
  returned_at: Date
  instructions: string
  closed_at: Date
  closing_note: string
  finished_by: number
}>

/** Applies `patch` if the escalation is still at `expectedVersion`; returns the number of rows changed (0 or 1). */
export async function updateEscalationIfVersion(db: Db, id: number, expectedVersion: number, patch: EscalationPatch, at: Date): Promise<number> {
  const result = await db
    .updateTable('case_escalations')
    .set({ ...patch, version: sql<number>`version + 1`, updated_at: at })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

function normalise<T extends { id: number; case_id: number; escalated_by: number; village_id: number; town_id: number }>(row: T): EscalationRow {
  return {
    ...(row as unknown as EscalationRow),
    id: Number(row.id),
    case_id: Number(row.case_id),
    escalated_by: Number(row.escalated_by),
    village_id: Number(row.village_id),
    town_id: Number(row.town_id),
  }
}
