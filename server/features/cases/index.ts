/**
 * The cases feature as other features see it: everything another feature may
 * import from it is re-exported here (CONVENTIONS.md, "features meet through index.ts").
 */
export { CASE_ROLES, inOwnGrids, seesAllCases, visibleCases } from './access.ts'
export { CASE_COLLECTIONS } from './collections.ts'
export { deadlineStateSql } from './deadline-state.ts'
export { DISPUTE_WORKFLOW } from './dispute-workflow.ts'
export { insertCaseEvent } from './events.repository.ts'
export { HAZARD_WORKFLOW } from './hazard-workflow.ts'
export { GRADE_LABELS, KIND_LABELS, SOURCE_LABELS, STATUS_LABELS } from './labels.ts'
export { problemListHeaders, TOWNSHIP_TIME_ZONE } from './monthly-lists.ts'
export { registerCase } from './registration.service.ts'
export { listStationKeys } from './settings.repository.ts'
export { canRead as canReadCase } from './access.ts'
export { caseNotFound, versionMismatch } from './action.service.ts'
export { findCaseById, updateCaseIfVersion, type CaseRow } from './cases.repository.ts'
export { findCaseEvents } from './events.repository.ts'
export { toCaseEventDto } from './event-dto.ts'
export { publishCaseEvent } from './reply.ts'
export { CaseEventSchema } from './cases.schemas.ts'
