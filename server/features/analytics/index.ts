/**
 * The analytics feature as other features see it: everything another feature may
 * import from it is re-exported here (CONVENTIONS.md, "features meet through index.ts").
 */
export { finishedAtSql, openAtSql, overdueAtSql, reportedInSql } from './case-state.ts'
export { WindowSchema } from './analytics.schemas.ts'
