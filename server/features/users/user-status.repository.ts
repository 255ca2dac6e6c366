import { sql } from 'kysely'
import type { Db } from '../../core/db/database.ts'
import type { Role } from '../../core/db/tables/auth.ts'
import { administeredUsers, selectUsers, toUserRecord, type UserRecord } from '../../core/auth/users.repository.ts'

/** A user as the security administrator sees them: with how many live sessions and usable tokens they hold. */
export interface UserStatusRecord extends UserRecord {
  activeSessions: number
  activeTokens: number
}

/** Disables or enables a user. */
export async function setUserDisabled(db: Db, userId: number, disabled: boolean): Promise<void> {
  await db.updateTable('users').set({ disabled }).where('id', '=', userId).execute()
}

/** Changes a user's role. */
export async function setUserRole(db: Db, userId: number, role: Role): Promise<void> {
  await db.updateTable('users').set({ role }).where('id', '=', userId).execute()
}

/**
 * The users the running request may administer (its town's, or the whole
 * county's: see administeredUsers) with their live credential counts, by
 * username; sessions idle since `idleSince` are not counted.
 */
export async function listUserStatuses(db: Db, idleSince: Date): Promise<UserStatusRecord[]> {
  const now = new Date()
  const rows = await selectUsers(db)
    .$call(administeredUsers)
    .select([
      sql<number>`(SELECT count(*) FROM sessions s WHERE s.user_id = users.id AND s.expires_at > ${now} AND s.last_seen_at > ${idleSince})`.as(
        'active_sessions',
      ),
      sql<number>`(SELECT count(*) FROM api_tokens t WHERE t.user_id = users.id AND t.revoked_at IS NULL AND t.expires_at > ${now})`.as(
        'active_tokens',
      ),
    ])
    .orderBy('users.username')
    .execute()
  return rows.map((row) => ({ ...toUserRecord(row), activeSessions: Number(row.active_sessions), activeTokens: Number(row.active_tokens) }))
}
