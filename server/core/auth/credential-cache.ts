import type { UserRecord } from './users.repository.ts'

/** How long a resolved session or token is trusted without asking the database again. */
export const CREDENTIAL_CACHE_MS = 5_000
const MAX_ENTRIES = 2_000

/** Which credential a request was made with. */
export interface Credential {
  kind: 'session' | 'token'
  id: number
  /** For a token an administrator issued for its user: that administrator's id; otherwise null. */
  issuedBy: number | null
}

/** Credentials that have just ended: one credential, or all of a user's. */
export type EndedCredentials = { userId: number } | { kind: Credential['kind']; id: number }

/** A resolved credential: its user and what it is. */
export interface ResolvedCredential {
  user: UserRecord
  credential: Credential
}

/** Whether `credential` of `userId` is among `ended`. */
export function isEnded(ended: EndedCredentials, userId: number, credential: Credential): boolean {
  if ('userId' in ended) return ended.userId === userId
  return ended.kind === credential.kind && ended.id === credential.id
}

/**
 * A short-lived map from a credential's hash to its user, so that a burst of
 * requests (a map loading its layers, a GIS client paging) costs one lookup.
 * Sign-out, revocation, disabling, a password reset and a role change remove
 * the entries concerned at once ({@link forget}), in the other processes on
 * the same PostgreSQL database too (credential-sync.plugin.ts, NOTIFY); only
 * while their LISTEN connection is down may they trust an ended credential
 * for up to {@link CREDENTIAL_CACHE_MS}.
 */
export class CredentialCache {
  readonly #entries = new Map<string, ResolvedCredential & { expiresAt: number }>()

  /** The cached user and credential of a hash, if still fresh. */
  get(hash: string): ResolvedCredential | undefined {
    const entry = this.#entries.get(hash)
    if (!entry) return undefined
    if (entry.expiresAt > Date.now()) return entry
    this.#entries.delete(hash)
    return undefined
  }

  /** Remembers the user and credential of a hash. */
  set(hash: string, resolved: ResolvedCredential): void {
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear()
    this.#entries.set(hash, { ...resolved, expiresAt: Date.now() + CREDENTIAL_CACHE_MS })
  }

  /** Forgets a credential by its hash (sign-out). */
  delete(hash: string): void {
    this.#entries.delete(hash)
  }

  /** Forgets ended credentials: one by kind and id, or all of a user's. */
  forget(ended: EndedCredentials): void {
    for (const [hash, entry] of this.#entries) {
      if (isEnded(ended, entry.user.id, entry.credential)) this.#entries.delete(hash)
    }
  }

  /** Forgets everything (after a change to users or their grids). */
  clear(): void {
    this.#entries.clear()
  }
}
