import { Type } from 'typebox'
import { userScope } from '../../core/auth/scope.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'

/**
 * The `townId` query parameter of the risk map's routes (scores, change, bins,
 * heat map): county users may narrow an answer to one town.
 */
export const TownQuery = {
  townId: Type.Optional(Type.Integer({ minimum: 1, description: 'County users: only the areas of this town (default every town). Town users always get their own town' })),
}

/**
 * The town an analytics answer covers: a town user's own, whatever they sent
 * (row-level security would hide another town's rows anyway, but an empty map
 * would read as "no risk here"); a county user's choice, or undefined for
 * every town.
 */
export function requestedTown(user: UserRecord, townId: number | undefined): number | undefined {
  const scope = userScope(user)
  return scope.kind === 'town' ? scope.townId : townId
}
