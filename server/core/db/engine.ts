import { mkdirSync } from 'node:fs'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database, Db } from './database.ts'
import { PGlitePool } from './pglite-pool.ts'
import { PGliteThread } from './pglite-thread.ts'
import { NO_SCOPE, type DbScope } from './db-scope.ts'
import { APP_ROLE_READY_SQL, ScopedPool } from './scoped-pool.ts'
import { SERVER_SESSION_OPTIONS } from './session-options.ts'
import { poolConfig } from './pg-pool.ts'

/** Which database engine is behind a handle. */
export type EngineKind = 'pglite' | 'postgres'

/** An open database: a Kysely handle plus what Kysely doesn't cover. */
export interface DbEngine {
  kind: EngineKind
  db: Db
  /** Runs a multi-statement SQL script in one transaction; on failure nothing is kept. */
  exec(script: string): Promise<void>
  /** The embedded instance (in its own thread), when the engine is PGlite. */
  pglite?: PGliteThread
  /** The connection string, when the engine is PostgreSQL (for dedicated clients such as LISTEN). */
  connectionString?: string
  /** Settles once the database is open (at once unless opened with `deferOpen`). */
  ready: Promise<void>
  /**
   * The primary's connections with the running code's scope set on them (role,
   * town), when the engine is PostgreSQL: the read replica falls back to it and
   * copies its role (core/db/replica.ts).
   */
  pool?: ScopedPool<pg.PoolClient>
  /**
   * Checks whether the app role is ready (migration 0019) and, when it is, runs
   * the statements of `db` as that role from now on; `migrate` calls it.
   */
  refreshAppRole(): Promise<void>
  close(): Promise<void>
}

/** Options for {@link openEngine}. */
export interface EngineOptions {
  /** PostgreSQL connection string; when absent the embedded PGlite is used. */
  databaseUrl?: string
  /** Folder for PGlite's data; omitted means in memory. */
  dataDir?: string
  /** A PGlite data dump (from `dumpDataDir`) to start from. */
  loadDataDir?: Blob | File
  /** Maximum connections in the `pg` pool. */
  poolSize?: number
  /**
   * PGlite only: return while the database still opens in its thread (statements
   * wait for it; {@link DbEngine.ready} tells when it is open). `npm start` uses it
   * to build the app meanwhile; a failed open surfaces at the first statement.
   */
  deferOpen?: boolean
  /**
   * Database scope of statements run outside any scope (db-scope.ts). Default
   * `none`: nothing town-owned is visible (fail closed); scripts and tests that
   * act as the system pass `SYSTEM_SCOPE`.
   */
  defaultScope?: DbScope
}

/**
 * Prefix of scripts run by `exec` (migrations): as the connecting user (the
 * owner: DDL, no row-level security) and in the system scope.
 */
const OWNER_PREFIX = `RESET ROLE; SELECT set_config('app.scope', 'system', false), set_config('app.town', '', false);`

/** How long opening a connection to PostgreSQL may take before the request fails (503). */
const CONNECT_TIMEOUT_MS = 5000

/** Logs a lost connection at most once a second (an outage drops every connection at once). */
let lastConnectionWarningMs = 0
function warnConnectionLost(error: Error): void {
  if (Date.now() - lastConnectionWarningMs < 1000) return
  lastConnectionWarningMs = Date.now()
  console.warn(`GridAtlas: database connection lost: ${error.message}`)
}

const INT8_OID = 20
const NUMERIC_OID = 1700

pg.types.setTypeParser(INT8_OID, (value) => Number(value))
pg.types.setTypeParser(NUMERIC_OID, (value) => Number(value))

/** Opens PostgreSQL when `databaseUrl` is set, otherwise the embedded PGlite + PostGIS. */
export async function openEngine(options: EngineOptions): Promise<DbEngine> {
  const engine = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options.poolSize ?? 10, options.defaultScope ?? NO_SCOPE)
    : await openPglite(options)
  if (!options.deferOpen) {
    await engine.refreshAppRole()
    return engine
  }
  // Deferred: the role check waits for the open, and `ready` for both. Until then statements run
  // as the connecting user; only start-up (system) work runs that early, and `migrate` checks again.
  const opened = engine.refreshAppRole()
  opened.catch(() => {})
  engine.ready = opened
  return engine
}

async function openPostgres(connectionString: string, max: number, defaultScope: DbScope): Promise<DbEngine> {
  const pool = new pg.Pool(
    poolConfig({
      connectionString,
      max,
      options: SERVER_SESSION_OPTIONS,
      // While the server is unreachable a request fails fast (503) instead of waiting on a socket.
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
      keepAlive: true,
    }),
  )
  // An idle client losing its connection (server restart, dropped database) must
  // not crash the process; the pool replaces it on the next checkout.
  pool.on('error', (error) => warnConnectionLost(error))
  // The pool listens for errors only on idle clients: a client checked out
  // (a transaction, a running query) that loses its server emits 'error' with
  // no listener, which kills the process. Every client gets its own listener;
  // the query in flight fails on its own and the request answers 503.
  pool.on('connect', (client) => client.on('error', (error) => warnConnectionLost(error)))
  const client = await pool.connect()
  client.release()
  const scoped = new ScopedPool<pg.PoolClient>(pool, { defaultScope })
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: scoped as never }) })
  return {
    kind: 'postgres',
    db,
    connectionString,
    ready: Promise.resolve(),
    pool: scoped,
    async refreshAppRole() {
      const result = await pool.query<{ ready: boolean }>(APP_ROLE_READY_SQL)
      scoped.appRole = result.rows[0]?.ready === true
    },
    async exec(script) {
      const connection = await pool.connect()
      scoped.forget(connection)
      let broken: Error | undefined
      try {
        await connection.query(`${OWNER_PREFIX}\nBEGIN;\n${script}\n;COMMIT;`)
      } catch (error) {
        // On a lost connection ROLLBACK fails too: the server rolled back already; report the first error.
        await connection.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError))
        throw error
      } finally {
        connection.release(broken)
      }
    },
    async close() {
      await db.destroy()
    },
  }
}

async function openPglite(options: EngineOptions): Promise<DbEngine> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true })
  // bigint and numeric become numbers in the thread too (pglite-worker.js), as for `pg` above.
  const loadDataDir = options.loadDataDir ? await options.loadDataDir.arrayBuffer() : undefined
  const pglite = PGliteThread.spawn({ dataDir: options.dataDir, loadDataDir })
  if (!options.deferOpen) await pglite.ready
  const pool = new PGlitePool(pglite)
  // One connection: its state is the instance's.
  const scoped = new ScopedPool(pool, { defaultScope: options.defaultScope ?? NO_SCOPE, keyOf: () => pool })
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: scoped as never }) })
  return {
    kind: 'pglite',
    db,
    pglite,
    ready: pglite.ready,
    async refreshAppRole() {
      const client = await pool.connect()
      try {
        const result = await client.query(APP_ROLE_READY_SQL)
        scoped.appRole = (result.rows[0] as { ready?: boolean } | undefined)?.ready === true
      } finally {
        client.release()
      }
    },
    async exec(script) {
      const client = await pool.connect()
      scoped.forget(client)
      try {
        await pglite.exec(`${OWNER_PREFIX}\nBEGIN;\n${script}\n;COMMIT;`)
      } catch (error) {
        await pglite.exec('ROLLBACK')
        throw error
      } finally {
        client.release()
      }
    },
    async close() {
      await db.destroy()
      await pglite.close()
    },
  }
}
