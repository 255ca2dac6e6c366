import { sql, type RawBuilder } from 'kysely'
import { DISPUTE_DEADLINE_MET } from './dispute-workflow.ts'
import { HAZARD_DEADLINE_MET } from './hazard-workflow.ts'

/** Supervision colour of a case: on track, near the deadline (yellow), overdue (red), or done. */
export type DeadlineState = 'ok' | 'near' | 'overdue' | 'done'

/** Share of the allowed time below which a case is "near" its deadline. */
export const NEAR_SHARE = 0.25

const MET = [...DISPUTE_DEADLINE_MET, ...HAZARD_DEADLINE_MET]

/**
 * `deadlineState` of a case row aliased `c`, computed by the database at query
 * time:
 * - `done`: the case is finished for supervision — a dispute resolved, fed back
 *   or evaluated, a major dispute escalated (its deadline is the 24 h to
 *   escalate), a hazard rectified, closed or found unfounded;
 * - `overdue` (red): the deadline has passed;
 * - `near` (yellow): less than 25 % of the allowed time (deadline − reported) is left;
 * - `ok`: otherwise.
 */
export function deadlineStateSql(): RawBuilder<DeadlineState> {
  const met = sql.join(MET.map((status) => sql.lit(status)))
  return sql<DeadlineState>`CASE
    WHEN c.closed_at IS NOT NULL OR c.status IN (${met}) OR (c.tier = 'major' AND c.escalated_at IS NOT NULL) THEN 'done'
    WHEN now() >= c.deadline_at THEN 'overdue'
    WHEN c.deadline_at - now() < (c.deadline_at - c.reported_at) * ${sql.lit(NEAR_SHARE)} THEN 'near'
    ELSE 'ok' END`
}
