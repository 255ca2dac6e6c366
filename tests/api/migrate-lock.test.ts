import { readdirSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { openEngine } from '../../server/core/db/engine.ts'
import { migrate, MIGRATIONS_DIR } from '../../server/core/db/migrate.ts'
import { adminQuery, withDatabase } from '../setup/template.ts'

const url = process.env.TEST_DATABASE_URL

// PGlite is opened by one process only, so only PostgreSQL can race two migrators.
describe.skipIf(!url)('migrations on PostgreSQL', () => {
  it('two processes migrating one fresh database at once are serialised: both succeed, each migration applied once', async () => {
    const name = `gridatlas_test_mig_${randomBytes(5).toString('hex')}`
    await adminQuery(url!, `CREATE DATABASE ${name}`)
    const first = await openEngine({ databaseUrl: withDatabase(url!, name), poolSize: 2 })
    const second = await openEngine({ databaseUrl: withDatabase(url!, name), poolSize: 2 })
    try {
      const [a, b] = await Promise.all([migrate(first), migrate(second)])
      const files = readdirSync(MIGRATIONS_DIR).filter((file) => file.endsWith('.sql')).sort()
      expect([...a.applied, ...b.applied].sort()).toEqual(files)
      // One of them did everything; the other waited for the lock and found nothing to do.
      expect(Math.min(a.applied.length, b.applied.length)).toBe(0)
      const { rows } = await sql<{ name: string; n: number }>`
        SELECT name, count(*)::int AS n FROM schema_migrations GROUP BY name ORDER BY name`.execute(first.db)
      expect(rows.map((row) => row.name)).toEqual(files)
      expect(rows.every((row) => Number(row.n) === 1)).toBe(true)
    } finally {
      await first.close()
      await second.close()
      await adminQuery(url!, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    }
  })
})
