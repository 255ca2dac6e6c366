import { sql, type SelectQueryBuilder } from 'kysely'
import type { Database, Db } from '../db/database.ts'
import { currentDbScope } from '../db/db-scope.ts'
import type { Role } from '../db/tables/auth.ts'

/** A user row with the grids they are responsible for. */
export interface UserRecord {
  id: number
  username: string
  displayName: string | null
  role: Role
  stationKey: string | null
  disabled: boolean
  gridIds: number[]
  /** The user's town; null for county users (see scope.ts). */
  townId: number | null
}

/** Fields to create a user; the password is already hashed. */
export interface NewUser {
  username: string
  displayName?: string | null
  passwordHash: string
  role: Role
  stationKey?: string | null
  gridIds?: number[]
  createdBy?: number | null
  /** The user's town; null for county users (the database fills a town role's only town). */
  townId?: number | null
}

/** Finds a user and their password hash by username (case-sensitive). */
export async function findUserCredentials(db: Db, username: string) {
  return db
    .selectFrom('users')
    .select(['id', 'role', 'password_hash', 'disabled'])
    .where('username', '=', username)
    .executeTakeFirst()
}

/** Users with their grid ids, in one statement; join sessions or tokens onto it. */
export function selectUsers(db: Db) {
  return db
    .selectFrom('users')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.role',
      'users.station_key',
      'users.disabled',
      'users.town_id',
      sql<number[]>`coalesce((SELECT json_agg(g.area_id ORDER BY g.area_id) FROM user_grids g WHERE g.user_id = users.id), '[]'::json)`.as(
        'grid_ids',
      ),
    ])
}

/**
 * Narrows a query of `users` to the users the running request may administer:
 * its town's for a town scope (a town's administrators), every user for the
 * county and the system, nobody without a scope (fail closed). The scope is
 * the request's database scope (server/core/db/db-scope.ts), set by the auth
 * hook, so no route can forget to pass it.
 *
 * `users` is not under row-level security (sign-in reads it before anyone's
 * scope is known), so user administration reads users through this filter.
 * Sign-in and session checks use the unfiltered lookups.
 */
export function administeredUsers<O>(query: SelectQueryBuilder<Database, 'users', O>): SelectQueryBuilder<Database, 'users', O> {
  const scope = currentDbScope()
  if (scope?.kind === 'county' || scope?.kind === 'system') return query
  if (scope?.kind === 'town') return query.where('users.town_id', '=', scope.townId)
  return query.where(sql<boolean>`false`)
}

/** Maps a row of {@link selectUsers} to a {@link UserRecord}. */
export function toUserRecord(row: {
  id: number
  username: string
  display_name: string | null
  role: Role
  station_key: string | null
  disabled: boolean
  town_id: number | null
  grid_ids: number[]
}): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    stationKey: row.station_key,
    disabled: row.disabled,
    gridIds: row.grid_ids.map(Number),
    townId: row.town_id,
  }
}

/** Loads a user by id, or undefined. */
export async function findUserById(db: Db, id: number): Promise<UserRecord | undefined> {
  const row = await selectUsers(db).where('users.id', '=', id).executeTakeFirst()
  return row ? toUserRecord(row) : undefined
}

/**
 * Loads a user the running request may administer (see {@link administeredUsers}),
 * or undefined: another town's user is not found, exactly like a missing one.
 */
export async function findAdministeredUser(db: Db, id: number): Promise<UserRecord | undefined> {
  const row = await selectUsers(db).$call(administeredUsers).where('users.id', '=', id).executeTakeFirst()
  return row ? toUserRecord(row) : undefined
}

/** The id of the user named `username` if the running request may administer them (see {@link administeredUsers}). */
export async function findAdministeredUsername(db: Db, username: string): Promise<number | undefined> {
  const row = await db.selectFrom('users').select('users.id').$call(administeredUsers).where('users.username', '=', username).executeTakeFirst()
  return row?.id
}

/** Whether a username is taken. */
export async function usernameExists(db: Db, username: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()
  return row !== undefined
}

/** Inserts a user and their grid responsibilities; returns the new id. */
export async function insertUser(db: Db, user: NewUser): Promise<number> {
  const { id } = await db
    .insertInto('users')
    .values({
      username: user.username,
      display_name: user.displayName ?? null,
      password_hash: user.passwordHash,
      role: user.role,
      station_key: user.stationKey ?? null,
      staff_id: null,
      created_by: user.createdBy ?? null,
      town_id: user.townId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const gridIds = [...new Set(user.gridIds ?? [])]
  if (gridIds.length > 0) {
    await db.insertInto('user_grids').values(gridIds.map((areaId) => ({ user_id: id, area_id: areaId }))).execute()
  }
  return id
}

/** Replaces a user's password hash. */
export async function updatePasswordHash(db: Db, userId: number, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute()
}

/**
 * Lists the users the running request may administer (its town's, or all for
 * the county: see {@link administeredUsers}), ordered by username.
 */
export async function listUsers(db: Db): Promise<UserRecord[]> {
  const rows = await selectUsers(db).$call(administeredUsers).orderBy('users.username').execute()
  return rows.map(toUserRecord)
}

/** The security and audit administrator roles that no enabled user holds yet (三员分立 needs all three). */
export async function missingAdministratorRoles(db: Db): Promise<Array<'security_admin' | 'audit_admin'>> {
  const held = await db
    .selectFrom('users')
    .select('role')
    .distinct()
    .where('role', 'in', ['security_admin', 'audit_admin'])
    .where('disabled', '=', false)
    .execute()
  const roles = new Set(held.map((row) => row.role))
  return (['security_admin', 'audit_admin'] as const).filter((role) => !roles.has(role))
}
