import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keptAliveGet } from '../../bench/http-get.ts'
import { timeCall } from '../../bench/stats.ts'

/** The benchmarks' HTTP client (a worker thread) against a real local server. */
describe('bench keptAliveGet', () => {
  const body = Buffer.from(JSON.stringify({ name: '喜洲镇', padding: 'x'.repeat(200_000) }))
  let server: http.Server
  let base: string
  const seen: Array<string | undefined> = []

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      seen.push(request.headers.authorization)
      if (request.url === '/missing') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('no such thing')
        return
      }
      // Delayed so that the client's own timing has something to measure.
      setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end(body), 20)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('answers the status, content type and exact bytes, with the headers sent and its own time', async () => {
    const client = keptAliveGet()
    try {
      const answer = await client.get(`${base}/page`, { authorization: 'Bearer t' })
      expect(answer.status).toBe(200)
      expect(answer.contentType).toBe('application/json')
      expect(answer.body.equals(body)).toBe(true)
      expect(seen.at(-1)).toBe('Bearer t')
      expect(answer.selfTimedMs).toBeGreaterThanOrEqual(15)
      const missing = await client.get(`${base}/missing`)
      expect(missing.status).toBe(404)
      expect(missing.body.toString()).toBe('no such thing')
    } finally {
      await client.close()
    }
  })

  it('runs concurrent requests on as many connections as allowed', async () => {
    const client = keptAliveGet({ maxSockets: 4 })
    try {
      const answers = await Promise.all(Array.from({ length: 8 }, () => client.get(`${base}/page`)))
      expect(answers.every((answer) => answer.status === 200 && answer.body.byteLength === body.byteLength)).toBe(true)
    } finally {
      await client.close()
    }
  })

  it('rejects with the reason when the server cannot be reached', async () => {
    const client = keptAliveGet()
    try {
      await expect(client.get('http://127.0.0.1:1/')).rejects.toThrow(/ECONNREFUSED/)
    } finally {
      await client.close()
    }
  })

  it('times a call by its own figure when it gives one, by the clock otherwise', async () => {
    expect(await timeCall(async () => ({ selfTimedMs: 3.5 }))).toBe(3.5)
    const measured = await timeCall(() => new Promise((resolve) => setTimeout(resolve, 20)))
    expect(measured).toBeGreaterThanOrEqual(15)
  })
})
