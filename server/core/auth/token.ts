import { createHash, randomBytes } from 'node:crypto'

/** Prefix of personal API tokens, so that leaked tokens are recognisable. */
export const API_TOKEN_PREFIX = 'gat_'

/** A new random secret (session cookie value or API token). */
export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url')
}

/** SHA-256 of a secret, as stored in the database. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}
