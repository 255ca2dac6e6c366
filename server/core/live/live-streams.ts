import type { Role } from '../db/tables/auth.ts'
import { isEnded, type Credential, type EndedCredentials } from '../auth/credential-cache.ts'

/** An open live stream: whose, opened with which credential, and how to end it. */
export interface OpenStream {
  userId: number
  /** The role the stream filters by; a role change ends the stream so the client reconnects with the new one. */
  role: Role
  credential: Credential
  close: () => void
}

/**
 * The open live streams of this process, by credential, so that ending a
 * credential (sign-out, revocation, disabling, password reset, role change)
 * ends its streams at once, in the other processes too (through NOTIFY,
 * auth/credential-sync.plugin.ts); their periodic re-check against the
 * database (features/live/live.routes.ts) catches what a lost notification missed.
 */
export class LiveStreamRegistry {
  readonly #open = new Set<OpenStream>()

  /** Registers a stream; returns the function that removes it. */
  add(stream: OpenStream): () => void {
    this.#open.add(stream)
    return () => {
      this.#open.delete(stream)
    }
  }

  /** Ends the streams of ended credentials; returns how many were ended. */
  end(ended: EndedCredentials): number {
    let count = 0
    for (const stream of [...this.#open]) {
      if (!isEnded(ended, stream.userId, stream.credential)) continue
      this.#open.delete(stream)
      stream.close()
      count += 1
    }
    return count
  }

  /** Ends every stream (server shutdown). */
  endAll(): void {
    for (const stream of [...this.#open]) stream.close()
    this.#open.clear()
  }

  /** The open streams, for the periodic re-check. */
  list(): OpenStream[] {
    return [...this.#open]
  }

  /** Number of open streams. */
  get size(): number {
    return this.#open.size
  }
}
