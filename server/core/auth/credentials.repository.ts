import type { Db } from '../db/database.ts'
import type { Role } from '../db/tables/auth.ts'
import { selectUsers, toUserRecord, type UserRecord } from './users.repository.ts'

/** A stored browser session (never its cookie value). */
export interface SessionRecord {
  id: number
  userId: number
  createdAt: Date
  lastSeenAt: Date
  /** Absolute end (sign-in + maximum lifetime). */
  expiresAt: Date
  clientIp: string | null
  userAgent: string | null
}

/** A stored API token (never its secret). */
export interface TokenRecord {
  id: number
  userId: number
  name: string
  tokenPrefix: string
  createdAt: Date
  expiresAt: Date
  lastUsedAt: Date | null
  issuedBy: number | null
  issuedByUsername: string | null
}

const SESSION_COLUMNS = [
  'sessions.id',
  'sessions.user_id as userId',
  'sessions.created_at as createdAt',
  'sessions.last_seen_at as lastSeenAt',
  'sessions.expires_at as expiresAt',
  'sessions.client_ip as clientIp',
  'sessions.user_agent as userAgent',
] as const

/** Stores a session (by the hash of its cookie value); returns its id. */
export async function insertSession(
  db: Db,
  session: { tokenHash: string; userId: number; expiresAt: Date; clientIp: string | null; userAgent: string | null },
): Promise<number> {
  const row = await db
    .insertInto('sessions')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      expires_at: session.expiresAt,
      client_ip: session.clientIp,
      user_agent: session.userAgent?.slice(0, 300) ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(row.id)
}

/** The session of a cookie hash with its user (even when expired or disabled: the caller says why it refuses). */
export async function findSessionByHash(db: Db, tokenHash: string): Promise<{ session: SessionRecord; user: UserRecord } | undefined> {
  // Session columns under their own names: `id` alone would overwrite the user's id.
  const row = await selectUsers(db)
    .innerJoin('sessions', 'sessions.user_id', 'users.id')
    .select([
      'sessions.id as session_id',
      'sessions.created_at as session_created_at',
      'sessions.last_seen_at as session_last_seen_at',
      'sessions.expires_at as session_expires_at',
      'sessions.client_ip as session_client_ip',
      'sessions.user_agent as session_user_agent',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst()
  if (!row) return undefined
  const session = toSession({
    id: row.session_id,
    userId: row.id,
    createdAt: row.session_created_at,
    lastSeenAt: row.session_last_seen_at,
    expiresAt: row.session_expires_at,
    clientIp: row.session_client_ip,
    userAgent: row.session_user_agent,
  })
  return { session, user: toUserRecord(row) }
}

/** Records that a session was used, if it was not in the last minute (so a busy map writes once a minute). */
export async function touchSession(db: Db, sessionId: number, now: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now })
    .where('id', '=', sessionId)
    .where('last_seen_at', '<', new Date(now.getTime() - 60_000))
    .execute()
}

/** A user's live sessions (not past their absolute end nor idle since `idleSince`), newest first. */
export async function listSessions(db: Db, userId: number, idleSince: Date): Promise<SessionRecord[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(SESSION_COLUMNS)
    .where('sessions.user_id', '=', userId)
    .where('sessions.expires_at', '>', new Date())
    .where('sessions.last_seen_at', '>', idleSince)
    .orderBy('sessions.last_seen_at', 'desc')
    .orderBy('sessions.id', 'desc')
    .execute()
  return rows.map(toSession)
}

/** Deletes a user's sessions that have ended (idle since `idleSince` or past their absolute end). */
export async function deleteEndedSessions(db: Db, userId: number, idleSince: Date): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('expires_at', '<=', new Date()), eb('last_seen_at', '<=', idleSince)]))
    .execute()
}

/** Ends a session by its cookie hash (sign-out); returns its id, if there was one. */
export async function deleteSession(db: Db, tokenHash: string): Promise<number | undefined> {
  const row = await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).returning('id').executeTakeFirst()
  return row ? Number(row.id) : undefined
}

/** Ends one session of a user; false when the user has no session with that id. */
export async function deleteSessionById(db: Db, userId: number, sessionId: number): Promise<boolean> {
  const row = await db.deleteFrom('sessions').where('id', '=', sessionId).where('user_id', '=', userId).returning('id').executeTakeFirst()
  return row !== undefined
}

/** Ends all of a user's sessions; returns how many there were. */
export async function deleteUserSessions(db: Db, userId: number): Promise<number> {
  const rows = await db.deleteFrom('sessions').where('user_id', '=', userId).returning('id').execute()
  return rows.length
}

