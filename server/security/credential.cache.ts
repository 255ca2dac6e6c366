import type { UserRecord } from '../repositories/users.repository.ts'

/** How long a resolved session or token is trusted without asking the database again. */
export const CREDENTIAL_CACHE_MS = 5_000
const MAX_ENTRIES = 2_000

/**
 * A short-lived map from a credential's hash to its user, so that a burst of
 * requests (a map loading its layers, a GIS client paging) costs one lookup.
 * Sign-out removes its entry at once; other changes (a disabled user, a
 * revoked token) take effect within {@link CREDENTIAL_CACHE_MS}.
 */
export class CredentialCache {
  readonly #entries = new Map<string, { user: UserRecord; expiresAt: number }>()

  /** The cached user of a credential hash, if still fresh. */
  get(hash: string): UserRecord | undefined {
    const entry = this.#entries.get(hash)
    if (!entry) return undefined
    if (entry.expiresAt > Date.now()) return entry.user
    this.#entries.delete(hash)
    return undefined
  }

  /** Remembers the user of a credential hash. */
  set(hash: string, user: UserRecord): void {
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear()
    this.#entries.set(hash, { user, expiresAt: Date.now() + CREDENTIAL_CACHE_MS })
  }

  /** Forgets a credential (sign-out, revocation). */
  delete(hash: string): void {
    this.#entries.delete(hash)
  }

  /** Forgets everything (after a change to users or their grids). */
  clear(): void {
    this.#entries.clear()
  }
}
