import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'

let t: TestApp
let leader: TestUser

beforeAll(async () => {
  t = await createTestApp()
  leader = await t.signIn('leader')
})
afterAll(() => t?.close())

function get(url: string, headers: Record<string, string> = leader.headers) {
  return t.app.inject({ url, headers })
}

describe('OGC API – Features: capabilities', () => {
  it('serves a landing page linking the OpenAPI document as service-desc', async () => {
    const response = await t.app.inject({ url: '/api' })
    expect(response.statusCode).toBe(200)
    const body = response.json()
    const rels = Object.fromEntries(body.links.map((link: { rel: string; href: string; type: string }) => [link.rel, link]))
    expect(rels['service-desc'].type).toBe('application/vnd.oai.openapi+json;version=3.0')
    expect(rels.conformance.href).toMatch(/\/api\/conformance$/)
    expect(rels.data.href).toMatch(/\/api\/collections$/)
  })

  it('declares Core, GeoJSON and OpenAPI 3.0 conformance', async () => {
    const { conformsTo } = (await t.app.inject({ url: '/api/conformance' })).json()
    expect(conformsTo).toEqual(
      expect.arrayContaining([
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
      ]),
    )
  })

  it('publishes an OpenAPI 3.0 document describing the items route', async () => {
    const response = await t.app.inject({ url: '/api/openapi.json' })
    expect(response.headers['content-type']).toMatch(/application\/vnd\.oai\.openapi\+json/)
    const doc = response.json()
    expect(doc.openapi).toMatch(/^3\.0\./)
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/collections/{collectionId}/items', '/api/auth/login', '/api/users']))
  })

  it('lists town, villages, base grids and fine grids with extents and item links', async () => {
    const { collections } = (await get('/api/collections')).json()
    expect(collections.map((c: { id: string }) => c.id)).toEqual(['town', 'villages', 'base-grids', 'fine-grids', 'hazards', 'disputes', 'key-persons'])
    for (const collection of collections) {
      const [minLon, minLat, maxLon, maxLat] = collection.extent.spatial.bbox[0]
      expect(minLon).toBeGreaterThan(99.9)
      expect(maxLon).toBeLessThan(100.3)
      expect(minLat).toBeGreaterThan(25.6)
      expect(maxLat).toBeLessThan(26.1)
      expect(collection.links.find((l: { rel: string }) => l.rel === 'items').type).toBe('application/geo+json')
    }
  })

  it('answers 404 for an unknown collection, naming the real ones', async () => {
    const response = await get('/api/collections/roads')
    expect(response.statusCode).toBe(404)
    expect(response.json()).toMatchObject({ code: 'collection_not_found' })
    expect(response.json().message).toContain('villages')
    expect((await get('/api/collections/roads/items')).statusCode).toBe(404)
  })
})

