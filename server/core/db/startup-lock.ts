import pg from 'pg'
import type { DbEngine } from './engine.ts'

/**
 * Key of the advisory lock held while a server prepares the database at
 * start-up (sample township, first administrator). Not the migration lock's
 * key: migrate() takes that one on a connection of its own inside this one.
 */
export const STARTUP_LOCK_KEY = 7_256_001_302

/**
 * Runs `work` holding a PostgreSQL session-level advisory lock on a
 * connection of its own (released when the work ends or the connection
 * drops), so that several server processes starting together on one database
 * prepare it one after the other: the first loads the sample township and
 * creates `admin`, the next ones find them there. On PGlite (one process)
 * `work` simply runs.
 */
export async function withStartupLock<T>(engine: DbEngine, work: () => Promise<T>): Promise<T> {
  if (engine.kind !== 'postgres' || !engine.connectionString) return work()
  const locker = new pg.Client({ connectionString: engine.connectionString })
  locker.on('error', () => {}) // a lost lock connection surfaces in the work's own queries
  await locker.connect()
  try {
    await locker.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK_KEY])
    return await work()
  } finally {
    await locker.end().catch(() => {})
  }
}
