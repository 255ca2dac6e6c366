import type { PGliteThread } from './pglite-thread.ts'

/** The subset of a `pg` client that Kysely's PostgresDialect uses. */
interface PoolClientLike {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number; command: string }>
  release(): void
}

/**
 * Presents one PGlite instance as a `pg`-style pool for Kysely.
 *
 * PGlite has a single connection, so a connection is handed to one caller at a
 * time: a transaction holds it until it commits, and other queries wait. Code
 * inside a transaction must use the transaction handle, never the pool.
 */
export class PGlitePool {
  readonly #pg: PGliteThread
  #tail: Promise<void> = Promise.resolve()

  constructor(pg: PGliteThread) {
    this.#pg = pg
  }

  /** Waits for the connection and lends it until `release()`. */
  async connect(): Promise<PoolClientLike> {
    let release!: () => void
    const freed = new Promise<void>((resolve) => (release = resolve))
    const previous = this.#tail
    this.#tail = previous.then(() => freed)
    await previous
    const pg = this.#pg
    return {
      async query(text, values) {
        const result = await pg.query(text, values ?? [])
        return {
          rows: result.rows,
          rowCount: result.affectedRows ?? result.rows.length,
          command: commandOf(text),
        }
      },
      release,
    }
  }

  /** Kysely calls this on destroy; the owner closes PGlite itself. */
  async end(): Promise<void> {}
}

function commandOf(text: string): string {
  const match = /^\s*(?:with\b[\s\S]*?\)\s*)?(\w+)/i.exec(text)
  return (match?.[1] ?? '').toUpperCase()
}
