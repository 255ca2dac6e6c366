import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import pg from 'pg'
import type { DbEngine } from './engine.ts'
import { listMigrationFiles } from './migration-files.ts'

/** Folder holding the plain SQL migrations, applied in file-name order. */
export const MIGRATIONS_DIR = new URL('../../../migrations/', import.meta.url).pathname

/** Outcome of {@link migrate}. */
export interface MigrationReport {
  applied: string[]
  alreadyApplied: number
}

/**
 * Key of the PostgreSQL advisory lock held while migrating (an arbitrary
 * constant; session-level, so a crashed migrator's lock goes with its connection).
 */
export const MIGRATION_LOCK_KEY = 7_256_001_300

/**
 * Applies every migration not yet recorded in `schema_migrations`, each in its
 * own transaction. A migration that was applied and later edited is refused.
 *
 * On PostgreSQL the whole run holds an advisory lock, so several server
 * processes starting on one database migrate one after the other: the later
 * ones wait, then find everything applied. PGlite needs no lock: its data
 * folder is opened by one process only.
 */
export async function migrate(engine: DbEngine, dir = MIGRATIONS_DIR): Promise<MigrationReport> {
  if (engine.kind !== 'postgres' || !engine.connectionString) return migrateUnlocked(engine, dir)
  // The lock lives on a connection of its own (not taken from the pool, so a
  // pool of one cannot deadlock); the migrations run on pool connections.
  const locker = new pg.Client({ connectionString: engine.connectionString })
  locker.on('error', () => {}) // a lost lock connection surfaces as the failing query below
  await locker.connect()
  try {
    await locker.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
    return await migrateUnlocked(engine, dir)
  } finally {
    await locker.end().catch(() => {})
  }
}

async function migrateUnlocked(engine: DbEngine, dir: string): Promise<MigrationReport> {
  await engine.exec(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
  )
  const files = await listMigrationFiles(dir)
  const done = await appliedMigrations(engine)
  const applied: string[] = []
  for (const name of files) {
    const script = await readFile(join(dir, name), 'utf8')
    const checksum = createHash('sha256').update(script).digest('hex')
    const previous = done.get(name)
    if (previous && previous !== checksum) {
      throw new Error(`Migration ${name} was changed after it was applied; add a new migration instead.`)
    }
    if (previous) continue
    if (!/^[\w.-]+\.sql$/.test(name)) throw new Error(`Migration file name not allowed: ${name}`)
    await engine.exec(`${script}\n;INSERT INTO schema_migrations (name, checksum) VALUES ('${name}', '${checksum}');`)
    applied.push(name)
  }
  await engine.refreshAppRole()
  return { applied, alreadyApplied: files.length - applied.length }
}

async function appliedMigrations(engine: DbEngine): Promise<Map<string, string>> {
  const rows = await engine.db
    .selectFrom('schema_migrations' as never)
    .select(['name' as never, 'checksum' as never])
    .execute()
  return new Map((rows as Array<{ name: string; checksum: string }>).map((row) => [row.name, row.checksum]))
}
