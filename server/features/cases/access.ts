import type { ExpressionBuilder } from 'kysely'
import type { Database } from '../../core/db/database.ts'
import type { Role } from '../../core/db/tables/auth.ts'
import { HttpError } from '../../core/http/http-error.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'

/**
 * Who may do what with cases and leads.
 *
 * | route / action                                   | leader | dispatcher | station                  | grid_worker                         | admin |
 * |--------------------------------------------------|--------|------------|--------------------------|-------------------------------------|-------|
 * | read cases (items, timeline, queue entries)      | all    | all        | all                      | own grids + cases they registered   | all   |
 * | register hazard / dispute (POST …/items)         | –      | anywhere   | –                        | only inside own grids (else 403)    | anywhere |
 * | dispute dispatch, escalate                       | –      | yes        | –                        | –                                   | yes   |
 * | dispute resolve, feedback                        | –      | yes        | only their own station's | –                                   | yes   |
 * | dispute evaluate                                 | –      | yes        | –                        | –                                   | yes   |
 * | hazard verify, reject, start-rectification, rectify, close | – | yes | –                       | only hazards in own grids           | yes   |
 * | dispatch queue                                   | –      | yes        | –                        | –                                   | yes   |
 * | leads: read                                      | yes    | yes        | yes                      | leads located in own grids          | yes   |
 * | leads: register, verify, convert, dismiss        | –      | yes        | –                        | –                                   | yes   |
 * | routing rules and deadline settings: read        | yes    | yes        | yes                      | yes                                 | yes   |
 * | routing rules and deadline settings: change      | –      | –          | –                        | –                                   | yes   |
 * | monthly exports                                  | yes    | yes        | yes                      | rows of own grids only              | yes   |
 * | photos: list, stream                             | as read cases                                                                  |
 * | photos: add (POST /api/cases/{id}/photos)        | –      | yes        | only their own station's | own grids + cases they registered   | yes   |
 * | reveal phones (POST /api/cases/{id}/reveal)      | – (403, audited) | yes | only their own station's | own grids + cases they registered | yes   |
 * | live event stream                                | filtered per subscriber as read cases; key persons as counts for leader/station |
 *
 * "Own grids" are the base- or fine-grid ids in `user.gridIds`; a case is in
 * them when its base or fine grid (recorded at registration) is one of them.
 * A case a grid worker may not read answers 404, as if it did not exist; a
 * case they may read but not act on answers 403. A dispute dispatched to a
 * village center is handled by the dispatcher/admin on its behalf.
 */
export const CASE_ROLES = {
  read: ['leader', 'dispatcher', 'station', 'grid_worker', 'admin'],
  register: ['grid_worker', 'dispatcher', 'admin'],
  dispatch: ['dispatcher', 'admin'],
  escalate: ['dispatcher', 'admin'],
  resolve: ['station', 'dispatcher', 'admin'],
  feedback: ['station', 'dispatcher', 'admin'],
  evaluate: ['dispatcher', 'admin'],
  hazardStep: ['grid_worker', 'dispatcher', 'admin'],
  queue: ['dispatcher', 'admin'],
  leadWrite: ['dispatcher', 'admin'],
  settingsWrite: ['admin'],
} as const satisfies Record<string, readonly Role[]>

/** The grids and registrant of a case (or the grids of a lead), as the policy needs them. */
export interface CaseScope {
  base_grid_id: number | null
  fine_grid_id: number | null
  registered_by?: number | null
  station_key?: string | null
}

/** Whether the user sees every case (all roles but grid workers). */
export function seesAllCases(user: UserRecord): boolean {
  return user.role !== 'grid_worker'
}

/** Whether a case lies in one of the user's grids. */
export function inOwnGrids(user: UserRecord, scope: CaseScope): boolean {
  return (
    (scope.base_grid_id !== null && user.gridIds.includes(scope.base_grid_id)) ||
    (scope.fine_grid_id !== null && user.gridIds.includes(scope.fine_grid_id))
  )
}

/** Whether the user may read a case or lead. */
export function canRead(user: UserRecord, scope: CaseScope): boolean {
  return seesAllCases(user) || inOwnGrids(user, scope) || (scope.registered_by != null && scope.registered_by === user.id)
}

/** Kysely filter on `cases` (aliased `c`) to the cases the user may read. */
export function visibleCases(user: UserRecord) {
  return (eb: ExpressionBuilder<Database & { c: Database['cases'] }, 'c'>) => {
    if (seesAllCases(user)) return eb.lit(true)
    const grids = user.gridIds.length > 0 ? user.gridIds : [-1]
    return eb.or([eb('c.base_grid_id', 'in', grids), eb('c.fine_grid_id', 'in', grids), eb('c.registered_by', '=', user.id)])
  }
}

/** Kysely filter on `leads` (aliased `l`) to the leads the user may read. */
export function visibleLeads(user: UserRecord) {
  return (eb: ExpressionBuilder<Database & { l: Database['leads'] }, 'l'>) => {
    if (seesAllCases(user)) return eb.lit(true)
    const grids = user.gridIds.length > 0 ? user.gridIds : [-1]
    return eb.or([eb('l.base_grid_id', 'in', grids), eb('l.fine_grid_id', 'in', grids)])
  }
}

/** Refuses (403) a user whose role is not among `roles`. */
export function assertRole(user: UserRecord, roles: readonly Role[]): void {
  if (!roles.includes(user.role)) throw new HttpError(403, 'forbidden', { roles: roles.join(', ') })
}

/** The roles each dispute workflow action allows (the table above). */
export const DISPUTE_ACTION_ROLES = {
  dispatch: CASE_ROLES.dispatch,
  escalate: CASE_ROLES.escalate,
  resolve: CASE_ROLES.resolve,
  feedback: CASE_ROLES.feedback,
  evaluate: CASE_ROLES.evaluate,
} as const satisfies Record<string, readonly Role[]>

/** The roles a workflow action allows: every hazard step shares one list, dispute actions have their own. */
export function actionRoles(kind: 'hazard' | 'dispute', action: string): readonly Role[] {
  if (kind === 'hazard') return CASE_ROLES.hazardStep
  return DISPUTE_ACTION_ROLES[action as keyof typeof DISPUTE_ACTION_ROLES] ?? []
}

/** Whether {@link assertMayAct} would let `user` act on `scope` with an action of `roles`. */
export function mayAct(user: UserRecord, roles: readonly Role[], scope: CaseScope): boolean {
  if (!roles.includes(user.role)) return false
  if (user.role === 'station') return !!user.stationKey && scope.station_key === user.stationKey
  if (user.role === 'grid_worker') return inOwnGrids(user, scope)
  return true
}

/**
 * Checks the per-case part of the matrix for a workflow action: station staff
 * act only on cases dispatched to their station, grid workers only on hazards
 * in their own grids.
 */
export function assertMayAct(user: UserRecord, roles: readonly Role[], scope: CaseScope): void {
  if (mayAct(user, roles, scope)) return
  assertRole(user, roles)
  if (user.role === 'station') throw new HttpError(403, 'case_other_station', { station: scope.station_key ?? '—' })
  throw new HttpError(403, 'case_outside_own_grids')
}
