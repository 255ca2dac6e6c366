import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { caseClient, disputeFeature, gridPoints, hazardFeature, type GridPoint } from '../support/cases.ts'
import { parseIfMatch, NO_VERSION } from '../../server/core/http/if-match.ts'

/**
 * OGC API – Features Part 4 semantics (issue 12 item 4): 405 + Allow for a
 * method a path does not offer, 412 for any well-formed entity tag that is
 * not the current one, and read-only properties sent back by a client ignored.
 */
let t: TestApp
let admin: TestUser
let dispatcher: TestUser
let points: GridPoint[]

beforeAll(async () => {
  t = await createTestApp()
  admin = await t.signIn('admin')
  dispatcher = await t.signIn('dispatcher')
  points = await gridPoints(t.database.engine.db)
})
afterAll(() => t?.close())

async function registerDispute(): Promise<{ id: number; feature: Record<string, any>; etag: string }> {
  const created = await caseClient(t).register(dispatcher, 'disputes', disputeFeature(points[0], [points[0].villageId, points.find((p) => p.villageId !== points[0].villageId)!.villageId]))
  expect(created.statusCode).toBe(201)
  const id = created.json().id as number
  const read = await t.app.inject({ url: `/api/collections/disputes/items/${id}`, headers: dispatcher.headers })
  return { id, feature: read.json(), etag: String(read.headers.etag) }
}

describe('405 Method Not Allowed with Allow', () => {
  it('answers PATCH on a dispute item with 405 and Allow: GET, HEAD (it was 404)', async () => {
    const { id } = await registerDispute()
    const response = await t.app.inject({ method: 'PATCH', url: `/api/collections/disputes/items/${id}`, headers: dispatcher.headers, payload: {} })
    expect(response.statusCode).toBe(405)
    expect(response.headers.allow).toBe('GET, HEAD')
    expect(response.json()).toMatchObject({ code: 'method_not_allowed' })
    expect(response.json().message).toMatch(/PATCH/)
  })

  it('lists every method of the path: area items offer GET, PUT and PATCH but not DELETE or POST', async () => {
    for (const method of ['DELETE', 'POST'] as const) {
      const response = await t.app.inject({ method, url: '/api/collections/villages/items/1', headers: admin.headers })
      expect(response.statusCode, method).toBe(405)
      expect(response.headers.allow).toBe('GET, HEAD, PUT, PATCH')
    }
  })

  it('says which collections take POST: villages items answer 405 Allow GET, HEAD; hazards items take POST', async () => {
    const villages = await t.app.inject({ method: 'POST', url: '/api/collections/villages/items', headers: admin.headers, payload: {} })
    expect(villages.statusCode).toBe(405)
    expect(villages.headers.allow).toBe('GET, HEAD')
    const hazards = await t.app.inject({ method: 'DELETE', url: '/api/collections/hazards/items', headers: admin.headers })
    expect(hazards.headers.allow).toBe('GET, HEAD, POST')
  })

  it('finds the path however it is spelt (trailing slash, percent-encoding) and without signing in', async () => {
    for (const url of ['/api/collections/disputes/items/1/', '/%61pi/collections/disputes/items/1', '/api/collections/disputes/items/1?f=json']) {
      const response = await t.app.inject({ method: 'DELETE', url })
      expect(response.statusCode, url).toBe(405)
      expect(response.headers.allow, url).toBe('GET, HEAD')
    }
  })

  it('still answers 404 for paths no method serves, API or not', async () => {
    for (const [method, url] of [['GET', '/api/nothing-here'], ['POST', '/api/nothing-here'], ['POST', '/some/page'], ['DELETE', '/api']] as const) {
      const response = await t.app.inject({ method, url, headers: admin.headers })
      expect(response.statusCode, `${method} ${url}`).toBe(method === 'DELETE' && url === '/api' ? 405 : 404)
    }
  })
})

