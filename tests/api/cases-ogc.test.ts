import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../server/app.ts'
import { openEngine } from '../../server/core/db/engine.ts'
import type { LiveEvent } from '../../server/core/live/live-events.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { ENGINE_UNDER_TEST } from '../support/test-database.ts'
import { caseClient, disputeFeature, gridPoints, hazardFeature, type GridPoint } from '../support/cases.ts'

let t: TestApp
let c: ReturnType<typeof caseClient>
let dispatcher: TestUser
let points: GridPoint[]
const ids: Record<string, number> = {}

beforeAll(async () => {
  t = await createTestApp()
  c = caseClient(t)
  dispatcher = await t.signIn('dispatcher')
  points = await gridPoints(t.database.engine.db)
  const register = async (name: string, reportedAt: string, point: GridPoint) => {
    const response = await c.register(dispatcher, 'hazards', hazardFeature(point, { reportedAt }))
    expect(response.statusCode, response.body).toBe(201)
    ids[name] = response.json().id
  }
  await register('oct', '2025-10-15T08:00:00Z', points[0])
  await register('nov1', '2025-11-01T00:00:00Z', points[10])
  await register('nov20', '2025-11-20T12:30:00+08:00', points[200])
  await register('dec', '2025-12-02T09:00:00Z', points[300])
  await c.act(dispatcher, 'hazards', ids.dec, 'verify', {})
})
afterAll(() => t?.close())

const itemIds = async (query: string) => {
  const response = await c.get(dispatcher, `/api/collections/hazards/items?${query}`)
  expect(response.statusCode, `${query}: ${response.body}`).toBe(200)
  return response.json().features.map((f: { id: number }) => f.id).sort((a: number, b: number) => a - b)
}
const sorted = (...names: string[]) => names.map((name) => ids[name]).sort((a, b) => a - b)

