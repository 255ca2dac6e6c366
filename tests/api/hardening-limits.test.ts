import { mkdtemp, readdir, rm } from 'node:fs/promises'
import http from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../server/app.ts'
import { createTestApp, sessionHeaders, type TestApp, type TestUser } from '../support/test-app.ts'
import { caseClient, gridPoints, type GridPoint } from '../support/cases.ts'
import { registerCase } from '../support/analytics.ts'
import { deflatedZeros, zipOf } from '../support/zip.ts'

/** Issue 9, point 7: offsets, timeouts, photo uploads, live streams, low-zoom tiles, archive caps. */

let t: TestApp
let dispatcher: TestUser
let admin: TestUser
let points: GridPoint[]
/** A second app on the same database, listening, with small limits. */
let limited: FastifyInstance
let base: string
let photoDir: string

const jpeg = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(size - 4, 7)])

function multipart(files: Array<{ name: string; bytes: Buffer }>) {
  const boundary = `----gridatlas${Math.random().toString(16).slice(2)}`
  const chunks: Buffer[] = []
  for (const file of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="${file.name}"\r\nContent-Type: image/jpeg\r\n\r\n`))
    chunks.push(file.bytes, Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` }
}

/** Headers of a same-origin browser request to the listening app (inject requests use {@link sessionHeaders}). */
const browserHeaders = (user: TestUser) => ({ cookie: user.cookie, origin: base })

/** Sends raw bytes and resolves with what the server answered before closing (or '' when it just closed). */
function rawExchange(bytes: string, waitMs: number): Promise<{ answer: string; elapsedMs: number }> {
  const { port } = new URL(base)
  return new Promise((resolve) => {
    const started = Date.now()
    let answer = ''
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(bytes))
    socket.on('data', (chunk) => (answer += chunk.toString()))
    const finish = () => resolve({ answer, elapsedMs: Date.now() - started })
    socket.on('close', finish)
    socket.on('error', () => undefined)
    setTimeout(() => socket.destroy(), waitMs)
  })
}

beforeAll(async () => {
  t = await createTestApp()
  dispatcher = await t.signIn('dispatcher')
  admin = await t.signIn('admin')
  points = await gridPoints(t.database.engine.db)
  photoDir = await mkdtemp(join(tmpdir(), 'gridatlas-hardening-photos-'))
  limited = await buildApp({
    engine: t.database.engine,
    logLevel: 'silent',
    login: { adminSecondFactor: 'off' },
    photoDir,
    limits: { requestTimeoutMs: 1_500, headersTimeoutMs: 1_000, maxConcurrentPhotoUploads: 1, maxLiveStreamsPerUser: 2 },
  })
  await limited.listen({ port: 0, host: '127.0.0.1' })
  const address = limited.server.address()
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
})
afterAll(async () => {
  await limited?.close()
  await t?.close()
  if (photoDir) await rm(photoDir, { recursive: true, force: true })
})

describe('paging depth', () => {
  it('refuses an offset beyond the limit with 400 (beyond bigint it used to be a 500)', async () => {
    const c = caseClient(t)
    const huge = await c.get(dispatcher, '/api/collections/hazards/items?offset=99999999999999999999', { 'accept-language': 'en' })
    expect(huge.statusCode).toBe(400)
    expect(huge.json().code).toBe('offset_too_large')
    expect(huge.json().message).toContain('1000000')
    expect((await c.get(dispatcher, '/api/dispatch/queue?offset=1000001')).statusCode).toBe(400)
    expect((await c.get(dispatcher, '/api/boundaries/changes?offset=5000000')).statusCode).toBe(400)
    expect((await c.get(dispatcher, '/api/dispatch/queue?offset=1000000')).statusCode).toBe(200)
    expect((await c.get(dispatcher, '/api/collections/villages/items?offset=1000000')).statusCode).toBe(200)
  })
})

