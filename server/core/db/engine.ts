import { mkdirSync } from 'node:fs'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database, Db } from './database.ts'
import { PGlitePool } from './pglite-pool.ts'
import { PGliteThread } from './pglite-thread.ts'

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
  /** The `pg` pool, when the engine is PostgreSQL (the read replica falls back to it: core/db/replica.ts). */
  pool?: pg.Pool
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
}

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
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10)
  return openPglite(options)
}

async function openPostgres(connectionString: string, max: number): Promise<DbEngine> {
  // JIT compilation costs ~30 ms per statement and our statements are short
  // (measured on 100k cases: a bbox page went from ~240 ms to ~60 ms without it).
  const pool = new pg.Pool({
    connectionString,
    max,
    options: '-c jit=off',
    // While the server is unreachable a request fails fast (503) instead of waiting on a socket.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  })
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
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return {
    kind: 'postgres',
    db,
    connectionString,
    ready: Promise.resolve(),
    pool,
    async exec(script) {
      const connection = await pool.connect()
      let broken: Error | undefined
      try {
        await connection.query(`BEGIN;\n${script}\n;COMMIT;`)
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
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool as never }) })
  return {
    kind: 'pglite',
    db,
    pglite,
    ready: pglite.ready,
    async exec(script) {
      const client = await pool.connect()
      try {
        await pglite.exec(`BEGIN;\n${script}\n;COMMIT;`)
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