describe('If-Match: 412 for any well-formed entity tag that is not current', () => {
  it('parses tags as RFC 9110 says: versions, other opaque tags, lists, malformed headers', () => {
    expect(parseIfMatch(undefined)).toBeUndefined()
    expect(parseIfMatch('*')).toBeUndefined()
    expect(parseIfMatch('"3"')).toBe(3)
    expect(parseIfMatch('W/"3"')).toBe(3)
    expect(parseIfMatch(' 3 ')).toBe(3)
    expect(parseIfMatch('"abc"')).toBe(NO_VERSION)
    expect(parseIfMatch('""')).toBe(NO_VERSION)
    expect(parseIfMatch('"a,b"')).toBe(NO_VERSION)
    expect(parseIfMatch('"xyz", "4"')).toBe(4)
    expect(parseIfMatch('"4","4"')).toBe(4)
    for (const bad of ['abc', '"3', '3"', '"3" x', '"3",', ',"3"', '', '"3" "4"', '"a"b"']) {
      expect(() => parseIfMatch(bad), bad).toThrow(expect.objectContaining({ status: 400, code: 'bad_if_match' }))
    }
    expect(() => parseIfMatch('"3", "4"')).toThrow(expect.objectContaining({ status: 400, code: 'if_match_several_versions' }))
  })

  it('answers a dispute action sent with a well-formed foreign tag with 412, not 400, and changes nothing', async () => {
    const { id, etag } = await registerDispute()
    for (const tag of ['"abc"', 'W/"v7"', '""', '"999"']) {
      const response = await caseClient(t).act(dispatcher, 'disputes', id, 'dispatch', { stationKey: 'legal-mediation' }, { 'if-match': tag })
      expect(response.statusCode, tag).toBe(412)
    }
    const malformed = await caseClient(t).act(dispatcher, 'disputes', id, 'dispatch', { stationKey: 'legal-mediation' }, { 'if-match': 'abc' })
    expect(malformed.statusCode).toBe(400)
    expect(malformed.json().code).toBe('bad_if_match')
    const after = await t.app.inject({ url: `/api/collections/disputes/items/${id}`, headers: dispatcher.headers })
    expect(after.headers.etag).toBe(etag)
    expect(after.json().properties.status).toBe('registered')
  })

  it('answers a village PATCH with a foreign tag with 412 and the current feature', async () => {
    const response = await t.app.inject({
      method: 'PATCH',
      url: `/api/collections/villages/items/${points[0].villageId}`,
      headers: { ...admin.headers, 'if-match': '"not-a-version"', 'content-type': 'application/merge-patch+json' },
      payload: JSON.stringify({ properties: { households: 10, reason: '核对户数' } }),
    })
    expect(response.statusCode).toBe(412)
    expect(response.json().current.type).toBe('Feature')
  })
})

describe('read-only properties sent back by a client are ignored', () => {
  it('registers a hazard from a Feature read back whole (id, status, links, version… included), as QGIS sends it', async () => {
    const created = await caseClient(t).register(dispatcher, 'hazards', hazardFeature(points[1]))
    const read = (await t.app.inject({ url: `/api/collections/hazards/items/${created.json().id}`, headers: dispatcher.headers })).json()
    const copy = await caseClient(t).register(dispatcher, 'hazards', read)
    expect(copy.statusCode, copy.body).toBe(201)
    const copied = copy.json()
    expect(copied.id).not.toBe(read.id)
    expect(copied.properties).toMatchObject({ status: 'reported', version: 1, description: read.properties.description, severity: 'high' })
  })

  it('registers a dispute read back whole, parties included, and ignores what the server computes', async () => {
    const { feature } = await registerDispute()
    feature.properties.status = 'resolved'
    feature.properties.crossVillage = false
    const copy = await caseClient(t).register(dispatcher, 'disputes', feature)
    expect(copy.statusCode, copy.body).toBe(201)
    expect(copy.json().properties).toMatchObject({ status: 'registered', crossVillage: true })
    expect(copy.json().properties.parties.map((p: { name: string }) => p.name)).toEqual(feature.properties.parties.map((p: { name: string }) => p.name))
  })

  it('still refuses a property nobody ever read, naming it', async () => {
    const response = await caseClient(t).register(dispatcher, 'hazards', hazardFeature(points[1], { colour: 'red' }))
    expect(response.statusCode).toBe(400)
    expect(response.json().message).toMatch(/colour/)
  })

  it('replaces a village with the Feature it read (code, level, version… included): 200, a new version', async () => {
    const read = await t.app.inject({ url: `/api/collections/villages/items/${points[0].villageId}`, headers: admin.headers })
    const feature = read.json()
    feature.properties.households = (feature.properties.households ?? 0) + 1
    const response = await t.app.inject({
      method: 'PUT',
      url: `/api/collections/villages/items/${points[0].villageId}`,
      headers: { ...admin.headers, 'if-match': String(read.headers.etag), 'x-change-reason': encodeURIComponent('核对户数') },
      payload: feature,
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().properties.households).toBe(feature.properties.households)
  })
})