describe('request timeouts', () => {
  it('drops a client that sends its headers too slowly', async () => {
    const { answer, elapsedMs } = await rawExchange('GET /api HTTP/1.1\r\nHost: 127.0.0.1\r\n', 8_000)
    expect(elapsedMs).toBeLessThan(6_000)
    if (answer) expect(answer).toMatch(/^HTTP\/1\.1 408/)
  })

  it('drops a client that never finishes its body', async () => {
    const head = 'POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"username":'
    const { answer, elapsedMs } = await rawExchange(head, 8_000)
    expect(elapsedMs).toBeLessThan(6_000)
    if (answer) expect(answer).toMatch(/^HTTP\/1\.1 408/)
  })
})

describe('photo uploads', () => {
  it('streams photos to disk, leaves no temporary file, and refuses uploads beyond the concurrent cap with 503 + Retry-After', async () => {
    const id = await registerCase(t, dispatcher, 'hazards', points[0], {})
    const body = multipart([{ name: 'a.jpg', bytes: jpeg(3 * 1024 * 1024) }])
    // A slow first upload holds the only slot: headers and a third of the body, the rest only once the
    // second upload has been answered (timers alone failed on a loaded machine: the first had not
    // taken the slot after 300 ms, or had finished before the second came).
    let finishFirst = () => {}
    const first = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(`${base}/api/cases/${id}/photos`, {
        method: 'POST',
        headers: { ...browserHeaders(dispatcher), 'content-type': body.contentType, 'content-length': String(body.payload.length) },
      })
      request.on('response', (response) => {
        let text = ''
        response.on('data', (chunk) => (text += chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }))
      })
      request.on('error', reject)
      request.write(body.payload.subarray(0, 1024 * 1024))
      finishFirst = () => request.end(body.payload.subarray(1024 * 1024))
    })
    // The slot is taken once the first upload streams into a temporary file.
    for (let tries = 0; tries < 600; tries += 1) {
      if ((await readdir(join(photoDir, '.incoming')).catch(() => [])).length > 0) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const second = multipart([{ name: 'b.jpg', bytes: jpeg(2048) }])
    const busy = await limited.inject({
      method: 'POST',
      url: `/api/cases/${id}/photos`,
      headers: { ...sessionHeaders(dispatcher.cookie), 'content-type': second.contentType, 'accept-language': 'en' },
      payload: second.payload,
    })
    expect(busy.statusCode).toBe(503)
    expect(busy.headers['retry-after']).toBe('5')
    expect(busy.json().code).toBe('photo_uploads_busy')
    finishFirst()
    const done = await first
    expect(done.status).toBe(201)
    expect(JSON.parse(done.body).photos[0].sizeBytes).toBe(3 * 1024 * 1024)
    const again = await limited.inject({ method: 'POST', url: `/api/cases/${id}/photos`, headers: { ...sessionHeaders(dispatcher.cookie), 'content-type': second.contentType }, payload: second.payload })
    expect(again.statusCode).toBe(201)
    const bad = multipart([{ name: 'ok.jpg', bytes: jpeg(4096) }, { name: 'evil.html', bytes: Buffer.from('<script>alert(1)</script>') }])
    const refused = await limited.inject({ method: 'POST', url: `/api/cases/${id}/photos`, headers: { ...sessionHeaders(dispatcher.cookie), 'content-type': bad.contentType }, payload: bad.payload })
    expect(refused.statusCode).toBe(415)
    expect(await readdir(join(photoDir, '.incoming'))).toEqual([])
    expect((await readdir(photoDir)).filter((name) => name.endsWith('.jpg'))).toHaveLength(2)
  })
})