describe('OGC API – Features: items', () => {
  it('returns the 13 villages as GeoJSON MultiPolygons with codes', async () => {
    const response = await get('/api/collections/villages/items')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/^application\/geo\+json/)
    const body = response.json()
    expect(body.type).toBe('FeatureCollection')
    expect(body.numberMatched).toBe(13)
    expect(body.numberReturned).toBe(13)
    for (const feature of body.features) {
      expect(feature.geometry.type).toBe('MultiPolygon')
      expect(feature.properties.code).toMatch(/^532901101\d{3}$/)
      expect(typeof feature.id).toBe('number')
    }
  })

  it('pages with limit/offset and next/prev links that work', async () => {
    const first = (await get('/api/collections/fine-grids/items?limit=50')).json()
    expect(first.numberReturned).toBe(50)
    expect(first.numberMatched).toBeGreaterThan(100)
    const next = first.links.find((l: { rel: string }) => l.rel === 'next')
    expect(first.links.find((l: { rel: string }) => l.rel === 'prev')).toBeUndefined()
    const second = (await get(new URL(next.href).pathname + new URL(next.href).search)).json()
    expect(second.numberReturned).toBe(50)
    const firstIds = new Set(first.features.map((f: { id: number }) => f.id))
    expect(second.features.some((f: { id: number }) => firstIds.has(f.id))).toBe(false)
    expect(second.links.find((l: { rel: string }) => l.rel === 'prev').href).toContain('offset=0')
  })

  it('defaults to 100 items and clamps a limit above 10000', async () => {
    const byDefault = (await get('/api/collections/fine-grids/items')).json()
    expect(byDefault.numberReturned).toBe(Math.min(100, byDefault.numberMatched))
    const clamped = await get('/api/collections/fine-grids/items?limit=50000')
    expect(clamped.statusCode).toBe(200)
    const body = clamped.json()
    expect(body.numberReturned).toBe(body.numberMatched)
    expect(body.links.find((l: { rel: string }) => l.rel === 'self').href).toContain('limit=10000')
  })

  it('filters by bbox with index-assisted intersection', async () => {
    const all = (await get('/api/collections/base-grids/items?limit=10000')).json()
    const box = '100.10,25.84,100.14,25.86'
    const inBox = (await get(`/api/collections/base-grids/items?limit=10000&bbox=${box}`)).json()
    expect(inBox.numberReturned).toBeGreaterThan(0)
    expect(inBox.numberReturned).toBeLessThan(all.numberReturned)
    expect(inBox.numberMatched).toBe(inBox.numberReturned)
    const far = (await get('/api/collections/base-grids/items?bbox=0,0,1,1')).json()
    expect(far.numberMatched).toBe(0)
    expect(far.features).toEqual([])
  })

  it('answers 400 for malformed parameters and unknown ones', async () => {
    const bad = [
      'bbox=1,2,3',
      'bbox=a,b,c,d',
      'bbox=100,26,99,25',
      'bbox=200,0,201,1',
      'limit=0',
      'limit=ten',
      'offset=-1',
      'colour=red',
    ]
    for (const query of bad) {
      const response = await get(`/api/collections/villages/items?${query}`)
      expect(response.statusCode, query).toBe(400)
      expect(response.json().message.length, query).toBeGreaterThan(5)
    }
    const unknown = await get('/api/collections/villages/items?colour=red', { ...leader.headers, 'accept-language': 'en' })
    expect(unknown.json()).toMatchObject({ code: 'unknown_parameter' })
    expect(unknown.json().message).toContain('colour')
  })

  it('refuses query parameters on API routes that take none, instead of ignoring them', async () => {
    for (const url of ['/api/towns/villages?x=1', '/api/towns?townId=2', '/api/meta?lang=fr', '/api/auth/me?as=admin']) {
      const response = await get(url, { ...leader.headers, 'accept-language': 'en' })
      expect(response.statusCode, url).toBe(400)
      expect(response.json().code, url).toBe('unknown_parameter')
      expect(response.json().message, url).toContain('none (this route takes no query parameters)')
    }
    expect((await get('/api/towns/villages')).statusCode).toBe(200)
  })

  it('serves one feature with an ETag, and 404 for unknown or malformed ids', async () => {
    const page = (await get('/api/collections/villages/items?limit=1')).json()
    const id = page.features[0].id
    const response = await get(`/api/collections/villages/items/${id}`)
    expect(response.statusCode).toBe(200)
    expect(response.headers.etag).toBe('"1"')
    expect(response.json()).toMatchObject({ type: 'Feature', id, properties: { level: 'village' } })
    expect((await get('/api/collections/villages/items/99999999')).statusCode).toBe(404)
    expect((await get('/api/collections/villages/items/abc')).statusCode).toBe(404)
    const fineGridInVillages = (await get('/api/collections/fine-grids/items?limit=1')).json().features[0].id
    expect((await get(`/api/collections/villages/items/${fineGridInVillages}`)).statusCode).toBe(404)
  })

  it('accepts an API token the way GIS clients send it', async () => {
    const token = await t.tokenFor(leader)
    const response = await t.app.inject({ url: '/api/collections/town/items', headers: { authorization: `Bearer ${token}`, accept: 'application/geo+json' } })
    expect(response.statusCode).toBe(200)
    expect(response.json().features).toHaveLength(1)
  })
})
