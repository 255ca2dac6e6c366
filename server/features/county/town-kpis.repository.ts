import { sql } from 'kysely'
import type { Db } from '../../core/db/database.ts'
import type { TimeWindow } from '../../core/time/time-window.ts'
import { finishedAtSql, openAtSql, overdueAtSql, reportedInSql } from '../analytics/index.ts'

/** A town of the county (current name). */
export interface TownRow {
  id: number
  code: string
  name: string
  nameEn: string | null
}

/** Case counts of one town for a window. */
export interface TownCaseCounts {
  open: number
  overdue: number
  closed: number
  closedOnTime: number
  disputes: number
  hazards: number
}

/** Every town of the county (current areas of level town), by code. */
export async function findTowns(db: Db): Promise<TownRow[]> {
  const rows = await db
    .selectFrom('current_areas')
    .select(['area_id', 'code', 'name', 'name_en'])
    .where('level', '=', 'town')
    .orderBy('code')
    .execute()
  return rows.map((row) => ({ id: Number(row.area_id), code: row.code, name: row.name, nameEn: row.name_en }))
}

/**
 * Per town, for the window [from, to): open and overdue at `to` (as the
 * township KPIs: a dispute is open until resolved, a hazard until rectified);
 * closed = finished (resolved / rectified / closed / unfounded) inside the
 * window, closedOnTime = those finished by their deadline; disputes and
 * hazards = reported inside the window.
 */
export async function findTownCaseCounts(db: Db, window: TimeWindow): Promise<Map<number, TownCaseCounts>> {
  const t = window.to
  const finished = finishedAtSql()
  const finishedIn = window.from
    ? sql<boolean>`(${finished} >= ${window.from}::timestamptz AND ${finished} < ${t}::timestamptz)`
    : sql<boolean>`(${finished} < ${t}::timestamptz)`
  const { rows } = await sql<{ town_id: number; open: number; overdue: number; closed: number; on_time: number; disputes: number; hazards: number }>`
    SELECT c.town_id,
      count(*) FILTER (WHERE ${openAtSql(t)}) AS open,
      count(*) FILTER (WHERE ${openAtSql(t)} AND ${overdueAtSql(t)}) AS overdue,
      count(*) FILTER (WHERE ${finishedIn}) AS closed,
      count(*) FILTER (WHERE ${finishedIn} AND ${finished} <= c.deadline_at) AS on_time,
      count(*) FILTER (WHERE ${reportedInSql(window.from, t)} AND c.kind = 'dispute') AS disputes,
      count(*) FILTER (WHERE ${reportedInSql(window.from, t)} AND c.kind = 'hazard') AS hazards
    FROM cases c
    WHERE c.reported_at < ${t}::timestamptz
    GROUP BY 1`.execute(db)
  return new Map(
    rows.map((row) => [
      Number(row.town_id),
      {
        open: Number(row.open),
        overdue: Number(row.overdue),
        closed: Number(row.closed),
        closedOnTime: Number(row.on_time),
        disputes: Number(row.disputes),
        hazards: Number(row.hazards),
      },
    ]),
  )
}

/** Key persons under management (在管: not away, not released, not archived) per town, now. */
export async function findKeyPersonsInManagement(db: Db): Promise<Map<number, number>> {
  const { rows } = await sql<{ town_id: number; n: number }>`
    SELECT p.town_id, count(*) AS n
    FROM key_persons p
    WHERE p.status = 'in_management' AND p.archived_at IS NULL
    GROUP BY 1`.execute(db)
  return new Map(rows.map((row) => [Number(row.town_id), Number(row.n)]))
}

/** Escalations in the county's hands (pending or accepted) per town. */
export async function findEscalationsInProgress(db: Db): Promise<Map<number, number>> {
  const { rows } = await sql<{ town_id: number; n: number }>`
    SELECT e.town_id, count(*) AS n
    FROM case_escalations e
    WHERE e.status IN ('pending', 'accepted')
    GROUP BY 1`.execute(db)
  return new Map(rows.map((row) => [Number(row.town_id), Number(row.n)]))
}