describe('hazards and disputes as OGC API collections', () => {
  it('lists them among the collections with an extent and item links', async () => {
    const { collections } = (await c.get(dispatcher, '/api/collections')).json()
    const byId = Object.fromEntries(collections.map((col: { id: string }) => [col.id, col]))
    expect(byId.hazards.title).toBe('隐患')
    expect(byId.disputes.extent.spatial.bbox[0]).toHaveLength(4)
    expect(byId.hazards.links.find((l: { rel: string }) => l.rel === 'items').href).toMatch(/\/api\/collections\/hazards\/items$/)
  })

  it('filters on the reported time with RFC 3339 instants and intervals', async () => {
    expect(await itemIds('datetime=2025-11-01T00:00:00Z')).toEqual(sorted('nov1'))
    expect(await itemIds('datetime=2025-11-01T00:00:00Z/2025-11-30T23:59:59Z')).toEqual(sorted('nov1', 'nov20'))
    expect(await itemIds('datetime=../2025-10-31T23:59:59Z')).toEqual(sorted('oct'))
    expect(await itemIds('datetime=2025-11-21T00:00:00Z/..')).toEqual(sorted('dec'))
    expect(await itemIds('datetime=/2025-10-31')).toEqual(sorted('oct'))
    expect(await itemIds('datetime=2025-11-20')).toEqual(sorted('nov20'))
    expect(await itemIds('datetime=2025-11-20T13:00:00%2B09:00/2025-11-20T14:00:00%2B09:00')).toEqual(sorted('nov20'))
  })

  it('filters on status, combined with datetime and bbox, and keeps the filters in paging links', async () => {
    expect(await itemIds('status=verified')).toEqual(sorted('dec'))
    expect(await itemIds('status=reported,verified&datetime=2025-12-01/..')).toEqual(sorted('dec'))
    const p = points[0]
    expect(await itemIds(`bbox=${p.lon - 0.0001},${p.lat - 0.0001},${p.lon + 0.0001},${p.lat + 0.0001}`)).toEqual(sorted('oct'))
    const page = (await c.get(dispatcher, '/api/collections/hazards/items?status=reported&datetime=2025-10-01/2025-12-31&limit=1')).json()
    expect(page.numberMatched).toBe(3)
    const next = page.links.find((l: { rel: string }) => l.rel === 'next').href
    expect(next).toContain('status=reported')
    expect(next).toContain('datetime=2025-10-01%2F2025-12-31')
    const second = (await c.get(dispatcher, new URL(next).pathname + new URL(next).search)).json()
    expect(second.numberReturned).toBe(1)
    expect(second.features[0].id).not.toBe(page.features[0].id)
  })

  it('answers 400 for bad datetime, status and unknown parameters; area collections take datetime (issue 12) but refuse the case filters', async () => {
    for (const query of ['datetime=yesterday', 'datetime=2025-13-01', 'datetime=2025-12-01/2025-11-01', 'datetime=a/b/c', 'datetime=..', 'status=lost', 'colour=red', 'limit=0']) {
      const response = await c.get(dispatcher, `/api/collections/hazards/items?${query}`)
      expect(response.statusCode, query).toBe(400)
    }
    expect((await c.get(dispatcher, '/api/collections/hazards/items?status=registered')).json().code).toBe('bad_status_filter')
    expect((await c.get(dispatcher, '/api/collections/disputes/items?status=registered')).statusCode).toBe(200)
    // Part 1 makes datetime part of every items request: on areas it selects versions (tests/api/ogc-datetime.test.ts).
    expect((await c.get(dispatcher, '/api/collections/villages/items?datetime=2025-11-01')).statusCode).toBe(200)
    const area = await c.get(dispatcher, '/api/collections/villages/items?severity=high', { 'accept-language': 'en' })
    expect(area.statusCode).toBe(400)
    expect(area.json()).toMatchObject({ code: 'unknown_parameter' })
    expect((await c.get(dispatcher, '/api/collections/villages/items?status=open')).statusCode).toBe(400)
  })

  it('serves one case as a Feature with an ETag that follows its version', async () => {
    const response = await c.get(dispatcher, `/api/collections/hazards/items/${ids.dec}`)
    expect(response.statusCode).toBe(200)
    expect(response.headers.etag).toBe('"2"')
    const feature = response.json()
    expect(feature).toMatchObject({ type: 'Feature', id: ids.dec, geometry: { type: 'Point' }, properties: { status: 'verified', version: 2 } })
    expect(feature.links.find((l: { rel: string }) => l.rel === 'self').href).toMatch(new RegExp(`/items/${ids.dec}$`))
    expect((await c.get(dispatcher, `/api/collections/disputes/items/${ids.dec}`)).statusCode).toBe(404)
  })

  it('documents the case routes in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json()
    const paths = Object.keys(doc.paths)
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/collections/hazards/items',
        '/api/collections/disputes/items',
        '/api/disputes/{id}/dispatch',
        '/api/disputes/{id}/evaluate',
        '/api/hazards/{id}/start-rectification',
        '/api/leads/{id}/convert',
        '/api/cases/{kind}/{id}/timeline',
        '/api/dispatch/queue',
        '/api/events/stream',
        '/api/exports/problems.xlsx',
        '/api/exports/leads.csv',
      ]),
    )
    const items = doc.paths['/api/collections/hazards/items']
    expect(items.get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['datetime', 'status', 'bbox', 'limit', 'offset']))
    expect(items.post).toBeDefined()
    expect(doc.paths['/api/disputes/{id}/resolve'].post.parameters.map((p: { name: string }) => p.name)).toContain('if-match')
  })
})

