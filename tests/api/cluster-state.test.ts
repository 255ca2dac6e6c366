import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../server/app.ts'
import { archiveReleasedPersons } from '../../server/features/key-persons/retention.service.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { ENGINE_UNDER_TEST, openTestDatabase } from '../support/test-database.ts'
import { openEngine } from '../../server/core/db/engine.ts'
import { prepareDatabase } from '../../server/bootstrap.ts'
import { GEODATA_DIR } from '../setup/template.ts'
import { gridSpots, registerPerson, type GridSpot } from '../support/key-persons.ts'
import { gridPoints, hazardFeature } from '../support/cases.ts'

/**
 * Issue 13, item 4 (stateless servers) and 5 (read replica), through
 * `app.inject`: a second app on the same database plays the second server
 * process. NOTIFY and the replica exist on PostgreSQL only; the retention
 * test runs on both engines. The multi-process test with real processes is
 * tests/cluster/cluster-local.test.ts.
 */
const onPostgres = ENGINE_UNDER_TEST === 'postgres'

let t: TestApp
let admin: TestUser
let spots: GridSpot[]

beforeAll(async () => {
  t = await createTestApp()
  admin = await t.signIn('admin')
  spots = await gridSpots(t, 1)
})
afterAll(() => t?.close())

describe.skipIf(!onPostgres)('stateless servers: credentials', () => {
  it('a sign-out on one process ends the session on another at once, not after its 5 s credential cache', async () => {
    const other: FastifyInstance = await buildApp({ engine: t.database.engine, logLevel: 'silent', login: { adminSecondFactor: 'off' } })
    try {
      const leader = await t.signIn('leader')
      // The other process resolves the session and caches it.
      expect((await other.inject({ method: 'GET', url: '/api/auth/me', headers: leader.headers })).statusCode).toBe(200)
      expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: leader.headers })).statusCode).toBeLessThan(300)
      let status = 200
      for (const deadline = Date.now() + 2000; status === 200 && Date.now() < deadline; ) {
        status = (await other.inject({ method: 'GET', url: '/api/auth/me', headers: leader.headers })).statusCode
        if (status === 200) await new Promise((resolve) => setTimeout(resolve, 50))
      }
      expect(status).toBe(401)
    } finally {
      await other.close()
    }
  })
})

describe.skipIf(!onPostgres)('stateless servers: start-up', () => {
  it('two processes starting together on a database without users create one admin, and both start', async () => {
    const database = await openTestDatabase()
    const second = await openEngine({ databaseUrl: database.url, poolSize: 2 })
    try {
      const options = { geodataDir: GEODATA_DIR, loadSample: true, adminPassword: 'Start-Together-2026' }
      const reports = await Promise.all([prepareDatabase(database.engine, options), prepareDatabase(second, options)])
      expect(reports.map((report) => report.admin.created).sort()).toEqual([false, true])
      const admins = await database.engine.db.selectFrom('users').select('id').where('username', '=', 'admin').execute()
      expect(admins).toHaveLength(1)
    } finally {
      await second.close()
      await database.dispose()
    }
  })
})

describe('stateless servers: key-person retention', () => {
  it('runs started together by several processes archive each person once, with one audit entry', async () => {
    const person = await registerPerson(t, admin, spots[0], { name: '赵并发' })
    await sql`UPDATE key_persons SET status = 'released', released_at = now() - interval '400 days' WHERE id = ${person.id}`.execute(t.database.engine.db)
    const reports = await Promise.all(Array.from({ length: 4 }, () => archiveReleasedPersons(t.database.engine.db, new Date())))
    expect(reports.flatMap((report) => report.archivedIds).filter((id) => id === person.id)).toEqual([person.id])
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM audit_log WHERE action = 'archive' AND ${person.id} = ANY(subject_ids)`.execute(t.database.engine.db)
    expect(rows[0].n).toBe(1)
  })
})

describe.skipIf(!onPostgres)('read replica routing', () => {
  it('after a write the session reads the primary until the replica has replayed it; an unreachable replica is read around', async () => {
    // The "replica" is the primary itself: it never reports a replay position, so a write is never "replayed" there.
    const withReplica = await buildApp({ engine: t.database.engine, logLevel: 'silent', login: { adminSecondFactor: 'off' }, replicaUrl: t.database.url })
    // A replica nobody listens on.
    const unreachable = await buildApp({ engine: t.database.engine, logLevel: 'silent', login: { adminSecondFactor: 'off' }, replicaUrl: 'postgres://postgres@127.0.0.1:1/none' })
    try {
      const dispatcher = await t.signIn('dispatcher')
      const read = (app: FastifyInstance, cookie = dispatcher.headers.cookie) =>
        app.inject({ method: 'GET', url: '/api/collections/hazards/items?limit=1', headers: { ...dispatcher.headers, cookie } })
      expect((await read(withReplica)).headers['x-gridatlas-read-from']).toBe('replica')
      const [point] = await gridPoints(t.database.engine.db)
      const written = await withReplica.inject({
        method: 'POST',
        url: '/api/collections/hazards/items',
        headers: { ...dispatcher.headers, 'content-type': 'application/geo+json' },
        payload: JSON.stringify(hazardFeature(point)),
      })
      expect(written.statusCode).toBe(201)
      expect(written.headers['x-gridatlas-read-after']).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/)
      const readAfter = String(written.headers['set-cookie']).match(/ga_read_after=[^;]+/)?.[0]
      expect(readAfter).toBeDefined()
      const after = await read(withReplica, `${dispatcher.headers.cookie}; ${readAfter}`)
      expect(after.statusCode).toBe(200)
      expect(after.headers['x-gridatlas-read-from']).toBe('primary')
      // A forged or garbled position is ignored, never an error.
      expect((await read(withReplica, `${dispatcher.headers.cookie}; ga_read_after=nonsense`)).headers['x-gridatlas-read-from']).toBe('replica')
      // Unreachable: answered from the primary, no 5xx (twice: the first finds out, the second knows).
      for (let i = 0; i < 2; i++) expect((await read(unreachable)).statusCode).toBe(200)
      expect((await read(unreachable)).headers['x-gridatlas-read-from']).toBe('primary')
    } finally {
      await withReplica.close()
      await unreachable.close()
    }
  })
})
