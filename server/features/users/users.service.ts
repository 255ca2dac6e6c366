import type { Db } from '../../core/db/database.ts'
import { COUNTY_ROLES, TOWN_ROLES, type Role } from '../../core/db/tables/auth.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { allTownIds, findNonGridIds, gridsOutsideTown } from '../areas/index.ts'
import { findUserById, insertUser, usernameExists, type UserRecord } from '../../core/auth/users.repository.ts'
import { hashPassword } from './password-hash.ts'
import { assertPasswordAcceptable } from './password-rules.ts'

export { MIN_PASSWORD_LENGTH } from './password-rules.ts'

/** What an administrator gives to create a user. */
export interface CreateUserInput {
  username: string
  password: string
  role: Role
  displayName?: string
  stationKey?: string
  gridIds?: number[]
  /** The user's town (town roles; an administrator without it is a county administrator). */
  townId?: number | null
}

/** Who creates a user: their town (null: a county administrator, or the system). */
export interface UserCreator {
  id: number | null
  townId: number | null
}

/**
 * Checks and creates a user: 400 for a password breaking the rules (see
 * server/features/users/password-rules.ts), unknown grids or an
 * unknown station, 409 for a taken username. Run it in a transaction.
 */
export async function createUser(db: Db, input: CreateUserInput, createdBy: number | null | UserCreator): Promise<UserRecord> {
  const creator: UserCreator = typeof createdBy === 'object' && createdBy !== null ? createdBy : { id: createdBy, townId: null }
  assertPasswordAcceptable(input.password, input.username)
  const townId = await newUserTown(db, input, creator)
  if (await usernameExists(db, input.username)) throw new HttpError(409, 'username_taken', { username: input.username })
  const unknownGrids = await findNonGridIds(db, input.gridIds ?? [])
  if (unknownGrids.length > 0) throw new HttpError(400, 'unknown_grids', { ids: unknownGrids.join(', ') })
  const foreignGrids = townId === null ? [] : await gridsOutsideTown(db, input.gridIds ?? [], townId)
  if (foreignGrids.length > 0) throw new HttpError(400, 'grids_of_other_town', { ids: foreignGrids.join(', ') })
  if (input.stationKey) {
    const station = await db.selectFrom('stations').select('key').where('key', '=', input.stationKey).executeTakeFirst()
    if (!station) throw new HttpError(400, 'unknown_station', { key: input.stationKey })
  }
  const id = await insertUser(db, {
    username: input.username,
    displayName: input.displayName ?? null,
    passwordHash: await hashPassword(input.password),
    role: input.role,
    stationKey: input.stationKey ?? null,
    gridIds: input.gridIds,
    createdBy: creator.id,
    townId,
  })
  return (await findUserById(db, id))!
}

/**
 * The town of a new user: a town administrator creates users of their own town
 * only (403 for another town or a county role); a county administrator names
 * the town of a town role (400 when missing and the county has several towns)
 * and may leave it out for an administrator (a county administrator). County
 * roles have no town.
 */
async function newUserTown(db: Db, input: CreateUserInput, creator: UserCreator): Promise<number | null> {
  const isCountyRole = (COUNTY_ROLES as readonly Role[]).includes(input.role)
  if (creator.townId !== null) {
    if (isCountyRole) throw new HttpError(403, 'county_user_by_town_admin')
    if (input.townId !== undefined && input.townId !== creator.townId) throw new HttpError(403, 'other_town_user')
    return creator.townId
  }
  if (isCountyRole) {
    if (input.townId !== undefined && input.townId !== null) throw new HttpError(400, 'county_role_has_no_town', { role: input.role })
    return null
  }
  const towns = await allTownIds(db)
  if (input.townId !== undefined && input.townId !== null) {
    if (!towns.includes(input.townId)) throw new HttpError(400, 'unknown_town', { id: input.townId })
    return input.townId
  }
  if (!(TOWN_ROLES as readonly Role[]).includes(input.role)) return null
  if (towns.length === 1) return towns[0]
  throw new HttpError(400, 'town_required', { role: input.role, towns: towns.join(', ') })
}