describe('server-side filters of the case collections', () => {
  const span = 'datetime=2025-10-01/2025-10-10'
  const filterIds: Record<string, number> = {}
  const idsOf = async (collection: string, query: string) => {
    const response = await c.get(dispatcher, `/api/collections/${collection}/items?${span}&${query}`)
    expect(response.statusCode, `${query}: ${response.body}`).toBe(200)
    return response.json().features.map((f: { id: number }) => f.id).sort((a: number, b: number) => a - b)
  }
  const idsFor = (...names: string[]) => names.map((name) => filterIds[name]).sort((a, b) => a - b)

  beforeAll(async () => {
    const hazard = async (name: string, point: GridPoint, properties: Record<string, unknown>) => {
      const response = await c.register(dispatcher, 'hazards', hazardFeature(point, { reportedAt: '2025-10-05T08:00:00Z', ...properties }))
      expect(response.statusCode, response.body).toBe(201)
      filterIds[name] = response.json().id
    }
    const dispute = async (name: string, point: GridPoint, properties: Record<string, unknown>) => {
      const response = await c.register(dispatcher, 'disputes', disputeFeature(point, [point.villageId], { reportedAt: '2025-10-06T08:00:00Z', ...properties }))
      expect(response.statusCode, response.body).toBe(201)
      filterIds[name] = response.json().id
    }
    await hazard('fireHigh', points[0], { category: 'fire', severity: 'high' })
    await hazard('floodLow', points[50], { category: 'flood', severity: 'low' })
    await hazard('floodCritical', points[300], { category: 'flood', severity: 'critical' })
    await dispute('landGeneral', points[0], { category: 'land', tier: 'general' })
    await dispute('debtComplex', points[300], { category: 'debt', tier: 'complex' })
    const dispatched = await c.act(dispatcher, 'disputes', filterIds.debtComplex, 'dispatch', { stationKey: 'litigation', mediatorName: '王调解' })
    expect(dispatched.statusCode, dispatched.body).toBe(200)
  })

  it('filters hazards by category, severity and village, combined', async () => {
    expect(await idsOf('hazards', 'category=flood')).toEqual(idsFor('floodLow', 'floodCritical'))
    expect(await idsOf('hazards', 'category=fire,flood&severity=high,critical')).toEqual(idsFor('fireHigh', 'floodCritical'))
    expect(await idsOf('hazards', `villageId=${points[300].villageId}&category=flood`)).toEqual(
      points[50].villageId === points[300].villageId ? idsFor('floodLow', 'floodCritical') : idsFor('floodCritical'),
    )
    const page = (await c.get(dispatcher, `/api/collections/hazards/items?${span}&severity=low&limit=1`)).json()
    expect(page.numberMatched).toBe(1)
  })

  it('filters disputes by tier, category and the station they are dispatched to', async () => {
    expect(await idsOf('disputes', 'tier=complex')).toEqual(idsFor('debtComplex'))
    expect(await idsOf('disputes', 'category=land,debt&tier=general')).toEqual(idsFor('landGeneral'))
    expect(await idsOf('disputes', 'stationKey=litigation')).toEqual(idsFor('debtComplex'))
    expect(await idsOf('disputes', 'stationKey=police')).toEqual([])
  })

  it('answers 400 in the request language for unknown values and for the other kind’s grade', async () => {
    const bad = async (collection: string, query: string) => {
      const response = await c.get(dispatcher, `/api/collections/${collection}/items?${query}`, { 'accept-language': 'en' })
      expect(response.statusCode, query).toBe(400)
      return response.json()
    }
    expect(await bad('hazards', 'category=land')).toMatchObject({ code: 'bad_filter_value', message: expect.stringContaining('"land"') })
    expect(await bad('hazards', 'severity=extreme')).toMatchObject({ code: 'bad_filter_value', message: expect.stringContaining('severity') })
    expect(await bad('disputes', 'tier=huge')).toMatchObject({ code: 'bad_filter_value' })
    expect(await bad('disputes', 'stationKey=moon')).toMatchObject({ code: 'bad_filter_value' })
    expect(await bad('disputes', 'category=,')).toMatchObject({ code: 'bad_filter_value' })
    expect(await bad('hazards', 'tier=general')).toMatchObject({ code: 'unknown_parameter' })
    expect(await bad('disputes', 'severity=high')).toMatchObject({ code: 'unknown_parameter' })
    expect((await bad('hazards', 'villageId=abc')).code).toBe('validation_failed')
    const zh = await c.get(dispatcher, '/api/collections/hazards/items?severity=extreme')
    expect(zh.json().message).toContain('无效')
  })

  it('counts the legend within a reported time range, with 400 for a bad datetime', async () => {
    const counts = (await c.get(dispatcher, `/api/cases/counts?${span}`)).json()
    expect(counts.hazard.byStatus).toEqual({ reported: 3 })
    expect(counts.dispute.byStatus).toEqual({ registered: 1, dispatched: 1 })
    const all = (await c.get(dispatcher, '/api/cases/counts')).json()
    expect(all.hazard.byStatus.reported).toBeGreaterThan(3)
    const bad = await c.get(dispatcher, '/api/cases/counts?datetime=soon')
    expect(bad.statusCode).toBe(400)
    expect(bad.json().code).toBe('bad_datetime')
  })

  it('documents the filters in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json()
    const names = (path: string) => doc.paths[path].get.parameters.map((p: { name: string }) => p.name)
    expect(names('/api/collections/hazards/items')).toEqual(expect.arrayContaining(['category', 'severity', 'stationKey', 'villageId']))
    expect(names('/api/collections/disputes/items')).toEqual(expect.arrayContaining(['category', 'tier', 'stationKey', 'villageId']))
    expect(names('/api/cases/counts')).toEqual(expect.arrayContaining(['bbox', 'datetime']))
  })
})

