import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import type { Database, Db } from './database.ts'
import { NO_SCOPE } from './db-scope.ts'
import { ScopedPool } from './scoped-pool.ts'
import { SERVER_SESSION_OPTIONS } from './session-options.ts'
import { poolConfig } from './pg-pool.ts'

/** How long a read waits for the replica to replay the user's last write before it goes to the primary. */
export const REPLICA_CATCH_UP_WAIT_MS = 500
/** How often the replica's replay position is asked while waiting. */
const CATCH_UP_POLL_MS = 20
/** How long a replay position read from the replica is trusted (it only moves forward). */
const REPLAY_LSN_FRESH_MS = 100
/** How long reads stay on the primary after the replica could not be reached. */
export const REPLICA_RETRY_AFTER_MS = 2_000
/** How long opening a replica connection may take before the read goes to the primary. */
const REPLICA_CONNECT_TIMEOUT_MS = 1_000

/** A PostgreSQL WAL position as PostgreSQL prints it (`16/B374D848`). */
const LSN_PATTERN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i

/** A WAL position as a number (for comparing), or undefined when `text` is not one. */
export function parseLsn(text: string | null | undefined): bigint | undefined {
  if (!text || !LSN_PATTERN.test(text)) return undefined
  const [high, low] = text.split('/')
  return (BigInt(`0x${high}`) << 32n) | BigInt(`0x${low}`)
}

/** Options of {@link ReadReplica}. */
export interface ReadReplicaOptions {
  /** Connection string of the streaming replica (`DATABASE_REPLICA_URL`). */
  url: string
  /** The primary's scoped pool: where a read goes when the replica cannot be reached (its role is copied). */
  primaryPool: ScopedPool<pg.PoolClient>
  /** Maximum connections to the replica. */
  poolSize?: number
  /** Told when the replica cannot be reached (reads then go to the primary). */
  onDown(error: unknown): void
  /** Told when the replica answers again. */
  onUp?(): void
}

/**
 * A second pool on a streaming replica (issue 13, item 5), for the routes
 * that declare `config: { reads: 'replica' }`.
 *
 * - The replica down: {@link db} hands out primary connections instead (the
 *   failure is logged once, retried after {@link REPLICA_RETRY_AFTER_MS}); a
 *   read never fails because the replica is gone. A replica lost in the
 *   middle of a query fails that one query.
 * - Read-your-writes: {@link caughtUp} says whether the replica has replayed
 *   a given WAL position (the user's last write), waiting up to
 *   {@link REPLICA_CATCH_UP_WAIT_MS}; the caller reads the primary otherwise.
 *
 * The replica's connections are made like the primary's (session options, keep-alive);
 * anything the primary's connections set per connection (role, settings) must
 * be set here too.
 */
export class ReadReplica {
  /** Kysely on the replica (falling back to the primary while the replica is down). */
  readonly db: Db
  readonly #replicaPool: pg.Pool
  /** The replica's connections with the caller's scope set, as on the primary (row-level security). */
  readonly #scopedPool: ScopedPool<pg.PoolClient>
  readonly #options: ReadReplicaOptions
  #downUntilMs = 0
  #down = false
  #replay: { lsn: bigint; atMs: number } | undefined

  constructor(options: ReadReplicaOptions) {
    this.#options = options
    this.#replicaPool = new pg.Pool(
      poolConfig({
        connectionString: options.url,
        max: options.poolSize ?? 10,
        options: SERVER_SESSION_OPTIONS,
        connectTimeoutMs: REPLICA_CONNECT_TIMEOUT_MS,
        keepAlive: true,
      }),
    )
    // Idle replica connections lost (replica restart) must not end the process.
    this.#replicaPool.on('error', (error) => this.#markDown(error))
    this.#replicaPool.on('connect', (client) => client.on('error', (error) => this.#markDown(error)))
    this.#scopedPool = new ScopedPool(this.#replicaPool, { defaultScope: NO_SCOPE })
    const pool = { connect: () => this.#connect(), end: () => this.#replicaPool.end() }
    this.db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool as never }) })
  }

  /** Whether reads are going to the primary because the replica could not be reached. */
  get down(): boolean {
    return this.#down && Date.now() < this.#downUntilMs
  }

  /**
   * Whether the replica has replayed WAL up to `lsn`, waiting up to
   * {@link REPLICA_CATCH_UP_WAIT_MS} for it; false when the replica is down.
   */
  async caughtUp(lsn: bigint, waitMs = REPLICA_CATCH_UP_WAIT_MS): Promise<boolean> {
    if (this.#replay && this.#replay.lsn >= lsn) return true
    const deadline = Date.now() + waitMs
    for (;;) {
      if (this.down) return false
      const replayed = await this.#replayLsn()
      if (replayed !== undefined && replayed >= lsn) return true
      if (Date.now() + CATCH_UP_POLL_MS > deadline) return false
      await new Promise((resolve) => setTimeout(resolve, CATCH_UP_POLL_MS))
    }
  }

  /** Closes the replica pool (the primary's belongs to the engine). */
  async close(): Promise<void> {
    await this.db.destroy()
  }

  /** The replica's replay position (fresh within {@link REPLAY_LSN_FRESH_MS}), or undefined when it cannot say. */
  async #replayLsn(): Promise<bigint | undefined> {
    if (this.#replay && Date.now() - this.#replay.atMs < REPLAY_LSN_FRESH_MS) return this.#replay.lsn
    let client: pg.PoolClient
    try {
      client = await this.#replicaPool.connect()
    } catch (error) {
      this.#markDown(error)
      return undefined
    }
    try {
      const { rows } = await client.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn')
      const lsn = parseLsn(rows[0]?.lsn)
      // NULL: not a replica (misconfigured URL) — never "caught up", reads stay on the primary.
      if (lsn === undefined) return undefined
      if (!this.#replay || lsn > this.#replay.lsn) this.#replay = { lsn, atMs: Date.now() }
      else this.#replay.atMs = Date.now()
      return lsn
    } catch (error) {
      this.#markDown(error)
      return undefined
    } finally {
      client.release()
    }
  }

  async #connect(): Promise<pg.PoolClient> {
    if (this.down) return this.#options.primaryPool.connect()
    // The replica has the primary's migrations, so the app role too.
    this.#scopedPool.appRole = this.#options.primaryPool.appRole
    try {
      const client = await this.#scopedPool.connect()
      if (this.#down) {
        this.#down = false
        this.#options.onUp?.()
      }
      return client
    } catch (error) {
      this.#markDown(error)
      return this.#options.primaryPool.connect()
    }
  }

  #markDown(error: unknown): void {
    const wasDown = this.down
    this.#down = true
    this.#downUntilMs = Date.now() + REPLICA_RETRY_AFTER_MS
    if (!wasDown) this.#options.onDown(error)
  }
}

/**
 * The primary's WAL insert position after a write, as text: at or past the
 * end of the write's commit record. Not `pg_current_wal_lsn()` (the write
 * position): with `synchronous_commit = off` the commit is acknowledged
 * before its record is written, and that position can still lie before it.
 */
export async function currentWalLsn(db: Db): Promise<string> {
  const { rows } = await sql<{ lsn: string }>`SELECT pg_current_wal_insert_lsn()::text AS lsn`.execute(db)
  return rows[0].lsn
}
