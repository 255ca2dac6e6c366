import type { UserRecord } from './users.repository.ts'

/**
 * Which towns a user works in: one town (every town role, and a town's
 * administrators), or the whole county (county leader, county dispatcher,
 * county administrators: `users.town_id` null). The database enforces the
 * same scope with row-level security (migration 0019, server/core/db/db-scope.ts).
 */
export type UserScope = { kind: 'town'; townId: number } | { kind: 'county' }

/** The scope of a signed-in user. */
export function userScope(user: Pick<UserRecord, 'townId'>): UserScope {
  if (user.townId === null) return { kind: 'county' }
  return { kind: 'town', townId: user.townId }
}

/** Whether the user reads every town (county scope). */
export function isCountyUser(user: Pick<UserRecord, 'townId'>): boolean {
  return user.townId === null
}

/** Whether a row of `townId` is within the user's scope. */
export function userSeesTown(user: Pick<UserRecord, 'townId'>, townId: number): boolean {
  return user.townId === null || user.townId === townId
}
