import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { ENGINE_UNDER_TEST } from '../support/test-database.ts'
import { gridSpots, registerPerson } from '../support/key-persons.ts'

/*
 * `datetime` on the area collections (OGC API – Features Part 1): the versions
 * in force at an instant or within an interval. History is made here: one fine
 * grid renamed (two versions, same id), one split (retired: its only version
 * closed, two new grids created).
 */

interface AreaFeature {
  id: number
  properties: { code: string; name: string; version: number; validFrom: string; validTo: string | null }
}
interface Page {
  features: AreaFeature[]
  numberMatched: number
  numberReturned: number
  links: Array<{ rel: string; href: string }>
}

let t: TestApp
let admin: TestUser
let leader: TestUser
/** A time after the sample's versions began (2025-01-01) and before this test's edits. */
const BEFORE_EDITS = '2025-06-01T00:00:00Z'
let renamed: { id: number; oldName: string; newName: string; editedAt: string }
let split: { id: number; createdIds: number[] }
let fineGridsAtStart: number

beforeAll(async () => {
  t = await createTestApp()
  admin = await t.signIn('admin')
  leader = await t.signIn('leader')
  const db = t.database.engine.db
  // Two fine grids of different base grids: a split renumbers its siblings (new versions), the renamed one must not be one.
  const { rows } = await sql<{ id: number; x0: number; x1: number; y: number }>`
    SELECT * FROM (SELECT DISTINCT ON (parent_id) area_id AS id, ST_XMin(geom) - 0.01 AS x0, ST_XMax(geom) + 0.01 AS x1, ST_Y(ST_Centroid(geom)) AS y
      FROM current_areas WHERE level = 'fine_grid' ORDER BY parent_id, area_id) first_of_each ORDER BY id LIMIT 2`.execute(db)
  fineGridsAtStart = (await items('fine-grids')).numberMatched

  // Rename the first: a new version of the same area.
  const id = Number(rows[0].id)
  const current = await t.app.inject({ url: `/api/collections/fine-grids/items/${id}`, headers: admin.headers })
  const body = current.json()
  const put = await t.app.inject({
    method: 'PUT',
    url: `/api/collections/fine-grids/items/${id}`,
    headers: { ...admin.headers, 'if-match': String(current.headers.etag), 'x-change-reason': encodeURIComponent('更名'), 'content-type': 'application/geo+json' },
    payload: JSON.stringify({ type: 'Feature', geometry: body.geometry, properties: { ...body.properties, name: '时光网格' } }),
  })
  if (put.statusCode !== 200) throw new Error(`rename failed: ${put.body}`)
  renamed = { id, oldName: body.properties.name, newName: '时光网格', editedAt: put.json().properties.validFrom }

  // Split the second along a line: it is retired, two grids are created.
  const target = rows[1]
  const line = { type: 'LineString', coordinates: [[Number(target.x0), Number(target.y)], [Number(target.x1), Number(target.y)]] }
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/boundaries/split',
    headers: admin.headers,
    payload: { areaId: Number(target.id), line, reason: '拆分', ifMatch: 1 },
  })
  if (response.statusCode !== 200) throw new Error(`split failed: ${response.body}`)
  const created = response.json().areas.filter((area: { action: string }) => area.action === 'create')
  split = { id: Number(target.id), createdIds: created.map((area: { id: number }) => area.id) }
})
afterAll(() => t?.close())

async function items(collection: string, query = '', user = leader): Promise<Page> {
  const response = await t.app.inject({ url: `/api/collections/${collection}/items?limit=10000${query}`, headers: user.headers })
  if (response.statusCode !== 200) throw new Error(`${collection}${query}: ${response.statusCode} ${response.body}`)
  return response.json()
}

const datetime = (value: string) => `&datetime=${encodeURIComponent(value)}`
const versionsOf = (page: Page, id: number) => page.features.filter((feature) => feature.id === id).map((feature) => feature.properties.version)

/** Whether a version valid over [validFrom, validTo) overlaps the closed interval [from, to]. */
function overlaps(feature: AreaFeature, from: string | null, to: string | null): boolean {
  const start = Date.parse(feature.properties.validFrom)
  const end = feature.properties.validTo === null ? Infinity : Date.parse(feature.properties.validTo)
  return (to === null || start <= Date.parse(to)) && (from === null || end > Date.parse(from))
}

