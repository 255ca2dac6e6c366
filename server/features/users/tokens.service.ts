import type { Db } from '../../core/db/database.ts'
import { insertApiToken } from '../../core/auth/credentials.repository.ts'
import { API_TOKEN_PREFIX, hashSecret, newSecret } from '../../core/auth/token.ts'

/** Lifetime of a token when none is asked for. */
export const DEFAULT_TOKEN_DAYS = 90
/** Longest lifetime a token may be given (a token that never expires is not possible). */
export const MAX_TOKEN_DAYS = 365
const DAY_MS = 86_400_000

/** A freshly issued token: the secret is in here once and never stored. */
export interface IssuedToken {
  id: number
  userId: number
  name: string
  token: string
  createdAt: string
  expiresAt: string
  /** Administrator who issued it for the user, or null when the user made it. */
  issuedBy: number | null
}

/**
 * Issues a personal API token for `userId`, valid `expiresInDays` (default
 * {@link DEFAULT_TOKEN_DAYS}, at most {@link MAX_TOKEN_DAYS}). `issuedBy` is the
 * administrator issuing it for someone else, recorded so that what is done
 * with the token is audited with their name too.
 */
export async function issueApiToken(
  db: Db,
  userId: number,
  name: string,
  expiresInDays: number = DEFAULT_TOKEN_DAYS,
  issuedBy: number | null = null,
): Promise<IssuedToken> {
  const days = Math.min(Math.max(1, Math.floor(expiresInDays)), MAX_TOKEN_DAYS)
  const issuer = issuedBy === userId ? null : issuedBy
  const token = newSecret(API_TOKEN_PREFIX)
  const expiresAt = new Date(Date.now() + days * DAY_MS)
  const saved = await insertApiToken(db, {
    userId,
    name,
    tokenHash: hashSecret(token),
    tokenPrefix: token.slice(0, 8),
    expiresAt,
    issuedBy: issuer,
  })
  return { id: saved.id, userId, name, token, createdAt: saved.createdAt.toISOString(), expiresAt: expiresAt.toISOString(), issuedBy: issuer }
}
