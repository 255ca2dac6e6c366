import { sql, type Expression, type RawBuilder } from 'kysely'

/** An instant: a value, or an SQL expression (e.g. the end of a series step). */
export type Instant = Date | Expression<Date>

function instant(at: Instant) {
  return at instanceof Date ? sql`${at}::timestamptz` : at
}

/**
 * SQL for the state of a case row aliased `c` at an instant `at`, from its
 * timestamps (so a past window is judged as it was then, not by today's status):
 * - a hazard is open until it is rectified, closed or found unfounded
 *   (rectified_at / closed_at);
 * - a dispute is active until it is resolved or closed (resolved_at / closed_at);
 * - an open case is overdue from its deadline on, except a major dispute once
 *   escalated (its deadline is the 24 h to escalate) — as `deadlineState`.
 * An event at instant t has happened "by `at`" when t < at.
 *
 * Open at `at`: reported before it and `open_until >= at`, where `open_until`
 * is the first of those events ('infinity' while none happened), stored by the
 * database (generated column, migration 0025). One comparison of a stored
 * timestamp, which an index can serve under row-level security (only
 * leakproof conditions can; the `coalesce`/`CASE` it is computed from cannot).
 */
export function openAtSql(at: Instant): RawBuilder<boolean> {
  const t = instant(at)
  return sql<boolean>`(c.reported_at < ${t} AND c.open_until >= ${t})`
}

/** Whether a case row `c` (open at `at`) is past its deadline at `at`. */
export function overdueAtSql(at: Instant): RawBuilder<boolean> {
  const t = instant(at)
  return sql<boolean>`(c.deadline_at <= ${t} AND NOT (c.tier = 'major' AND c.escalated_at IS NOT NULL AND c.escalated_at < ${t}))`
}

/** When a case row `c` was finished: a dispute resolved (or closed), a hazard rectified (or closed/unfounded); null if not. */
export function finishedAtSql(): RawBuilder<Date | null> {
  return sql<Date | null>`CASE WHEN c.kind = 'hazard' THEN coalesce(c.rectified_at, c.closed_at) ELSE coalesce(c.resolved_at, c.closed_at) END`
}

/** `reported_at` inside the half-open window [from, to). */
export function reportedInSql(from: Date | null, to: Date): RawBuilder<boolean> {
  return from
    ? sql<boolean>`(c.reported_at >= ${from}::timestamptz AND c.reported_at < ${to}::timestamptz)`
    : sql<boolean>`(c.reported_at < ${to}::timestamptz)`
}