/** Stores an API token (by hash); returns its id. */
export async function insertApiToken(
  db: Db,
  token: { userId: number; name: string; tokenHash: string; tokenPrefix: string; expiresAt: Date; issuedBy: number | null },
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
      issued_by: token.issuedBy,
      revoked_by: null,
    })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow()
  return { id: Number(row.id), createdAt: row.created_at }
}

/** The token of a hash with its user (even when revoked, expired or disabled: the caller says why it refuses). */
export async function findTokenByHash(
  db: Db,
  tokenHash: string,
): Promise<{ tokenId: number; issuedBy: number | null; lastUsedAt: Date | null; expiresAt: Date; revoked: boolean; user: UserRecord } | undefined> {
  const row = await selectUsers(db)
    .innerJoin('api_tokens', 'api_tokens.user_id', 'users.id')
    .select([
      'api_tokens.id as token_id',
      'api_tokens.issued_by',
      'api_tokens.last_used_at',
      'api_tokens.expires_at',
      'api_tokens.revoked_at',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst()
  if (!row) return undefined
  return {
    tokenId: Number(row.token_id),
    issuedBy: row.issued_by === null ? null : Number(row.issued_by),
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    revoked: row.revoked_at !== null,
    user: toUserRecord(row),
  }
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

/** A user's usable tokens (not revoked, not expired), newest first. */
export async function listTokens(db: Db, userId: number): Promise<TokenRecord[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .leftJoin('users as issuer', 'issuer.id', 'api_tokens.issued_by')
    .select([
      'api_tokens.id',
      'api_tokens.user_id as userId',
      'api_tokens.name',
      'api_tokens.token_prefix as tokenPrefix',
      'api_tokens.created_at as createdAt',
      'api_tokens.expires_at as expiresAt',
      'api_tokens.last_used_at as lastUsedAt',
      'api_tokens.issued_by as issuedBy',
      'issuer.username as issuedByUsername',
    ])
    .where('api_tokens.user_id', '=', userId)
    .where('api_tokens.revoked_at', 'is', null)
    .where('api_tokens.expires_at', '>', new Date())
    .orderBy('api_tokens.created_at', 'desc')
    .orderBy('api_tokens.id', 'desc')
    .execute()
  return rows.map((row) => ({
    ...row,
    id: Number(row.id),
    userId: Number(row.userId),
    issuedBy: row.issuedBy === null ? null : Number(row.issuedBy),
  }))
}

/** Revokes one usable token of a user; false when the user has no such token. */
export async function revokeToken(db: Db, userId: number, tokenId: number, revokedBy: number | null): Promise<boolean> {
  const row = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date(), revoked_by: revokedBy })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}

/** Revokes all of a user's tokens not yet revoked; returns how many. */
export async function revokeUserTokens(db: Db, userId: number, revokedBy: number | null): Promise<number> {
  const rows = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date(), revoked_by: revokedBy })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute()
  return rows.length
}

/**
 * Of the given sessions and tokens, those still usable (live, user enabled),
 * with their user's current role: what open live streams are re-checked against.
 */
export async function findUsableCredentials(
  db: Db,
  ids: { sessionIds: number[]; tokenIds: number[] },
  idleSince: Date,
): Promise<Array<{ kind: 'session' | 'token'; id: number; role: Role }>> {
  const now = new Date()
  const sessions =
    ids.sessionIds.length === 0
      ? []
      : await db
          .selectFrom('sessions')
          .innerJoin('users', 'users.id', 'sessions.user_id')
          .select(['sessions.id', 'users.role'])
          .where('sessions.id', 'in', ids.sessionIds)
          .where('sessions.expires_at', '>', now)
          .where('sessions.last_seen_at', '>', idleSince)
          .where('users.disabled', '=', false)
          .execute()
  const tokens =
    ids.tokenIds.length === 0
      ? []
      : await db
          .selectFrom('api_tokens')
          .innerJoin('users', 'users.id', 'api_tokens.user_id')
          .select(['api_tokens.id', 'users.role'])
          .where('api_tokens.id', 'in', ids.tokenIds)
          .where('api_tokens.revoked_at', 'is', null)
          .where('api_tokens.expires_at', '>', now)
          .where('users.disabled', '=', false)
          .execute()
  return [
    ...sessions.map((row) => ({ kind: 'session' as const, id: Number(row.id), role: row.role })),
    ...tokens.map((row) => ({ kind: 'token' as const, id: Number(row.id), role: row.role })),
  ]
}

function toSession(row: {
  id: number
  userId: number
  createdAt: Date
  lastSeenAt: Date
  expiresAt: Date
  clientIp: string | null
  userAgent: string | null
}): SessionRecord {
  return { ...row, id: Number(row.id), userId: Number(row.userId) }
}
