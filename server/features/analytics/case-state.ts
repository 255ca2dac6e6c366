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
 */
export function openAtSql(at: Instant): RawBuilder<boolean> {
  const t = instant(at)
  return sql<boolean>`(c.reported_at < ${t}
    AND (c.closed_at IS NULL OR c.closed_at >= ${t})
    AND CASE WHEN c.kind = 'hazard' THEN (c.rectified_at IS NULL OR c.rectified_at >= ${t})
             ELSE (c.resolved_at IS NULL OR c.resolved_at >= ${t}) END)`
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

/**
 * `c.open_until >= at`: `open_until` is when a case row stops being open
 * (`openAtSql` is true exactly before it), a hazard rectified or closed, a
 * dispute resolved or closed, whichever first, 'infinity' while neither,
 * stored by the database (generated column, migration 0025). Implied by `openAtSql(at)` (same
 * truth for every row), added beside it so that the index finds the few
 * cases open at `at` instead of scanning every case reported before it. The
 * column, not the expression: under row-level security only leakproof
 * conditions may run before the policy, and `coalesce` does not count as one.
 */
export function openUntilAfterSql(at: Date): RawBuilder<boolean> {
  return sql<boolean>`c.open_until >= ${at}::timestamptz`
}