describe(`datetime on the area collections (${ENGINE_UNDER_TEST})`, () => {
  it('answers 200 for instants, dates, intervals and open ends on every area collection, each feature in force then', async () => {
    const cases: Array<[string, string | null, string | null]> = [
      [BEFORE_EDITS, BEFORE_EDITS, BEFORE_EDITS],
      ['2025-06-01', '2025-06-01T00:00:00Z', '2025-06-01T23:59:59.999Z'],
      ['2025-03-01T08:00:00+08:00/2025-09-01T00:00:00Z', '2025-03-01T00:00:00Z', '2025-09-01T00:00:00Z'],
      [`../${BEFORE_EDITS}`, null, BEFORE_EDITS],
      [`${BEFORE_EDITS}/..`, BEFORE_EDITS, null],
      [`${BEFORE_EDITS}/`, BEFORE_EDITS, null],
      ['../..', null, null],
    ]
    for (const collection of ['town', 'villages', 'base-grids', 'fine-grids']) {
      const current = await items(collection)
      for (const [value, from, to] of cases) {
        const page = await items(collection, datetime(value))
        expect(page.numberReturned, `${collection} ${value}`).toBeGreaterThan(0)
        expect(page.numberMatched, `${collection} ${value}`).toBe(page.features.length)
        for (const feature of page.features) expect(overlaps(feature, from, to), `${collection} ${value} ${feature.id}`).toBe(true)
        if (collection !== 'fine-grids' && to !== null) expect(page.numberMatched, `${collection} ${value}`).toBe(current.numberMatched)
      }
    }
  })

  it('shows the fine grids as they were before the edits: old name, the retired grid, not the new ones', async () => {
    const page = await items('fine-grids', datetime(BEFORE_EDITS))
    expect(page.numberMatched).toBe(fineGridsAtStart)
    const old = page.features.find((feature) => feature.id === renamed.id)!
    expect(old.properties).toMatchObject({ name: renamed.oldName, version: 1, validTo: expect.any(String) })
    expect(Date.parse(old.properties.validTo!)).toBe(Date.parse(renamed.editedAt))
    expect(versionsOf(page, split.id)).toEqual([1])
    for (const id of split.createdIds) expect(versionsOf(page, id)).toEqual([])
  })

  it('shows the current versions at an instant after the edits, the same as without datetime', async () => {
    const now = await items('fine-grids')
    const later = await items('fine-grids', datetime(new Date(Date.now() + 1000).toISOString()))
    expect(later.features.map((f) => [f.id, f.properties.version])).toEqual(now.features.map((f) => [f.id, f.properties.version]))
    expect(now.features.every((feature) => feature.properties.validTo === null)).toBe(true)
    expect(now.features.find((feature) => feature.id === renamed.id)!.properties.name).toBe(renamed.newName)
    expect(versionsOf(now, split.id)).toEqual([])
    for (const id of split.createdIds) expect(versionsOf(now, id)).toEqual([1])
  })

  it('lists every version in force within an interval spanning the edits, under the area id', async () => {
    const page = await items('fine-grids', datetime(`${BEFORE_EDITS}/..`))
    expect(versionsOf(page, renamed.id)).toEqual([1, 2])
    expect(versionsOf(page, split.id)).toEqual([1])
    for (const id of split.createdIds) expect(versionsOf(page, id)).toEqual([1])
    // Those in force then, plus every version written since (the rename, the new grids, the renumbered siblings).
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM area_versions v JOIN areas a ON a.id = v.area_id
      WHERE a.level = 'fine_grid' AND v.valid_from > ${BEFORE_EDITS}::timestamptz`.execute(t.database.engine.db)
    expect(rows[0].n).toBeGreaterThanOrEqual(1 + split.createdIds.length)
    expect(page.numberMatched).toBe(fineGridsAtStart + rows[0].n)
    // The edit instant itself: the old version ends there (exclusive), the new one begins (inclusive).
    const atEdit = await items('fine-grids', datetime(renamed.editedAt))
    expect(versionsOf(atEdit, renamed.id)).toEqual([2])
  })

  it('answers 200 with no features for a time before any version', async () => {
    for (const value of ['2020-01-01T00:00:00Z', '2020-01-01', '../2024-12-31T15:59:59Z', '2019-01-01/2020-01-01']) {
      for (const collection of ['town', 'villages', 'base-grids', 'fine-grids']) {
        const page = await items(collection, datetime(value))
        expect([page.numberMatched, page.numberReturned, page.features], `${collection} ${value}`).toEqual([0, 0, []])
      }
    }
  })

  it('refuses a malformed datetime with 400 bad_datetime, in English too', async () => {
    for (const value of ['yesterday', '2025-13-01', '2025-06-01T25:00:00Z', '2025-06-01T00:00:00', 'a/b', '2025-01-01/2025-02-01/2025-03-01', '..', '2025-09-01/2025-01-01']) {
      for (const collection of ['villages', 'base-grids', 'fine-grids']) {
        const response = await t.app.inject({
          url: `/api/collections/${collection}/items?datetime=${encodeURIComponent(value)}`,
          headers: { ...leader.headers, 'accept-language': 'en' },
        })
        expect(response.statusCode, `${collection} ${value}`).toBe(400)
        expect(response.json().code).toBe('bad_datetime')
        expect(response.json().message).toMatch(/^Invalid datetime: .+RFC 3339/)
      }
    }
  })

  it('keeps datetime in the paging links, and the pages add up', async () => {
    const value = `${BEFORE_EDITS}/..`
    const all = await items('fine-grids', datetime(value))
    const seen: Array<[number, number]> = []
    let url: string | undefined = `/api/collections/fine-grids/items?limit=40${datetime(value)}`
    while (url) {
      const page: Page = (await t.app.inject({ url, headers: leader.headers })).json()
      for (const link of page.links.filter((l) => ['self', 'next', 'prev'].includes(l.rel))) {
        expect(new URL(link.href).searchParams.get('datetime'), link.rel).toBe(value)
      }
      seen.push(...page.features.map((f): [number, number] => [f.id, f.properties.version]))
      const next = page.links.find((link) => link.rel === 'next')
      url = next ? `${new URL(next.href).pathname}${new URL(next.href).search}` : undefined
    }
    expect(seen).toEqual(all.features.map((f) => [f.id, f.properties.version]))
  })

  it('combines datetime with bbox', async () => {
    const before = await items('fine-grids', datetime(BEFORE_EDITS))
    const old = before.features.find((feature) => feature.id === split.id)!
    const { rows } = await sql<{ bbox: string }>`
      SELECT concat_ws(',', ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)) AS bbox FROM area_versions WHERE area_id = ${split.id}`.execute(t.database.engine.db)
    const page = await items('fine-grids', `&bbox=${rows[0].bbox}${datetime(BEFORE_EDITS)}`)
    expect(page.features.map((f) => f.id)).toContain(old.id)
    expect(page.numberMatched).toBeLessThan(before.numberMatched)
  })

  it('serves every listed id on its own: a retired area as its last version', async () => {
    const retired = await t.app.inject({ url: `/api/collections/fine-grids/items/${split.id}`, headers: leader.headers })
    expect(retired.statusCode).toBe(200)
    expect(retired.json().properties).toMatchObject({ version: 1, validTo: expect.any(String) })
    expect(retired.headers.etag).toBe('"1"')
    const edited = await t.app.inject({ url: `/api/collections/fine-grids/items/${renamed.id}`, headers: leader.headers })
    expect(edited.json().properties).toMatchObject({ version: 2, validTo: null, name: renamed.newName })
    expect(edited.headers.etag).toBe('"2"')
  })

  it('gives the real temporal extent in the collection metadata', async () => {
    for (const collection of ['town', 'villages', 'base-grids', 'fine-grids']) {
      const body = (await t.app.inject({ url: `/api/collections/${collection}`, headers: leader.headers })).json()
      expect(body.extent.temporal, collection).toEqual({
        interval: [['2024-12-31T16:00:00.000Z', null]],
        trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian',
      })
      expect(body.extent.spatial.bbox[0]).toHaveLength(4)
    }
  })

  it('documents datetime on the items route and validFrom/validTo in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json()
    const parameters = doc.paths['/api/collections/{collectionId}/items'].get.parameters as Array<{ name: string; description?: string; schema?: { description?: string } }>
    const parameter = parameters.find((p) => p.name === 'datetime')!
    expect(parameter.description ?? parameter.schema?.description).toMatch(/validFrom\/validTo/)
    const responses = JSON.stringify(doc.paths['/api/collections/{collectionId}/items'].get.responses['200'])
    expect(responses).toMatch(/properties\.validTo \(exclusive, null while in force\)/)
  })
})

describe(`boundary history uses the same selection (${ENGINE_UNDER_TEST})`, () => {
  it('lists the versions in force within datetime, every version without it', async () => {
    const url = `/api/areas/${renamed.id}/versions`
    const all = (await t.app.inject({ url, headers: admin.headers })).json()
    expect(all.versions.map((v: { version: number }) => v.version)).toEqual([1, 2])
    const before = (await t.app.inject({ url: `${url}?datetime=${BEFORE_EDITS}`, headers: admin.headers })).json()
    expect(before.versions.map((v: { version: number }) => v.version)).toEqual([1])
    const page = await items('fine-grids', datetime(BEFORE_EDITS))
    expect(before.versions[0].name).toBe(page.features.find((f) => f.id === renamed.id)!.properties.name)
    const none = await t.app.inject({ url: `${url}?datetime=2020-01-01`, headers: admin.headers })
    expect([none.statusCode, none.json().versions]).toEqual([200, []])
    expect((await t.app.inject({ url: `${url}?datetime=nope`, headers: admin.headers })).json().code).toBe('bad_datetime')
    expect((await t.app.inject({ url: '/api/areas/999999/versions?datetime=2025-06-01', headers: admin.headers })).statusCode).toBe(404)
  })
})

describe(`datetime on key persons: the period under management (${ENGINE_UNDER_TEST})`, () => {
  it('selects the persons registered by the end and not released before the start', async () => {
    const [spot] = await gridSpots(t, 1)
    const person = await registerPerson(t, admin, spot, { name: '时光某' })
    const ids = async (query: string) => (await items('key-persons', query, admin)).features.map((f) => f.id)
    expect(await ids('')).toContain(person.id)
    expect(await ids(datetime(BEFORE_EDITS))).not.toContain(person.id)
    expect(await ids(datetime(`${BEFORE_EDITS}/..`))).toContain(person.id)
    expect(await ids(datetime(new Date(Date.now() + 1000).toISOString()))).toContain(person.id)
    const bad = await t.app.inject({ url: '/api/collections/key-persons/items?datetime=x', headers: admin.headers })
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'bad_datetime'])
  })
})

describe(`datetime, filter and crs together (${ENGINE_UNDER_TEST})`, () => {
  it('selects the old version by name at a past date, answers it in CGCS2000 lat/lon, and keeps all three in the paging links', async () => {
    const query =
      datetime(BEFORE_EDITS) +
      `&filter=${encodeURIComponent(`name = '${renamed.oldName}' OR name = '${renamed.newName}'`)}` +
      `&crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/4490')}`
    const response = await t.app.inject({ url: `/api/collections/fine-grids/items?limit=1${query}`, headers: leader.headers })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.headers['content-crs']).toBe('<http://www.opengis.net/def/crs/EPSG/0/4490>')
    const page = response.json()
    expect(page.numberMatched).toBe(1)
    expect(page.features[0]).toMatchObject({ id: renamed.id, properties: { name: renamed.oldName, version: 1 } })
    const [first] = page.features[0].geometry.coordinates[0][0]
    expect(first[0]).toBeGreaterThan(25) // latitude first in EPSG:4490
    expect(first[0]).toBeLessThan(27)
    const self = new URL(page.links.find((link: { rel: string }) => link.rel === 'self').href)
    expect(self.searchParams.get('datetime')).toBe(BEFORE_EDITS)
    expect(self.searchParams.get('filter')).toContain(renamed.oldName)
    expect(self.searchParams.get('crs')).toBe('http://www.opengis.net/def/crs/EPSG/0/4490')
    const now = await items('fine-grids', `&filter=${encodeURIComponent(`name = '${renamed.oldName}' OR name = '${renamed.newName}'`)}`)
    expect(now.features.map((feature) => feature.properties.name)).toEqual([renamed.newName])
  })
})
