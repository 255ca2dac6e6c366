import { Type } from 'typebox'
import { userScope } from '../../core/auth/scope.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'
import type { Db } from '../../core/db/database.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { allTownIds } from '../areas/index.ts'

/**
 * The `townId` query parameter of the risk map's routes (scores, change, bins,
 * heat map, clusters, arcs): county users may narrow an answer to one town.
 */
export const TownQuery = {
  townId: Type.Optional(Type.Integer({ minimum: 1, description: 'County users: only the areas of this town (default every town). Town users always get their own town' })),
}

/**
 * The town an analytics answer covers: a town user's own, whatever they sent
 * (row-level security would hide another town's rows anyway, but an empty map
 * would read as "no risk here"); a county user's choice, or undefined for
 * every town. A county user naming a town that does not exist gets 400
 * `unknown_town`: an empty map would read as "no risk there" too.
 */
export async function requestedTown(db: Db, user: UserRecord, townId: number | undefined): Promise<number | undefined> {
  const scope = userScope(user)
  if (scope.kind === 'town') return scope.townId
  if (townId === undefined) return undefined
  if (!(await allTownIds(db)).includes(townId)) throw new HttpError(400, 'unknown_town', { id: townId })
  return townId
}
