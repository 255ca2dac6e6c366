import type { Db } from '../db/database.ts'
import { insertApiToken } from '../repositories/credentials.repository.ts'
import { API_TOKEN_PREFIX, hashSecret, newSecret } from '../security/token.util.ts'

/** A freshly issued token: the secret is in here once and never stored. */
export interface IssuedToken {
  id: number
  userId: number
  name: string
  token: string
  createdAt: string
  expiresAt: string | null
}

/** Issues a personal API token for `userId`, valid `expiresInDays` or forever. */
export async function issueApiToken(db: Db, userId: number, name: string, expiresInDays?: number): Promise<IssuedToken> {
  const token = newSecret(API_TOKEN_PREFIX)
  const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null
  const saved = await insertApiToken(db, {
    userId,
    name,
    tokenHash: hashSecret(token),
    tokenPrefix: token.slice(0, 8),
    expiresAt,
  })
  return {
    id: saved.id,
    userId,
    name,
    token,
    createdAt: saved.createdAt.toISOString(),
    expiresAt: expiresAt?.toISOString() ?? null,
  }
}
