import type { UserRecord } from './users.repository.ts'

/** How long a resolved session or token is trusted without asking the database again. */
export const CREDENTIAL_CACHE_MS = 5_000
/**
 * Past this age a token's entry is checked again in the background while it is
 * still served, so that a steady client never waits for the check (under load
 * the check waits for a pool connection behind other statements).
 */
export const CREDENTIAL_REFRESH_AFTER_MS = CREDENTIAL_CACHE_MS / 2
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

/** What a database lookup of a credential found. */
export interface CredentialLookup {
  resolved: ResolvedCredential
  /** When the credential ends by itself (a token's expiry, a session's absolute or idle end), in ms since the epoch. */
  endsAtMs: number
}

/** Whether `credential` of `userId` is among `ended`. */
export function isEnded(ended: EndedCredentials, userId: number, credential: Credential): boolean {
  if ('userId' in ended) return ended.userId === userId
  return ended.kind === credential.kind && ended.id === credential.id
}

interface Entry extends ResolvedCredential {
  /** When the lookup that found it started (the database was read after this). */
  checkedAtMs: number
  expiresAtMs: number
}

/**
 * A short-lived map from a credential's hash to its user, so that a burst of
 * requests (a map loading its layers, a GIS client paging) costs one lookup.
 * Sign-out, revocation, disabling, a password reset and a role change remove
 * the entries concerned at once ({@link forget}), in the other processes on
 * the same PostgreSQL database too (credential-sync.plugin.ts, NOTIFY); only
 * while their LISTEN connection is down may they trust an ended credential
 * for up to {@link CREDENTIAL_CACHE_MS} after it was last read.
 *
 * Concurrent requests with the same credential share one lookup (at 100
 * connections an expired entry used to send every request waiting at that
 * moment to the database on its own). A lookup still running when
 * credentials end is not remembered, and later requests do not join it.
 */
export class CredentialCache {
  readonly #entries = new Map<string, Entry>()
  readonly #inFlight = new Map<string, Promise<CredentialLookup>>()
  /** Bumped whenever credentials end: lookups started before must not be remembered. */
  #generation = 0

  /**
   * The credential of `hash`: from the cache when fresh, otherwise from
   * `lookup` (one at a time per hash; concurrent callers share it). `looked` is
   * set when this call waited for a lookup (the caller may act on what it
   * found, e.g. slide a session cookie). With `refreshAhead`, an entry older
   * than {@link CREDENTIAL_REFRESH_AFTER_MS} is served and checked again in the
   * background; if that check fails the entry is dropped.
   */
  async resolve<L extends CredentialLookup>(
    hash: string,
    lookup: () => Promise<L>,
    options: { refreshAhead?: boolean } = {},
  ): Promise<{ resolved: ResolvedCredential; looked?: L }> {
    const now = Date.now()
    const entry = this.#entries.get(hash)
    if (entry && entry.expiresAtMs > now) {
      if (options.refreshAhead && now - entry.checkedAtMs >= CREDENTIAL_REFRESH_AFTER_MS && !this.#inFlight.has(hash)) {
        this.#lookUp(hash, lookup).catch(() => {
          if (this.#entries.get(hash) === entry) this.#entries.delete(hash)
        })
      }
      return { resolved: entry }
    }
    if (entry) this.#entries.delete(hash)
    const looked = (await this.#lookUp(hash, lookup)) as L
    return { resolved: looked.resolved, looked }
  }

  #lookUp(hash: string, lookup: () => Promise<CredentialLookup>): Promise<CredentialLookup> {
    const running = this.#inFlight.get(hash)
    if (running) return running
    const generation = this.#generation
    const checkedAtMs = Date.now()
    const promise = lookup()
      .then((looked) => {
        if (this.#generation === generation) this.#remember(hash, looked, checkedAtMs)
        return looked
      })
      .finally(() => {
        if (this.#inFlight.get(hash) === promise) this.#inFlight.delete(hash)
      })
    this.#inFlight.set(hash, promise)
    return promise
  }

  #remember(hash: string, looked: CredentialLookup, checkedAtMs: number): void {
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear()
    const expiresAtMs = Math.min(checkedAtMs + CREDENTIAL_CACHE_MS, looked.endsAtMs)
    this.#entries.set(hash, { ...looked.resolved, checkedAtMs, expiresAtMs })
  }

  /** Forgets a credential by its hash (sign-out). */
  delete(hash: string): void {
    this.#ended()
    this.#entries.delete(hash)
  }

  /** Forgets ended credentials: one by kind and id, or all of a user's. */
  forget(ended: EndedCredentials): void {
    this.#ended()
    for (const [hash, entry] of this.#entries) {
      if (isEnded(ended, entry.user.id, entry.credential)) this.#entries.delete(hash)
    }
  }

  /** Forgets everything (after a change to users or their grids). */
  clear(): void {
    this.#ended()
    this.#entries.clear()
  }

  /** Lookups under way may have read what just ended: they are not remembered nor joined. */
  #ended(): void {
    this.#generation += 1
    this.#inFlight.clear()
  }
}
