import type { UserRecord } from '../../core/auth/users.repository.ts'

export { isCountyUser } from '../../core/auth/scope.ts'

/** The town (area id) of a town user; null for county users. */
export function userTownId(user: Pick<UserRecord, 'townId'>): number | null {
  return user.townId
}
