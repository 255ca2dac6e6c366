import type { Db } from '../db/database.ts'
import { selectUsers, toUserRecord, type UserRecord } from './users.repository.ts'

/** Stores a session (by the hash of its cookie value). */
export async function insertSession(db: Db, tokenHash: string, userId: number, expiresAt: Date): Promise<void> {
  await db.insertInto('sessions').values({ token_hash: tokenHash, user_id: userId, expires_at: expiresAt }).execute()
}

/** The enabled user of a live session, or undefined. */
export async function findSessionUser(db: Db, tokenHash: string): Promise<UserRecord | undefined> {
  const row = await selectUsers(db)
    .innerJoin('sessions', 'sessions.user_id', 'users.id')
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', new Date())
    .where('users.disabled', '=', false)
    .executeTakeFirst()
  return row ? toUserRecord(row) : undefined
}

/** Ends a session. */
export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute()
}

/** Stores a personal API token (by hash); returns its id. */
export async function insertApiToken(
  db: Db,
  token: { userId: number; name: string; tokenHash: string; tokenPrefix: string; expiresAt: Date | null },
): Promise<{ id: number; createdAt: Date }> {
  const row = await db
    .insertInto('api_tokens')
    .values({
      user_id: token.userId,
      name: token.name,
      token_hash: token.tokenHash,
      token_prefix: token.tokenPrefix,
      expires_at: token.expiresAt,
      last_used_at: null,
      revoked_at: null,
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow()
  return { id: row.id, createdAt: row.created_at }
}

/** The enabled user of a live API token (not revoked, not expired), with the token's use, or undefined. */
export async function findTokenUser(
  db: Db,
  tokenHash: string,
): Promise<{ tokenId: number; lastUsedAt: Date | null; user: UserRecord } | undefined> {
  const row = await selectUsers(db)
    .innerJoin('api_tokens', 'api_tokens.user_id', 'users.id')
    .select(['api_tokens.id as token_id', 'api_tokens.last_used_at'])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', new Date())]))
    .where('users.disabled', '=', false)
    .executeTakeFirst()
  return row ? { tokenId: row.token_id, lastUsedAt: row.last_used_at, user: toUserRecord(row) } : undefined
}

/** Records that a token was used; writes at most once a minute per token. */
export async function touchApiToken(db: Db, tokenId: number): Promise<void> {
  const aMinuteAgo = new Date(Date.now() - 60_000)
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: new Date() })
    .where('id', '=', tokenId)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', aMinuteAgo)]))
    .execute()
}
