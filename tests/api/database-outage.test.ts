import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { buildApp } from '../../server/app.ts'
import { openEngine, type DbEngine } from '../../server/core/db/engine.ts'
import { LIVE_CHANNEL } from '../../server/core/live/live.plugin.ts'
import type { LiveEvent } from '../../server/core/live/live-events.ts'
import { createUser } from '../../server/features/users/users.service.ts'
import { issueApiToken } from '../../server/features/users/tokens.service.ts'
import { adminQuery, withDatabase } from '../setup/template.ts'
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts'
import { templateReady } from '../support/template-ready.ts'

const url = process.env.TEST_DATABASE_URL
const name = `gridatlas_test_outage_${randomBytes(5).toString('hex')}`

let proxy: TcpProxy
let engine: DbEngine
let app: FastifyInstance
let headers: Record<string, string>

/** The database as the app sees it: through a relay the test can cut, as a crash or restart of the server would. */
beforeAll(async () => {
  if (!url) return
  await templateReady()
  await adminQuery(url, `CREATE DATABASE ${name} TEMPLATE ${inject('pgTemplate')}`)
  const direct = new URL(withDatabase(url, name))
  proxy = await startTcpProxy(direct.hostname, Number(direct.port || 5432))
  const relayed = new URL(direct)
  relayed.port = String(proxy.port)
  engine = await openEngine({ databaseUrl: relayed.toString(), poolSize: 4 })
  app = await buildApp({ engine, logLevel: 'silent', login: { adminSecondFactor: 'off' } })
  const user = await engine.db.transaction().execute((trx) => createUser(trx, { username: `outage-${process.pid}`, password: 'correct-horse-battery', role: 'dispatcher' }, null))
  headers = { authorization: `Bearer ${(await issueApiToken(engine.db, user.id, 'test')).token}` }
})
afterAll(async () => {
  if (!url) return
  await proxy?.up().catch(() => {})
  await app?.close()
  await engine?.close()
  await proxy?.close()
  await adminQuery(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
})

const countCases = () => app.inject({ url: '/api/cases/counts', headers })

/** Polls until `check` is true or `timeoutMs` passes; returns the milliseconds it took. */
async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = performance.now()
  while (performance.now() - started < timeoutMs) {
    if (await check().catch(() => false)) return performance.now() - started
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`not within ${timeoutMs} ms`)
}

// PGlite is in the process: it cannot go away on its own. The kill -9 case is in tests/faults/.
describe.skipIf(!url)('PostgreSQL going away and coming back', () => {
  it('answers 503 with a clear message while the database is gone, and normally within 5 s of its return', async () => {
    expect((await countCases()).statusCode).toBe(200)

    await proxy.down()
    const during = await countCases()
    expect(during.statusCode, during.body).toBe(503)
    expect(during.json()).toMatchObject({ code: 'database_unavailable', message: expect.stringContaining('数据库暂时不可用') })
    expect(during.headers['retry-after']).toBeDefined()
    const english = await app.inject({ url: '/api/cases/counts', headers: { ...headers, 'accept-language': 'en' } })
    expect(english.statusCode).toBe(503)
    expect(english.json().message).toMatch(/database is temporarily unavailable/i)

    await proxy.up()
    const recoveredMs = await waitFor(async () => (await countCases()).statusCode === 200, 5000)
    expect(recoveredMs).toBeLessThan(5000)
  })

  it('re-subscribes to live events after the LISTEN connection was lost', async () => {
    await proxy.down()
    await new Promise((resolve) => setTimeout(resolve, 300))
    await proxy.up()
    const received: LiveEvent[] = []
    const unsubscribe = app.live.subscribe((event) => received.push(event))
    const event: LiveEvent = { kind: 'hazard', id: 424242, status: 'registered', action: 'register', at: new Date().toISOString() }
    const notifier = new pg.Client({ connectionString: withDatabase(url!, name) })
    await notifier.connect()
    try {
      await waitFor(async () => {
        // Another server process on the same database announces a change.
        await notifier.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, JSON.stringify({ origin: 'other-process', event })])
        await new Promise((resolve) => setTimeout(resolve, 200))
        return received.some((seen) => seen.id === event.id)
      }, 5000)
    } finally {
      unsubscribe()
      await notifier.end()
    }
  })

})