describe('live streams', () => {
  it('lets one user hold only so many streams at once (429 beyond), and frees a slot when one closes', async () => {
    const open = (user: TestUser) =>
      new Promise<{ status: number; request: http.ClientRequest; body: () => string }>((resolve, reject) => {
        let text = ''
        const request = http.get(`${base}/api/events/stream`, { headers: { cookie: user.cookie, 'accept-language': 'en' } }, (response) => {
          response.on('data', (chunk) => (text += chunk))
          response.on('error', () => undefined)
          if (response.statusCode === 200) resolve({ status: 200, request, body: () => text })
          else response.on('end', () => resolve({ status: response.statusCode ?? 0, request, body: () => text }))
        })
        request.on('error', (error) => (request.destroyed ? undefined : reject(error)))
      })
    const streams = [await open(dispatcher), await open(dispatcher)]
    expect(streams.map((stream) => stream.status)).toEqual([200, 200])
    const refused = await open(dispatcher)
    expect(refused.status).toBe(429)
    expect(JSON.parse(refused.body()).code).toBe('live_streams_limit')
    const other = await open(admin)
    expect(other.status).toBe(200)
    streams[0].request.destroy()
    await new Promise((resolve) => setTimeout(resolve, 300))
    const reopened = await open(dispatcher)
    expect(reopened.status).toBe(200)
    for (const stream of [streams[1], other, reopened]) stream.request.destroy()
  })
})

describe('low-zoom case tiles', () => {
  const decode = (buffer: Uint8Array) => {
    const layer = new VectorTile(new PbfReader(buffer)).layers.hazards
    return layer ? Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties) : []
  }

  it('aggregates a z0 tile, and any tile below z16, even when no clustering is asked for', async () => {
    for (const point of points.slice(0, 4)) await registerCase(t, dispatcher, 'hazards', point, {})
    const c = caseClient(t)
    const world = await c.get(dispatcher, '/api/tiles/hazards/0/0/0.mvt')
    expect(world.statusCode).toBe(200)
    const features = decode(world.rawPayload)
    expect(features.length).toBeGreaterThan(0)
    expect(features.every((properties) => typeof properties.point_count === 'number')).toBe(true)
    expect(features.some((properties) => Number(properties.point_count) > 1)).toBe(true)
    const asked = await c.get(dispatcher, '/api/tiles/hazards/0/0/0.mvt?cluster=0')
    expect(decode(asked.rawPayload).every((properties) => typeof properties.point_count === 'number')).toBe(true)
  })
})

describe('archive imports', () => {
  const importZip = (bytes: Buffer) =>
    t.app.inject({
      method: 'POST',
      url: '/api/boundaries/imports?level=fine-grids&sourceCrs=wgs84&reason=test&dryRun=true',
      headers: { ...admin.headers, 'content-type': 'application/zip', 'accept-language': 'en' },
      payload: bytes,
    })

  it('refuses a zip bomb (413) without unpacking it in full, whatever sizes it declares', async () => {
    const bomb = zipOf([
      { name: 'grids.shp', data: await deflatedZeros(129), method: 8, declaredSize: 100 },
      { name: 'grids.dbf', data: Buffer.alloc(10), method: 0, declaredSize: 10 },
    ])
    expect(bomb.length).toBeLessThan(1024 * 1024)
    const response = await importZip(bomb)
    expect(response.statusCode).toBe(413)
    expect(response.json().code).toBe('import_archive_too_large')
    expect(response.json().message).toContain('128 MB')
  })

  it('refuses a file that only starts like a ZIP (400) instead of hanging the ZIP reader', async () => {
    const response = await importZip(Buffer.from('PK\x03\x04not really an archive'))
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe('boundary_import_bad_zip')
  })

  it('refuses an archive with too many entries (400)', async () => {
    const entries = Array.from({ length: 1_001 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from('x'), method: 0 as const, declaredSize: 1 }))
    entries.push({ name: 'grids.shp', data: Buffer.alloc(100), method: 0, declaredSize: 100 })
    const response = await importZip(zipOf(entries))
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe('import_archive_too_many_entries')
    expect(response.json().message).toContain('1002')
  })
})
