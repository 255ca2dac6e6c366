import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import pg from 'pg'
import { inject } from 'vitest'
import { openEngine, type DbEngine } from '../../server/core/db/engine.ts'
import { SYSTEM_SCOPE } from '../../server/core/db/db-scope.ts'
import { adminQuery, withDatabase } from '../setup/template.ts'
import { reset, snapshot, type ResetSession, type Snapshot } from './database-reset.ts'
import { templateReady } from './template-ready.ts'

/** A database for one test file, copied from the run's template, and how to drop it. */
export interface TestDatabase {
  engine: DbEngine
  /** Connection string of this database on PostgreSQL (for a second process-like engine); undefined on PGlite. */
  url?: string
  dispose(): Promise<void>
}

/** Which engine this run tests: PostgreSQL when TEST_DATABASE_URL is set, else the embedded PGlite. */
export const ENGINE_UNDER_TEST = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'

/**
 * Whether a disposed database is reset and handed to the next file of the same
 * worker (tests/support/database-reset.ts says why and how).
 * `TEST_DATABASE_REUSE=off` gives every file a new copy, as before.
 */
const REUSE = process.env.TEST_DATABASE_REUSE !== 'off'

/** Longest a PGlite reset waits for a file's last query to let the connection go; past it the copy is dropped instead. */
const RESET_WAIT_MS = 10_000

/** A PGlite copy kept open between files. */
interface IdlePglite {
  engine: DbEngine
  dataDir: string
  /** What a reset restores; undefined when files do not share databases. */
  saved?: Snapshot
}

/** A PostgreSQL database kept between files (closed: no connection open). */
interface IdlePostgres {
  name: string
  /** What a reset restores; undefined when files do not share databases. */
  saved?: Snapshot
}

// Module state lives as long as the worker process: files of one worker share
// modules (vite.config.ts, isolate: false), so a file finds what the previous one disposed.
const idlePglite: IdlePglite[] = []
const idlePostgres: IdlePostgres[] = []

/** Opens a fresh copy of the template database (schema + sample township, no users), or one reset to that state. */
export async function openTestDatabase(): Promise<TestDatabase> {
  const url = process.env.TEST_DATABASE_URL
  if (!url) return lendPglite(idlePglite.pop() ?? (await copyPglite()))
  return lendPostgres(url, idlePostgres.pop() ?? (await copyPostgres(url)))
}

/** A copy of the unpacked template folder (tests/setup/pglite-template-dir.ts says why) in this run's scratch folder. */
async function copyPglite(): Promise<IdlePglite> {
  await templateReady()
  const dataDir = mkdtempSync(join(inject('pgliteScratchDir'), 'db-'))
  cpSync(inject('pgliteTemplateDir'), dataDir, { recursive: true })
  // Test code reads and writes as the system (every town); the app's requests run in their users' scopes.
  const engine = await openEngine({ dataDir, defaultScope: SYSTEM_SCOPE })
  return { engine, dataDir, saved: REUSE ? await snapshot(pgliteSession(engine)) : undefined }
}

function pgliteSession(engine: DbEngine): ResetSession {
  const pglite = engine.pglite!
  return {
    query: async <Row>(text: string) => (await pglite.query(text)).rows as Row[],
    exec: (script) => pglite.exec(script),
  }
}

function lendPglite(copy: IdlePglite): TestDatabase {
  let closedByTest = false
  const drop = async () => {
    await copy.engine.close()
    rmSync(copy.dataDir, { recursive: true, force: true })
  }
  return {
    engine: {
      ...copy.engine,
      async close() {
        closedByTest = true
        await copy.engine.close()
      },
    },
    async dispose() {
      const saved = copy.saved
      if (!saved || closedByTest) return drop()
      const session = pgliteSession(copy.engine)
      // The file's last query may still hold the one connection: wait for it (through the pool) for a while, then give the copy up.
      let connected!: () => void
      const connection = new Promise<void>((resolve) => (connected = resolve))
      const work = copy.engine.db.connection().execute(async () => {
        connected()
        // Session state a file may have left (settings, role, LISTEN, advisory locks, temporary tables); fails inside an open transaction.
        await session.exec('DISCARD ALL')
        return reset(session, saved)
      })
      const reusable = await withTimeout(connection, RESET_WAIT_MS)
        .then(() => work)
        .catch(notReused)
      work.catch(() => {}) // a reset still waiting when the copy is dropped fails with it
      if (!reusable) return drop()
      // DISCARD ALL also reset the role and the town settings behind the engine's scoped pool:
      // `exec` makes it forget what it set on the connection, so the next statement sets it again.
      await copy.engine.exec('SELECT 1')
      idlePglite.push(copy)
    },
  }
}

/** A copy of the run's template database (CREATE DATABASE … TEMPLATE), named after the template so the run's teardown finds what is left. */
async function copyPostgres(url: string): Promise<IdlePostgres> {
  await templateReady()
  const template = inject('pgTemplate')
  const name = `${template}_db_${randomBytes(6).toString('hex')}`
  await adminQuery(url, `CREATE DATABASE ${name} TEMPLATE ${template}`)
  const saved = REUSE ? await withPostgresSession(withDatabase(url, name), snapshot) : undefined
  return { name, saved }
}

async function withPostgresSession<T>(url: string, use: (session: ResetSession) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await use({
      query: async <Row>(text: string) => (await client.query(text)).rows as Row[],
      exec: async (script) => void (await client.query(script)),
    })
  } finally {
    await client.end()
  }
}

async function lendPostgres(url: string, copy: IdlePostgres): Promise<TestDatabase> {
  const databaseUrl = withDatabase(url, copy.name)
  // Test code reads and writes as the system (every town); the app's requests run in their users' scopes.
  const engine = await openEngine({ databaseUrl, poolSize: 5, defaultScope: SYSTEM_SCOPE })
  const drop = () => adminQuery(url, `DROP DATABASE IF EXISTS ${copy.name} WITH (FORCE)`)
  return {
    engine,
    url: databaseUrl,
    async dispose() {
      await engine.close()
      const saved = copy.saved
      if (!saved) return drop()
      const reusable = await withPostgresSession(databaseUrl, async (session) => {
        // Connections the file left open (a second engine, a listener) end here, as DROP … WITH (FORCE) ended them.
        await session.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')
        return reset(session, saved)
      }).catch(notReused)
      if (!reusable) return drop()
      idlePostgres.push(copy)
    },
  }
}

/** A reset that failed (not a changed schema, which is expected of some files) is worth a line: the run gets slower, not wrong. */
function notReused(error: Error): false {
  console.warn(`test database dropped instead of reset: ${error.message}`)
  return false
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}
