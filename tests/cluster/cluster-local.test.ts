import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { openEngine, type DbEngine } from '../../server/core/db/engine.ts'
import { SYSTEM_SCOPE } from '../../server/core/db/db-scope.ts'
import { createUser } from '../../server/features/users/users.service.ts'
import { setPasswordHashCost, TEST_SCRYPT_COST } from '../../server/features/users/password-hash.ts'
import { PG_BIN } from '../../scripts/cluster/pg-cluster.ts'
import { startLocalCluster, type LocalCluster } from '../../scripts/cluster-local.ts'
import { gridPoints, hazardFeature, type GridPoint } from '../support/cases.ts'
import { TEST_PASSWORD } from '../support/test-password.ts'

/**
 * Issue 13, items 4–6: two server processes on one PostgreSQL primary with a
 * streaming replica, behind the round-robin proxy of `npm run cluster:local`.
 * PostgreSQL by nature: runs in the PostgreSQL test run (TEST_DATABASE_URL
 * set) when Debian's PostgreSQL 15 binaries are installed; it makes its own
 * clusters on free ports and never touches the shared server.
 */
const enabled = Boolean(process.env.TEST_DATABASE_URL) && existsSync(`${PG_BIN}/initdb`)

/** Starting two clusters and two servers takes ~20 s on a quiet machine, minutes on a loaded one. */
const START_TIMEOUT_MS = 400_000

setPasswordHashCost(TEST_SCRYPT_COST)

/** A signed-in session: its cookie, and the origin its unsafe requests carry. */
interface Session {
  cookie: string
  origin: string
}

async function signIn(baseUrl: string, username: string): Promise<Session> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ username, password: TEST_PASSWORD }),
  })
  expect(response.status).toBe(200)
  return { cookie: response.headers.getSetCookie()[0].split(';')[0], origin: baseUrl }
}

/** Registers a hazard at `point` through `baseUrl`; answers the response and the read-after cookie it set. */
async function registerHazard(baseUrl: string, session: Session, point: GridPoint, description: string) {
  const response = await fetch(`${baseUrl}/api/collections/hazards/items`, {
    method: 'POST',
    headers: { 'content-type': 'application/geo+json', cookie: session.cookie, origin: baseUrl },
    body: JSON.stringify(hazardFeature(point, { description })),
  })
  const readAfter = response.headers.getSetCookie().find((c) => c.startsWith('ga_read_after='))?.split(';')[0]
  return { response, readAfter }
}

function get(baseUrl: string, path: string, cookie: string) {
  return fetch(`${baseUrl}${path}`, { headers: { cookie } })
}

/** Opens the live stream at `baseUrl`; `readUntil` collects its text until `needle` appears (or the time is up), then closes it. */
async function openStream(baseUrl: string, session: Session) {
  const controller = new AbortController()
  const response = await fetch(`${baseUrl}/api/events/stream`, { headers: { cookie: session.cookie }, signal: controller.signal })
  expect(response.status).toBe(200)
  const reader = response.body!.getReader()
  return {
    async readUntil(needle: string, timeoutMs: number): Promise<string> {
      let received = ''
      const deadline = Date.now() + timeoutMs
      while (!received.includes(needle) && Date.now() < deadline) {
        const chunk = await Promise.race([reader.read(), new Promise<undefined>((resolve) => setTimeout(resolve, 1000))])
        if (chunk && !chunk.done) received += new TextDecoder().decode(chunk.value)
      }
      controller.abort()
      return received
    },
  }
}

