import { createServer, type Server, type Socket } from 'node:net'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { poolConfig } from '../../server/core/db/pg-pool.ts'
import { isDatabaseUnavailable } from '../../server/core/db/db-unavailable.ts'

const url = process.env.TEST_DATABASE_URL
const pools: pg.Pool[] = []
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end().catch(() => {})))
})

function pool(config: pg.PoolConfig): pg.Pool {
  const created = new pg.Pool(config)
  created.on('error', () => {})
  pools.push(created)
  return created
}

/** How a statement that waited for the only connection of `target`, held for `holdMs` by another, ended. */
async function queuedBehind(target: pg.Pool, holdMs: number): Promise<{ rows?: unknown[]; error?: Error }> {
  const holding = target.query(`SELECT pg_sleep(${holdMs / 1000})`)
  // Sent once the first holds the connection: the second waits in the pool's queue.
  await new Promise((resolve) => setTimeout(resolve, 50))
  const queued = target.query('SELECT 1 AS one').then(
    (result) => ({ rows: result.rows }),
    (error: Error) => ({ error }),
  )
  await holding
  return queued
}

describe.skipIf(!url)('waiting for a busy pool is not failing to connect (issue 11, item 6)', () => {
  it('pg-pool alone fails a caller that waited longer than its connect timeout, as if the database were gone', async () => {
    const plain = pool({ connectionString: url, max: 1, connectionTimeoutMillis: 200 })
    const { error } = await queuedBehind(plain, 600)
    expect(error?.message).toBe('timeout exceeded when trying to connect')
    expect(isDatabaseUnavailable(error)).toBe(true)
  })

  it('with poolConfig the caller waits its turn past the connect timeout and gets its answer', async () => {
    const configured = pool(poolConfig({ connectionString: url, max: 1, connectTimeoutMs: 200 }))
    const { rows, error } = await queuedBehind(configured, 600)
    expect(error).toBeUndefined()
    expect(rows).toEqual([{ one: 1 }])
  })
})

describe('a connection not made within the connect timeout', () => {
  let silent: Server
  const sockets: Socket[] = []
  afterAll(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => silent?.close(resolve))
  })

  it('fails after the connect timeout, and the API takes it for an unavailable database (503)', async () => {
    // A server that accepts the connection and never answers the start-up message.
    silent = createServer((socket) => sockets.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const address = silent.address()
    if (!address || typeof address !== 'object') throw new Error('no address')
    const configured = pool(poolConfig({ host: '127.0.0.1', port: address.port, user: 'x', database: 'x', max: 1, connectTimeoutMs: 300 }))
    const started = performance.now()
    const error = await configured.query('SELECT 1').then(
      () => undefined,
      (failure: unknown) => failure,
    )
    const elapsedMs = performance.now() - started
    expect(error).toBeInstanceOf(Error)
    expect(isDatabaseUnavailable(error), (error as Error).message).toBe(true)
    expect(elapsedMs).toBeGreaterThanOrEqual(250)
    expect(elapsedMs).toBeLessThan(5_000)
  })
})
