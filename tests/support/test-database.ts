import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { inject } from 'vitest'
import { openEngine, type DbEngine } from '../../server/core/db/engine.ts'
import { SYSTEM_SCOPE } from '../../server/core/db/db-scope.ts'
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
    // A copy of the unpacked template folder (tests/setup/pglite-template-dir.ts says why) in this run's scratch folder.
    const dataDir = mkdtempSync(join(inject('pgliteScratchDir'), 'db-'))
    cpSync(inject('pgliteTemplateDir'), dataDir, { recursive: true })
    // Test code reads and writes as the system (every town); the app's requests run in their users' scopes.
    const engine = await openEngine({ dataDir, defaultScope: SYSTEM_SCOPE })
    return {
      engine,
      async dispose() {
        await engine.close()
        rmSync(dataDir, { recursive: true, force: true })
      },
    }
  }
  const name = `gridatlas_test_${randomBytes(6).toString('hex')}`
  await adminQuery(url, `CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`)
  const engine = await openEngine({ databaseUrl: withDatabase(url, name), poolSize: 5, defaultScope: SYSTEM_SCOPE })
  return {
    engine,
    url: withDatabase(url, name),
    async dispose() {
      await engine.close()
      await adminQuery(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    },
  }
}