describe.skipIf(!enabled)('cluster:local: two server processes, a streaming replica, a round-robin proxy', () => {
  let cluster: LocalCluster
  let primary: DbEngine
  let replicaClient: pg.Client
  let points: GridPoint[]
  let a: string
  let b: string
  let dispatcher: string

  beforeAll(async () => {
    cluster = await startLocalCluster({ serverEnv: { LOG_LEVEL: 'warn' } })
    ;[a, b] = cluster.servers.map((server) => server.url)
    primary = await openEngine({ databaseUrl: cluster.primary.url, poolSize: 2, defaultScope: SYSTEM_SCOPE })
    replicaClient = new pg.Client({ connectionString: cluster.replica.url })
    replicaClient.on('error', () => {}) // the last test stops the replica under it
    await replicaClient.connect()
    dispatcher = `cluster-dispatcher-${process.pid}`
    await primary.db.transaction().execute((trx) => createUser(trx, { username: dispatcher, password: TEST_PASSWORD, role: 'dispatcher' }, null))
    points = await gridPoints(primary.db)
  }, START_TIMEOUT_MS)

  afterAll(async () => {
    await replicaClient?.end().catch(() => {})
    await primary?.close()
    await cluster?.stop()
  }, 120_000)

  it('an event from a write on process A reaches a live stream on process B, and one opened through the proxy', async () => {
    const session = await signIn(a, dispatcher)
    const streams = [await openStream(b, session), await openStream(cluster.proxy.url, session)]
    const { response } = await registerHazard(a, session, points[0], '跨进程直播事件')
    expect(response.status).toBe(201)
    const id = (await response.json()).id as number
    for (const stream of streams) {
      const received = await stream.readUntil(`"id":${id}`, 15_000)
      expect(received).toContain('event: case')
      expect(received).toContain(`"id":${id}`)
    }
  })

  it('a write on A is read back through B: from the primary until the replica has it, then from the replica', async () => {
    const session = await signIn(a, dispatcher)
    // Replay paused: the replica stays behind the primary until resumed.
    await replicaClient.query('SELECT pg_wal_replay_pause()')
    try {
      const { response, readAfter } = await registerHazard(a, session, points[1], '读自己的写')
      expect(response.status).toBe(201)
      expect(readAfter).toMatch(/^ga_read_after=[0-9A-F]+\/[0-9A-F]+$/)
      const id = (await response.json()).id as number
      const path = `/api/collections/hazards/items/${id}`
      // The writer, through B: its last write is not on the replica, so B reads the primary.
      const own = await get(b, path, `${session.cookie}; ${readAfter}`)
      expect(own.status).toBe(200)
      expect(own.headers.get('x-gridatlas-read-from')).toBe('primary')
      // Without the read-after cookie B reads the (paused) replica, which does not have it yet.
      const stale = await get(b, path, session.cookie)
      expect(stale.headers.get('x-gridatlas-read-from')).toBe('replica')
      expect(stale.status).toBe(404)
    } finally {
      await replicaClient.query('SELECT pg_wal_replay_resume()')
    }
    // Replay resumed: the same reader is served by the replica again, write included.
    const { response, readAfter } = await registerHazard(a, session, points[2], '副本追上')
    const id = (await response.json()).id as number
    let fromReplica: Response | undefined
    for (let attempt = 0; attempt < 50 && fromReplica?.headers.get('x-gridatlas-read-from') !== 'replica'; attempt++) {
      fromReplica = await get(b, `/api/collections/hazards/items/${id}`, `${session.cookie}; ${readAfter}`)
    }
    expect(fromReplica!.headers.get('x-gridatlas-read-from')).toBe('replica')
    expect(fromReplica!.status).toBe(200)
  })

  it('signing out on A ends the session on B at once (not after B has cached it for 5 s)', async () => {
    const session = await signIn(a, dispatcher)
    // B resolves the session and caches it.
    expect((await get(b, '/api/auth/me', session.cookie)).status).toBe(200)
    const out = await fetch(`${a}/api/auth/logout`, { method: 'POST', headers: { cookie: session.cookie, origin: a } })
    expect(out.status).toBeLessThan(300)
    let status = 200
    const deadline = Date.now() + 2000
    while (status === 200 && Date.now() < deadline) {
      status = (await get(b, '/api/auth/me', session.cookie)).status
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(status).toBe(401)
  })

  it('a photo uploaded through A is served by B (one shared PHOTO_DIR)', async () => {
    const session = await signIn(a, dispatcher)
    const { response } = await registerHazard(a, session, points[3], '照片共享')
    const id = (await response.json()).id as number
    const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2044, 7)])
    const form = new FormData()
    form.append('photo', new Blob([bytes], { type: 'image/jpeg' }), '现场.jpg')
    const uploaded = await fetch(`${a}/api/cases/${id}/photos`, { method: 'POST', headers: { cookie: session.cookie, origin: a }, body: form })
    expect(uploaded.status).toBe(201)
    const [photo] = (await uploaded.json()).photos as Array<{ url: string }>
    const served = await get(b, photo.url, session.cookie)
    expect(served.status).toBe(200)
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true)
  })

  it('process A killed mid-load: B keeps serving through the proxy and every acknowledged write is present', async () => {
    const proxy = cluster.proxy.url
    const session = await signIn(proxy, dispatcher)
    const acknowledged: number[] = []
    const failed: number[] = []
    const writes = 40
    let sent = 0
    const writer = async () => {
      while (sent < writes) {
        const n = sent++
        if (n === 12) void cluster.servers[0].stop('SIGKILL')
        const { response } = await registerHazard(proxy, session, points[n % points.length], `负载写入 ${n}`).catch(() => ({ response: undefined }))
        if (response?.status === 201) acknowledged.push((await response.json()).id as number)
        else failed.push(response?.status ?? 0)
      }
    }
    await Promise.all([writer(), writer(), writer(), writer()])
    expect(cluster.servers[0].process.signalCode).toBe('SIGKILL')
    // At most the writes in flight on A when it died are lost (answered 502, never acknowledged).
    expect(failed.length).toBeLessThanOrEqual(4)
    expect(acknowledged.length).toBeGreaterThanOrEqual(writes - 4)
    const stored = await primary.db.selectFrom('cases').select('id').where('id', 'in', acknowledged).execute()
    expect(stored.map((row) => row.id).sort((x, y) => x - y)).toEqual([...acknowledged].sort((x, y) => x - y))
    // B answers reads through the proxy (the proxy skips the dead process).
    expect((await get(proxy, '/api/collections/hazards/items?limit=1', session.cookie)).status).toBe(200)
  })

  it('the replica stopped: replica routes on B read the primary instead, no 5xx', async () => {
    const session = await signIn(b, dispatcher)
    await cluster.replica.stop()
    for (const path of ['/api/collections/hazards/items?limit=5', '/api/collections/hazards/items?limit=5']) {
      const response = await get(b, path, session.cookie)
      expect(response.status).toBe(200)
    }
    const last = await get(b, '/api/collections/hazards/items?limit=5', session.cookie)
    expect(last.headers.get('x-gridatlas-read-from')).toBe('primary')
  })
})
