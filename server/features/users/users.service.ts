import type { Db } from '../../core/db/database.ts'
import type { Role } from '../../core/db/tables/auth.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { findNonGridIds } from '../areas/index.ts'
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
}

/**
 * Checks and creates a user: 400 for a password breaking the rules (see
 * server/features/users/password-rules.ts), unknown grids or an
 * unknown station, 409 for a taken username. Run it in a transaction.
 */
export async function createUser(db: Db, input: CreateUserInput, createdBy: number | null): Promise<UserRecord> {
  assertPasswordAcceptable(input.password, input.username)
  if (await usernameExists(db, input.username)) throw new HttpError(409, 'username_taken', { username: input.username })
  const unknownGrids = await findNonGridIds(db, input.gridIds ?? [])
  if (unknownGrids.length > 0) throw new HttpError(400, 'unknown_grids', { ids: unknownGrids.join(', ') })
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
    createdBy,
  })
  return (await findUserById(db, id))!
}
