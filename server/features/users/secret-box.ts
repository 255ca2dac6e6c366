import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

const SEALED = 'v1.'
const PLAIN = 'plain.'

/**
 * Seals a secret for storage with AES-256-GCM under `key` (32 bytes). Without
 * a key it is stored marked `plain.`: the sample's local trial needs no key
 * management, and the secret is still never returned after enrolment.
 */
export function sealSecret(secret: string, key: Buffer | undefined): string {
  if (!key) return PLAIN + secret
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
  return SEALED + [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.')
}

/** Opens a value from {@link sealSecret}; throws if it was sealed and `key` is missing or wrong. */
export function openSecret(stored: string, key: Buffer | undefined): string {
  if (stored.startsWith(PLAIN)) return stored.slice(PLAIN.length)
  if (!stored.startsWith(SEALED)) throw new Error('Unknown sealed-secret format')
  if (!key) throw new Error('TOTP_SECRET_KEY is needed to read the stored TOTP secrets (it was set when they were enrolled)')
  const [iv, tag, body] = stored.slice(SEALED.length).split('.').map((part) => Buffer.from(part, 'base64url'))
  const decipher = createDecipheriv('aes-256-gcm', key, iv)
  decipher.setAuthTag(tag)
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')
}

/** Parses `TOTP_SECRET_KEY`: 64 hex digits or 43–44 base64 characters (32 bytes). */
export function parseSecretKey(text: string | undefined): Buffer | undefined {
  if (!text) return undefined
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64')
  if (key.length !== 32) throw new Error('TOTP_SECRET_KEY must be 32 bytes: 64 hex digits or base64 (e.g. `openssl rand -hex 32`)')
  return key
}
