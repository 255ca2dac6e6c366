import { readFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { inject } from 'vitest'
import { openEngine, type DbEngine } from '../../server/core/db/engine.ts'
import { adminQuery, withDatabase } from '../setup/template.ts'

/** A database for one test file, copied from the run's template, and how to drop it. */
export interface TestDatabase {
  engine: DbEngine
  /** Connection string of this database on PostgreSQL (for a second process-like engine); undefined on PGlite. */
  url?: string
  dispose(): Promise<void>
}

/** Which engine this run tests: PostgreSQL when TEST_DATABASE_URL is set, else the embedded PGlite. */
export const ENGINE_UNDER_TEST = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite'

/** Opens a fresh copy of the template database (schema + sample township, no users). */
export async function openTestDatabase(): Promise<TestDatabase> {
  const url = process.env.TEST_DATABASE_URL
  if (!url) {
    const dump = readFileSync(inject('pgliteTemplate'))
    const engine = await openEngine({ loadDataDir: new Blob([dump]) })
    return { engine, dispose: () => engine.close() }
  }
  const name = `gridatlas_test_${randomBytes(6).toString('hex')}`
  await adminQuery(url, `CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`)
  const engine = await openEngine({ databaseUrl: withDatabase(url, name), poolSize: 5 })
  return {
    engine,
    url: withDatabase(url, name),
    async dispose() {
      await engine.close()
      await adminQuery(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    },
  }
}
