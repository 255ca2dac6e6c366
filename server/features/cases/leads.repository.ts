import { sql, type Selectable } from 'kysely'
import type { Db } from '../../core/db/database.ts'
import type { LeadTable } from '../../core/db/tables/case.ts'
import { visibleLeads } from './access.ts'
import { pointFromLonLat } from '../../core/postgis/point.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'

/** A lead as read, with its position and the case it became. */
export type LeadRow = Omit<Selectable<LeadTable>, 'geom' | 'town_id'> & {
  lon: number | null
  lat: number | null
  village_name: string | null
  converted_case: { id: number; kind: 'hazard' | 'dispute' } | null
}

/** Leads (alias `l`) with everything a {@link LeadRow} holds. */
export function selectLeads(db: Db) {
  return db.selectFrom('leads as l').select([
    'l.id', 'l.status', 'l.department', 'l.category', 'l.description', 'l.village_id', 'l.base_grid_id', 'l.fine_grid_id',
    'l.received_at', 'l.received_by', 'l.verified_at', 'l.verification_note', 'l.dismissed_reason', 'l.closed_at',
    'l.version', 'l.updated_at',
    sql<number | null>`ST_X(l.geom)`.as('lon'),
    sql<number | null>`ST_Y(l.geom)`.as('lat'),
    sql<string | null>`(SELECT v.name FROM current_areas v WHERE v.area_id = l.village_id)`.as('village_name'),
    sql<{ id: number; kind: 'hazard' | 'dispute' } | null>`(SELECT json_build_object('id', c.id, 'kind', c.kind) FROM cases c WHERE c.lead_id = l.id)`.as(
      'converted_case',
    ),
  ])
}

/** One lead, or undefined. */
export async function findLead(db: Db, id: number): Promise<LeadRow | undefined> {
  return selectLeads(db).where('l.id', '=', id).executeTakeFirst()
}

/** Leads the user may read, newest first, optionally of some statuses. */
export async function listLeads(db: Db, user: UserRecord, query: { statuses?: string[]; limit: number; offset: number }): Promise<LeadRow[]> {
  let q = selectLeads(db).where(visibleLeads(user))
  if (query.statuses && query.statuses.length > 0) q = q.where('l.status', 'in', query.statuses as LeadRow['status'][])
  return q.orderBy('l.received_at', 'desc').orderBy('l.id', 'desc').limit(query.limit).offset(query.offset).execute()
}

/** Inserts a lead; returns its id. */
export async function insertLead(
  db: Db,
  lead: {
    department: string
    category: string | null
    description: string
    point: { lon: number; lat: number } | null
    villageId: number | null
    baseGridId: number | null
    fineGridId: number | null
    receivedAt: Date
    receivedBy: number
  },
): Promise<number> {
  const row = await db
    .insertInto('leads')
    .values({
      department: lead.department,
      category: lead.category,
      description: lead.description,
      geom: lead.point ? pointFromLonLat(lead.point.lon, lead.point.lat) : null,
      village_id: lead.villageId,
      base_grid_id: lead.baseGridId,
      fine_grid_id: lead.fineGridId,
      received_at: lead.receivedAt,
      received_by: lead.receivedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Columns a lead action may change. */
export type LeadPatch = Partial<Pick<LeadRow, 'status' | 'verified_at' | 'verification_note' | 'dismissed_reason' | 'closed_at'>>

/** Applies `patch` if the lead still has `expectedVersion`; returns the rows changed. */
export async function updateLeadIfVersion(db: Db, id: number, expectedVersion: number, patch: LeadPatch): Promise<number> {
  const result = await db
    .updateTable('leads')
    .set({ ...patch, version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}