/** Reads Server-Sent Events from a streaming fetch body until `stop` says so. */
async function readEvents(body: ReadableStream<Uint8Array>, stop: (events: LiveEvent[]) => boolean, timeoutMs = 10_000) {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  const events: LiveEvent[] = []
  let buffer = ''
  const deadline = Date.now() + timeoutMs
  while (!stop(events) && Date.now() < deadline) {
    const { value, done } = await reader.read()
    if (done) break
    buffer += decoder.decode(value, { stream: true })
    let split: number
    while ((split = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, split)
      buffer = buffer.slice(split + 2)
      const lines = block.split('\n')
      if (lines.includes('event: case')) {
        const data = lines.find((line) => line.startsWith('data: '))!
        events.push(JSON.parse(data.slice(6)))
      }
    }
  }
  return { events, reader }
}

describe('live events (SSE)', () => {
  it('streams case events over a real HTTP connection and closes cleanly', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' })
    expect((await fetch(`${address}/api/events/stream`)).status).toBe(401)
    const controller = new AbortController()
    const response = await fetch(`${address}/api/events/stream`, { headers: dispatcher.headers, signal: controller.signal })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const before = t.app.live.size
    expect(before).toBeGreaterThanOrEqual(1)
    const registered = await c.register(dispatcher, 'disputes', disputeFeature(points[7], [points[7].villageId]))
    const id = registered.json().id
    await c.act(dispatcher, 'disputes', id, 'dispatch', { stationKey: 'police' })
    const { events, reader } = await readEvents(response.body!, (got) => got.filter((e) => e.id === id).length >= 2)
    const mine = events.filter((event) => event.id === id)
    expect(mine.map((e) => [e.kind, e.action, e.status])).toEqual([
      ['dispute', 'register', 'registered'],
      ['dispute', 'dispatch', 'dispatched'],
    ])
    expect(Number.isNaN(Date.parse(mine[0].at))).toBe(false)
    controller.abort()
    await reader.cancel().catch(() => {})
    for (let i = 0; i < 50 && t.app.live.size >= before; i++) await new Promise((resolve) => setTimeout(resolve, 20))
    expect(t.app.live.size).toBe(before - 1)
  })

  it.skipIf(ENGINE_UNDER_TEST !== 'postgres')('keeps several server processes in step through NOTIFY/LISTEN', async () => {
    const engine = await openEngine({ databaseUrl: t.database.engine.connectionString, poolSize: 2 })
    const other = await buildApp({ engine, logLevel: 'silent', login: { adminSecondFactor: 'off' } })
    try {
      const received: LiveEvent[] = []
      const unsubscribe = other.live.subscribe((event) => received.push(event))
      const id = (await c.register(dispatcher, 'hazards', hazardFeature(points[9]))).json().id
      for (let i = 0; i < 100 && !received.some((e) => e.id === id); i++) await new Promise((resolve) => setTimeout(resolve, 20))
      expect(received.filter((e) => e.id === id)).toEqual([expect.objectContaining({ kind: 'hazard', id, action: 'register', status: 'reported' })])
      unsubscribe()
    } finally {
      await other.close()
      await engine.close()
    }
  })
})
