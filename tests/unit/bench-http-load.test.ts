import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { driveLoad } from '../../bench/http-load.ts'

/** The load benchmark's HTTP client (a worker thread) against a real local server. */
describe('bench driveLoad', () => {
  const page = Buffer.from(JSON.stringify({ name: '喜洲镇', padding: 'x'.repeat(100_000) }))
  let server: http.Server
  let base: string
  const received: Array<{ method: string; url: string; body: string; authorization?: string; sockets: number }> = []
  const sockets = new Set<unknown>()

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      sockets.add(request.socket)
      let body = ''
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => {
        received.push({ method: request.method ?? '', url: request.url ?? '', body, authorization: request.headers.authorization, sockets: sockets.size })
        if (request.url === '/refused') return void response.writeHead(403).end('no')
        if (request.method === 'POST') return void response.writeHead(201, { 'content-type': 'application/json' }).end(body)
        setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end(page), 5)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('cycles every connection through the mix for the time given, bodies and headers sent as given', async () => {
    const result = await driveLoad({
      base,
      connections: 4,
      seconds: 1,
      timeoutSeconds: 5,
      requests: [
        { method: 'GET', path: '/page?x=1', headers: { authorization: 'Bearer t' } },
        { method: 'POST', path: '/items', body: JSON.stringify({ name: '负载测试' }), headers: { authorization: 'Bearer t', 'content-type': 'application/json' } },
      ],
    })
    expect(result.errors).toBe(0)
    expect(result.non2xx).toBe(0)
    expect(result.requests).toBeGreaterThan(20)
    expect(result.p50).toBeGreaterThan(0)
    expect(result.p99).toBeGreaterThanOrEqual(result.p50)
    // Every latency, ascending: the load bench pools the blocks of a side from them.
    expect(result.latenciesMs).toHaveLength(result.requests)
    expect(Array.from(result.latenciesMs)).toEqual(Array.from(result.latenciesMs).sort((a, b) => a - b))
    expect(sockets.size).toBe(4)
    const posts = received.filter((each) => each.method === 'POST')
    const gets = received.filter((each) => each.method === 'GET')
    expect(Math.abs(posts.length - gets.length)).toBeLessThanOrEqual(4)
    expect(new Set(posts.map((each) => each.body))).toEqual(new Set([JSON.stringify({ name: '负载测试' })]))
    expect(new Set(gets.map((each) => each.url))).toEqual(new Set(['/page?x=1']))
    expect(received.every((each) => each.authorization === 'Bearer t')).toBe(true)
  })

  it('counts answers outside 2xx, and refused connections as errors', async () => {
    const refused = await driveLoad({ base, connections: 2, seconds: 0.3, timeoutSeconds: 5, requests: [{ method: 'GET', path: '/refused', headers: {} }] })
    expect(refused.requests).toBeGreaterThan(0)
    expect(refused.non2xx).toBe(refused.requests)
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const nobody = await driveLoad({ base: `http://127.0.0.1:${port}`, connections: 1, seconds: 0.2, timeoutSeconds: 5, requests: [{ method: 'GET', path: '/', headers: {} }] })
    expect(nobody.requests).toBe(0)
    expect(nobody.errors).toBeGreaterThan(0)
  })
})
