import { sql } from 'kysely'
import type { Db } from '../../core/db/database.ts'
import { deadlineStateSql, type DeadlineState } from './deadline-state.ts'
import { visibleCases, visibleLeads } from './access.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'

/** Filters of a monthly list: the month as [start, end) and optional village, grid and station. */
export interface MonthlyFilter {
  start: Date
  end: Date
  villageId?: number
  gridId?: number
  station?: string
}

/** A row of the monthly problem list. */
export interface ProblemRow {
  id: number
  kind: 'hazard' | 'dispute'
  category: string
  category_zh: string | null
  category_en: string | null
  description: string
  severity: string | null
  tier: string | null
  status: string
  village_name: string | null
  base_grid_name: string | null
  fine_grid_name: string | null
  reported_at: Date
  source: string
  reporter_name: string
  station_zh: string | null
  station_en: string | null
  deadline_at: Date
  deadline_state: DeadlineState
  closed_at: Date | null
}

const versionName = (id: string, version: string) =>
  sql<string | null>`(SELECT v.name FROM area_versions v WHERE v.area_id = ${sql.ref(id)} AND v.version = ${sql.ref(version)})`

/**
 * The monthly problem list (问题清单): hazards and disputes open at some time
 * during the month — reported before its end and not closed before its start —
 * that the user may read, oldest first.
 */
export async function findMonthlyProblems(db: Db, user: UserRecord, filter: MonthlyFilter): Promise<ProblemRow[]> {
  let q = db
    .selectFrom('cases as c')
    .leftJoin('case_routing_rules as r', (join) => join.onRef('r.kind', '=', 'c.kind').onRef('r.category', '=', 'c.category'))
    .leftJoin('stations as s', 's.key', 'c.station_key')
    .where(visibleCases(user))
    .where('c.reported_at', '<', filter.end)
    .where((eb) => eb.or([eb('c.closed_at', 'is', null), eb('c.closed_at', '>=', filter.start)]))
  if (filter.villageId !== undefined) q = q.where('c.village_id', '=', filter.villageId)
  if (filter.gridId !== undefined) q = q.where((eb) => eb.or([eb('c.base_grid_id', '=', filter.gridId!), eb('c.fine_grid_id', '=', filter.gridId!)]))
  if (filter.station !== undefined) q = q.where('c.station_key', '=', filter.station)
  return q
    .select([
      'c.id', 'c.kind', 'c.category', 'r.name_zh as category_zh', 'r.name_en as category_en', 'c.description', 'c.severity', 'c.tier',
      'c.status', 'c.reported_at', 'c.source', 'c.reporter_name', 's.name_zh as station_zh', 's.name_en as station_en',
      'c.deadline_at', 'c.closed_at',
      deadlineStateSql().as('deadline_state'),
      versionName('c.village_id', 'c.village_version').as('village_name'),
      versionName('c.base_grid_id', 'c.base_grid_version').as('base_grid_name'),
      versionName('c.fine_grid_id', 'c.fine_grid_version').as('fine_grid_name'),
    ])
    .orderBy('c.reported_at')
    .orderBy('c.id')
    .execute()
}

/** A row of the monthly lead list. */
export interface LeadListRow {
  id: number
  status: string
  department: string
  category: string | null
  description: string
  village_name: string | null
  received_at: Date
  verified_at: Date | null
  dismissed_reason: string | null
  closed_at: Date | null
  converted_case_id: number | null
}

/**
 * The monthly lead list (线索清单): leads open at some time during the month.
 * `station` keeps leads whose category routes to that station.
 */
export async function findMonthlyLeads(db: Db, user: UserRecord, filter: MonthlyFilter): Promise<LeadListRow[]> {
  let q = db
    .selectFrom('leads as l')
    .where(visibleLeads(user))
    .where('l.received_at', '<', filter.end)
    .where((eb) => eb.or([eb('l.closed_at', 'is', null), eb('l.closed_at', '>=', filter.start)]))
  if (filter.villageId !== undefined) q = q.where('l.village_id', '=', filter.villageId)
  if (filter.gridId !== undefined) q = q.where((eb) => eb.or([eb('l.base_grid_id', '=', filter.gridId!), eb('l.fine_grid_id', '=', filter.gridId!)]))
  if (filter.station !== undefined) {
    q = q.where('l.category', 'in', db.selectFrom('case_routing_rules').select('category').where('station_key', '=', filter.station))
  }
  return q
    .select([
      'l.id', 'l.status', 'l.department', 'l.category', 'l.description', 'l.received_at', 'l.verified_at', 'l.dismissed_reason', 'l.closed_at',
      sql<string | null>`(SELECT v.name FROM current_areas v WHERE v.area_id = l.village_id)`.as('village_name'),
      sql<number | null>`(SELECT c.id FROM cases c WHERE c.lead_id = l.id)`.as('converted_case_id'),
    ])
    .orderBy('l.received_at')
    .orderBy('l.id')
    .execute()
}
