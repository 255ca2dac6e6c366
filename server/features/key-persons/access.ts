import type { Role } from '../../core/db/tables/auth.ts'
import type { Access } from '../../core/auth/access.ts'
import { HttpError } from '../../core/http/http-error.ts'
import type { PersonScope } from './key-persons.repository.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'

/**
 * Roles that may see key persons' identities (always masked unless revealed).
 * Leaders and station staff see aggregated counts only: stations have no rule
 * tying a person to a station, so least privilege keeps them on counts.
 */
export const IDENTITY_ROLES: readonly Role[] = ['admin', 'dispatcher', 'grid_worker']

/**
 * Access of the routes that show or change identities: counts-only roles get the
 * 403 that points them to the aggregates, and the refusal is audited against the person.
 */
export const IDENTITY_ACCESS: Access = {
  roles: IDENTITY_ROLES,
  refusals: { leader: 'key_person_identities_forbidden', station: 'key_person_identities_forbidden' },
  gridScoped: true,
  audit: 'key_person',
}

/** Whether `user` may see key persons' identities at all. */
export function mayReadIdentities(user: UserRecord): boolean {
  return IDENTITY_ROLES.includes(user.role)
}

/**
 * Whose persons `user` may see: a grid worker their own grids' (base or fine
 * grid ids), dispatchers and admins everyone's. Undefined for roles that see
 * counts only.
 */
export function personScope(user: UserRecord): PersonScope | undefined {
  if (user.role === 'grid_worker') return { kind: 'grids', gridIds: user.gridIds }
  if (user.role === 'admin' || user.role === 'dispatcher') return { kind: 'all' }
  return undefined
}

/** Whether a person in these grids is within `scope`. */
export function inScope(scope: PersonScope, person: { baseGridId: number | null; fineGridId: number | null }): boolean {
  if (scope.kind === 'all') return true
  return (
    (person.baseGridId !== null && scope.gridIds.includes(person.baseGridId)) ||
    (person.fineGridId !== null && scope.gridIds.includes(person.fineGridId))
  )
}

/** The 403 for a role that sees counts only, pointing to the aggregate endpoints. */
export function identitiesForbidden(): HttpError {
  return new HttpError(403, 'key_person_identities_forbidden')
}
