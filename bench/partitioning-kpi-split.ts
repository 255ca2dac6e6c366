import { sql, type CompiledQuery, type Kysely } from 'kysely'
import type { Database } from '../server/core/db/database.ts'
import { finishedAtSql, openAtSql, overdueAtSql, reportedInSql } from '../server/features/analytics/case-state.ts'
import type { TimeWindow } from '../server/core/time/time-window.ts'

/**
 * The KPIs of `findCaseKpis` by town for a window [from, to), written so
 * that a table partitioned by month reads only the window's partitions plus
 * the cases still open at `to`:
 * - new, new this week, resolved, mean hours and satisfaction depend only on
 *   cases reported in the window: that part names the window, so it prunes;
 * - open and overdue at `to` need older cases too, but only open ones: that
 *   part adds `openUntil >= to` (implied by "open at to"), which the
 *   `cases_open_until` index (migration 0009) serves in every partition.
 * Same columns and values as the app's statement grouped by town (the
 * benchmark compares the answers).
 */
export function splitKpisByTown(db: Kysely<Database>, window: TimeWindow & { from: Date }, weekStart: Date): CompiledQuery {
  // The app counts "new this week" over every case before `to`; from the window on, that is the same only if the week starts inside it.
  if (weekStart < window.from) throw new Error('the week must start inside the window for the split KPIs')
  const t = window.to
  const inWindow = reportedInSql(window.from, t)
  const finished = sql`(${finishedAtSql()} IS NOT NULL AND ${finishedAtSql()} < ${t}::timestamptz)`
  return sql`
    SELECT k.key, sum(k.open) AS open, sum(k.new) AS new, sum(k.new_this_week) AS new_this_week, sum(k.overdue) AS overdue,
      sum(k.resolved) AS resolved, max(k.mean_hours) AS mean_hours, max(k.satisfaction) AS satisfaction
    FROM (
      SELECT c.town_id::text AS key, 0 AS open, count(*) AS new,
        count(*) FILTER (WHERE c.reported_at >= ${weekStart}::timestamptz) AS new_this_week, 0 AS overdue,
        count(*) FILTER (WHERE ${finished}) AS resolved,
        avg(extract(epoch FROM (${finishedAtSql()} - c.reported_at)) / 3600.0) FILTER (WHERE ${finished}) AS mean_hours,
        avg(c.satisfaction::float8) FILTER (WHERE c.kind = 'dispute' AND c.evaluated_at < ${t}::timestamptz AND c.satisfaction IS NOT NULL) AS satisfaction
      FROM cases c WHERE ${inWindow}
      GROUP BY 1
      UNION ALL
      SELECT c.town_id::text, count(*) FILTER (WHERE ${openAtSql(t)}), 0, 0,
        count(*) FILTER (WHERE ${openAtSql(t)} AND ${overdueAtSql(t)}), 0, NULL, NULL
      FROM cases c WHERE ${openAtSql(t)}
      GROUP BY 1
    ) k
    GROUP BY 1 ORDER BY 1`.compile(db)
}
