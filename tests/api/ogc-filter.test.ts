import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { caseClient, disputeFeature, gridPoints, hazardFeature, signInStation, type GridPoint } from '../support/cases.ts'
import { auditRows, gridSpots, registerPerson, type GridSpot } from '../support/key-persons.ts'

let t: TestApp
let c: ReturnType<typeof caseClient>
let users: Record<'leader' | 'dispatcher' | 'grid_worker' | 'admin' | 'station', TestUser>
let points: GridPoint[]
let spots: GridSpot[]
const hazards: Record<string, number> = {}

beforeAll(async () => {
  t = await createTestApp()
  c = caseClient(t)
  points = await gridPoints(t.database.engine.db)
  spots = await gridSpots(t, 3)
  users = {
    leader: await t.signIn('leader'),
    dispatcher: await t.signIn('dispatcher'),
    grid_worker: await t.signIn('grid_worker', { gridIds: [spots[0].baseGridId] }),
    admin: await t.signIn('admin'),
    station: await signInStation(t, 'police'),
  }
  const register = async (name: string, point: GridPoint, properties: Record<string, unknown>) => {
    const response = await c.register(users.dispatcher, 'hazards', hazardFeature(point, properties))
    expect(response.statusCode, response.body).toBe(201)
    hazards[name] = response.json().id
  }
  await register('fireOct', points[0], { reportedAt: '2025-10-15T08:00:00Z', severity: 'high', category: 'fire' })
  await register('fireNov', points[10], { reportedAt: '2025-11-01T00:00:00Z', severity: 'low', category: 'fire' })
  await register('floodNov', points[200], { reportedAt: '2025-11-20T12:30:00+08:00', severity: 'high', category: 'flood' })
  await register('floodDec', points[300], { reportedAt: '2025-12-02T09:00:00Z', severity: 'critical', category: 'flood', reporterName: '王某' })
  const dispute = await c.register(users.dispatcher, 'disputes', disputeFeature(points[5], [points[5].villageId], { tier: 'complex' }))
  expect(dispute.statusCode, dispute.body).toBe(201)
  await registerPerson(t, users.dispatcher, spots[0], { name: '张三', colour: 'red' })
  await registerPerson(t, users.dispatcher, spots[1], { name: '张四', colour: 'yellow', idNumber: '110101198001011234' })
  await registerPerson(t, users.dispatcher, spots[2], { name: '李五', colour: 'red' })
})
afterAll(() => t?.close())

function get(url: string, user: TestUser = users.dispatcher, headers: Record<string, string> = {}) {
  return t.app.inject({ url, headers: { ...user.headers, ...headers } })
}

/** Items matched by a filter (all pages' count), asserting a 200. */
async function matched(collection: string, filter: string, options: { lang?: string; user?: TestUser; extra?: string } = {}) {
  const params = new URLSearchParams({ filter, limit: '1000' })
  if (options.lang) params.set('filter-lang', options.lang)
  const response = await get(`/api/collections/${collection}/items?${params}${options.extra ?? ''}`, options.user)
  expect(response.statusCode, `${filter}: ${response.body}`).toBe(200)
  const body = response.json()
  expect(body.numberReturned).toBe(body.features.length)
  return { count: body.numberMatched as number, ids: body.features.map((f: { id: number }) => f.id).sort((a: number, b: number) => a - b) as number[], body }
}

async function sqlCount(query: ReturnType<typeof sql<{ n: number }>>): Promise<number> {
  const { rows } = await query.execute(t.database.engine.db)
  return Number(rows[0].n)
}

const ids = (...names: string[]) => names.map((name) => hazards[name]).sort((a, b) => a - b)

describe('Part 3 capabilities', () => {
  it('declares exactly the filter conformance classes it passes', async () => {
    const { conformsTo } = (await t.app.inject({ url: '/api/conformance' })).json()
    const part3 = conformsTo.filter((uri: string) => /ogcapi-features-3|cql2/.test(uri))
    expect(part3.sort()).toEqual([
      'http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators',
      'http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2',
      'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions',
      'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus',
      'http://www.opengis.net/spec/cql2/1.0/conf/cql2-json',
      'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
      'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter',
      'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
      'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables',
    ])
  })

  it('links every collection to its queryables, served as a JSON Schema', async () => {
    const { collections } = (await get('/api/collections')).json()
    for (const collection of collections) {
      const link = collection.links.find((l: { rel: string }) => l.rel === 'http://www.opengis.net/def/rel/ogc/1.0/queryables')
      expect(link, collection.id).toMatchObject({ type: 'application/schema+json' })
      const response = await get(new URL(link.href).pathname)
      expect(response.statusCode, response.body).toBe(200)
      expect(response.headers['content-type']).toMatch(/^application\/schema\+json/)
      const schema = response.json()
      expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: link.href, type: 'object', additionalProperties: false })
      expect(schema.properties.geometry.format).toMatch(/^geometry-(point|multipolygon)$/)
    }
  })

  it('describes types, formats, enums and titles (in the request language)', async () => {
    const zh = (await get('/api/collections/fine-grids/queryables')).json().properties
    expect(zh.code).toEqual({ title: '区划/网格编码', type: 'string' })
    expect(zh.kind).toEqual({ title: '网格类型', type: 'string', enum: ['standard', 'school', 'market', 'scenic', 'enterprise'] })
    expect(zh.validFrom).toEqual({ title: '生效时间', type: 'string', format: 'date-time' })
    expect(zh.households.type).toBe('integer')
    expect(zh.synthetic.type).toBe('boolean')
    const en = (await get('/api/collections/hazards/queryables', users.dispatcher, { 'accept-language': 'en' })).json().properties
    expect(en.severity).toEqual({ title: 'Severity', type: 'string', enum: ['low', 'medium', 'high', 'critical'] })
    expect(en.geometry).toEqual({ title: 'Location', format: 'geometry-point', 'x-ogc-role': 'primary-geometry' })
  })

  it('also lists them in the shape of the 2020 drafts, linked with rel "queryables" (GDAL 3.6 reads only that)', async () => {
    const collection = (await get('/api/collections/hazards')).json()
    const link = collection.links.find((l: { rel: string }) => l.rel === 'queryables')
    expect(link).toMatchObject({ type: 'application/json' })
    const response = await get(new URL(link.href).pathname + new URL(link.href).search, users.dispatcher, { 'accept-language': 'en' })
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    const { queryables } = response.json()
    expect(queryables).toContainEqual({ id: 'severity', type: 'string', title: 'Severity' })
    expect(queryables.map((q: { id: string }) => q.id)).toEqual(Object.keys((await get('/api/collections/hazards/queryables')).json().properties))
    expect((await get('/api/collections/key-persons/queryables?f=draft', users.leader)).statusCode).toBe(403)
  })

  it('answers 404 for the queryables of an unknown collection', async () => {
    expect((await get('/api/collections/rivers/queryables')).statusCode).toBe(404)
  })
})

describe('filters on the area collections match the equivalent SQL', () => {
  it('compares, LIKE, IN, BETWEEN, IS NULL, NOT', async () => {
    const cases: Array<[string, string, ReturnType<typeof sql<{ n: number }>>]> = [
      ['villages', "name LIKE '%城%村' OR population > 4700", sql`SELECT count(*) AS n FROM current_areas WHERE level = 'village' AND (name LIKE '%城%村' OR population > 4700)`],
      ['fine-grids', "kind IN ('school', 'market')", sql`SELECT count(*) AS n FROM current_areas WHERE level = 'fine_grid' AND kind IN ('school', 'market')`],
      ['fine-grids', "NOT kind = 'standard'", sql`SELECT count(*) AS n FROM current_areas WHERE level = 'fine_grid' AND kind <> 'standard'`],
      ['base-grids', 'households BETWEEN 100 AND 300', sql`SELECT count(*) AS n FROM current_areas WHERE level = 'base_grid' AND households BETWEEN 100 AND 300`],
      ['fine-grids', 'nameEn IS NOT NULL AND synthetic = TRUE AND households < 60', sql`SELECT count(*) AS n FROM current_areas WHERE level = 'fine_grid' AND name_en IS NOT NULL AND synthetic AND households < 60`],
    ]
    for (const [collection, filter, equivalent] of cases) {
      const expected = await sqlCount(equivalent)
      const { count, body } = await matched(collection, filter)
      expect(count, filter).toBe(expected)
      // Each filter selects a proper, non-empty subset of the sample township, or the comparison proves little.
      const all = (await get(`/api/collections/${collection}/items?limit=1`)).json().numberMatched
      expect(count, filter).toBeGreaterThan(0)
      expect(count, filter).toBeLessThan(all)
      expect(body.features.length).toBe(Math.min(count, 1000))
    }
  })

  it('filters base grids by their parent code, and pages with the filter kept in the links', async () => {
    const village = (await sql<{ area_id: number; code: string }>`SELECT area_id, code FROM current_areas WHERE level = 'village' ORDER BY code LIMIT 1`.execute(t.database.engine.db)).rows[0]
    const expected = await sqlCount(sql`SELECT count(*) AS n FROM current_areas WHERE level = 'base_grid' AND parent_id = ${village.area_id}`)
    expect(expected).toBeGreaterThan(1)
    const filter = `parentCode = '${village.code}'`
    const first = await get(`/api/collections/base-grids/items?filter=${encodeURIComponent(filter)}&limit=1`)
    const body = first.json()
    expect(body.numberMatched).toBe(expected)
    const next = body.links.find((l: { rel: string }) => l.rel === 'next')
    expect(new URL(next.href).searchParams.get('filter')).toBe(filter)
    const second = (await get(new URL(next.href).pathname + new URL(next.href).search)).json()
    expect(second.numberMatched).toBe(expected)
    expect(second.features[0].properties.parentCode).toBe(village.code)
  })

  it('S_INTERSECTS with WKT, BBOX and GeoJSON (cql2-json) literals', async () => {
    const point = points[42]
    const wkt = `S_INTERSECTS(geometry, POINT(${point.lon} ${point.lat}))`
    expect((await matched('fine-grids', wkt)).ids).toEqual([point.fineGridId])
    expect((await matched('villages', wkt)).ids).toEqual([point.villageId])
    const bbox = [100.1, 25.84, 100.14, 25.86]
    const expected = await sqlCount(sql`SELECT count(*) AS n FROM current_areas WHERE level = 'village' AND ST_Intersects(geom, ST_MakeEnvelope(${bbox[0]}, ${bbox[1]}, ${bbox[2]}, ${bbox[3]}, 4326))`)
    expect(expected).toBeGreaterThan(0)
    expect((await matched('villages', `S_INTERSECTS(geometry, BBOX(${bbox.join(', ')}))`)).count).toBe(expected)
    const polygon = { type: 'Polygon', coordinates: [[[bbox[0], bbox[1]], [bbox[2], bbox[1]], [bbox[2], bbox[3]], [bbox[0], bbox[3]], [bbox[0], bbox[1]]]] }
    const json = JSON.stringify({ op: 's_intersects', args: [{ property: 'geometry' }, polygon] })
    expect((await matched('villages', json, { lang: 'cql2-json' })).count).toBe(expected)
    // filter and bbox together: both apply.
    const both = await matched('villages', `S_INTERSECTS(geometry, BBOX(${bbox.join(', ')}))`, { extra: `&bbox=${point.lon - 0.0001},${point.lat - 0.0001},${point.lon + 0.0001},${point.lat + 0.0001}` })
    expect(both.count).toBeLessThanOrEqual(1)
  })

  it('T_INTERSECTS and comparisons on validFrom', async () => {
    const total = await sqlCount(sql`SELECT count(*) AS n FROM current_areas WHERE level = 'village'`)
    const latest = (await sql<{ at: Date }>`SELECT max(valid_from) AS at FROM current_areas WHERE level = 'village'`.execute(t.database.engine.db)).rows[0].at
    const after = new Date(new Date(latest).getTime() + 1000).toISOString()
    expect((await matched('villages', `T_INTERSECTS(validFrom, INTERVAL('..', '${after}'))`)).count).toBe(total)
    expect((await matched('villages', `T_INTERSECTS(validFrom, INTERVAL('${after}', '..'))`)).count).toBe(0)
    expect((await matched('villages', `validFrom <= TIMESTAMP('${after}')`)).count).toBe(total)
    expect((await matched('villages', `T_INTERSECTS(validFrom, TIMESTAMP('${new Date(latest).toISOString()}'))`)).count).toBeGreaterThan(0)
  })
})

describe('filters on hazards and disputes', () => {
  it('selects the hazards the equivalent condition selects', async () => {
    expect((await matched('hazards', "category = 'fire'")).ids).toEqual(ids('fireOct', 'fireNov'))
    expect((await matched('hazards', "severity IN ('high', 'critical') AND NOT category = 'fire'")).ids).toEqual(ids('floodNov', 'floodDec'))
    expect((await matched('hazards', "T_INTERSECTS(reportedAt, INTERVAL('2025-11-01', '2025-11-30'))")).ids).toEqual(ids('fireNov', 'floodNov'))
    expect((await matched('hazards', "reportedAt > TIMESTAMP('2025-11-01T00:00:00Z')")).ids).toEqual(ids('floodNov', 'floodDec'))
    expect((await matched('hazards', "reportedAt >= DATE('2025-11-01')")).ids).toEqual(ids('fireNov', 'floodNov', 'floodDec'))
    expect((await matched('hazards', "reporterName LIKE '王%'")).ids).toEqual(ids('floodDec'))
    expect((await matched('hazards', "deadlineState <> 'done' AND closedAt IS NULL")).ids).toEqual(ids('fireOct', 'fireNov', 'floodNov', 'floodDec'))
    const json = JSON.stringify({ op: 'and', args: [{ op: '=', args: [{ property: 'category' }, 'flood'] }, { op: '<', args: [{ property: 'reportedAt' }, { timestamp: '2025-12-01T00:00:00Z' }] }] })
    expect((await matched('hazards', json, { lang: 'cql2-json' })).ids).toEqual(ids('floodNov'))
  })

  it('combines the filter with the collection\'s own parameters', async () => {
    expect((await matched('hazards', "category = 'flood'", { extra: '&severity=high' })).ids).toEqual(ids('floodNov'))
  })

  it('filters disputes on their own properties', async () => {
    expect((await matched('disputes', "tier = 'complex' AND status = 'registered'")).count).toBe(1)
    expect((await matched('disputes', "tier = 'major'")).count).toBe(0)
  })

  it('reads cql-text (the draft name GDAL 3.6 sends) as cql2-text', async () => {
    expect((await matched('hazards', "(category = 'fire') AND (severity = 'low')", { lang: 'cql-text' })).ids).toEqual(ids('fireNov'))
  })
})

describe('bad filters answer 400 with the position and what was expected, changing nothing', () => {
  it('a syntax error, in Chinese by default and in English on request', async () => {
    const url = `/api/collections/hazards/items?filter=${encodeURIComponent("category = 'fire' AND")}`
    const zh = await get(url)
    expect(zh.statusCode).toBe(400)
    expect(zh.json()).toMatchObject({ code: 'cql2_syntax' })
    expect(zh.json().message).toBe('filter 语法错误（第 22 个字符处）：应为 a property name or a literal (string, number, TRUE/FALSE, TIMESTAMP, DATE)，实际为 the end of the filter')
    const en = await get(url, users.dispatcher, { 'accept-language': 'en' })
    expect(en.json().message).toBe('filter syntax error at character 22: expected a property name or a literal (string, number, TRUE/FALSE, TIMESTAMP, DATE), found the end of the filter')
  })

  it.each([
    ["severity = 3", 'cql2_type_mismatch'],
    ["nosuch = 'x'", 'cql2_unknown_queryable'],
    ["reportedAt > DATE('2025-13-01')", 'cql2_bad_literal'],
    ['S_INTERSECTS(geometry, POLYGON((100 25, 101 25, 100 25)))', 'cql2_bad_geometry'],
  ])('%s → %s', async (filter, code) => {
    const response = await get(`/api/collections/hazards/items?filter=${encodeURIComponent(filter)}`)
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe(code)
  })

  it('an unknown filter-lang or filter-crs, naming what is supported', async () => {
    const lang = await get("/api/collections/villages/items?filter=code%3D'1'&filter-lang=ecql", users.dispatcher, { 'accept-language': 'en' })
    expect(lang.statusCode).toBe(400)
    expect(lang.json().message).toBe('Unsupported filter-lang "ecql". Supported: cql2-text, cql2-json, cql-text')
    const crs = await get("/api/collections/villages/items?filter=code%3D'1'&filter-crs=http://www.opengis.net/def/crs/EPSG/0/4490")
    expect(crs.statusCode).toBe(400)
    expect(crs.json().code).toBe('cql2_bad_filter_crs')
    expect((await get("/api/collections/villages/items?filter=code%3D'1'&filter-crs=http://www.opengis.net/def/crs/OGC/1.3/CRS84")).statusCode).toBe(200)
  })

  it('injection attempts stay literals or syntax errors, and the data is intact', async () => {
    const before = await sqlCount(sql`SELECT count(*) AS n FROM cases`)
    for (const filter of ["category = 'x'' OR ''1''=''1'", "category = 'fire'; DELETE FROM cases", "category = 'fire' -- ", "\"category\" = 'fire') OR (1=1", "\"category = 'x' OR TRUE --\" = 'y'"]) {
      const response = await get(`/api/collections/hazards/items?filter=${encodeURIComponent(filter)}`)
      if (response.statusCode === 200) expect(response.json().numberMatched, filter).toBe(0)
      else expect(response.statusCode, filter).toBe(400)
    }
    const json = JSON.stringify({ op: '=', args: [{ property: 'category) OR (1=1' }, 'x'] })
    expect((await get(`/api/collections/hazards/items?filter-lang=cql2-json&filter=${encodeURIComponent(json)}`)).json().code).toBe('cql2_unknown_queryable')
    expect(await sqlCount(sql`SELECT count(*) AS n FROM cases`)).toBe(before)
  })
})

describe('the same permission rules as the items', () => {
  const PERSONAL = ['idNumber', 'phone', 'address', 'birthYear', 'household']

  it('key-person queryables: identity roles see only unmasked properties, counts-only roles get the items\' 403', async () => {
    for (const role of ['admin', 'dispatcher', 'grid_worker'] as const) {
      const response = await get('/api/collections/key-persons/queryables', users[role])
      expect(response.statusCode, role).toBe(200)
      const names = Object.keys(response.json().properties)
      expect(names, role).toEqual(expect.arrayContaining(['geometry', 'name', 'colour', 'status', 'visitState']))
      for (const field of PERSONAL) expect(names, `${role} ${field}`).not.toContain(field)
    }
    for (const role of ['leader', 'station'] as const) {
      const items = await get('/api/collections/key-persons/items', users[role])
      const queryables = await get('/api/collections/key-persons/queryables', users[role])
      const filtered = await get(`/api/collections/key-persons/items?filter=${encodeURIComponent("name LIKE '张%'")}`, users[role])
      expect(items.statusCode, role).toBe(403)
      expect(queryables.statusCode, role).toBe(403)
      expect(filtered.statusCode, role).toBe(403)
      expect(queryables.json().code).toBe(items.json().code)
      expect(filtered.json().code).toBe(items.json().code)
    }
  })

  it('a masked field answers "unknown queryable" exactly like a field that does not exist', async () => {
    for (const role of ['admin', 'dispatcher', 'grid_worker'] as const) {
      for (const field of ['idNumber', 'phone', 'address', 'birthYear']) {
        const hidden = await get(`/api/collections/key-persons/items?filter=${encodeURIComponent(`${field} LIKE '1%'`)}`, users[role])
        const missing = await get(`/api/collections/key-persons/items?filter=${encodeURIComponent("zzzzzzz LIKE '1%'")}`, users[role])
        expect(hidden.statusCode, `${role} ${field}`).toBe(400)
        expect(hidden.json().code).toBe('cql2_unknown_queryable')
        expect(hidden.json().message.replace(field, 'X')).toBe(missing.json().message.replace('zzzzzzz', 'X'))
      }
    }
    for (const role of ['leader', 'dispatcher', 'station', 'grid_worker', 'admin'] as const) {
      const phone = await get(`/api/collections/hazards/items?filter=${encodeURIComponent("reporterPhone LIKE '138%'")}`, users[role])
      expect(phone.statusCode, role).toBe(400)
      expect(phone.json().code, role).toBe('cql2_unknown_queryable')
      const names = Object.keys((await get('/api/collections/hazards/queryables', users[role])).json().properties)
      expect(names, role).not.toContain('reporterPhone')
    }
  })

  it('a filter narrows only what the role may read, and key-person filters are audited', async () => {
    expect((await matched('key-persons', "name LIKE '张%'", { user: users.dispatcher })).count).toBe(2)
    expect((await matched('key-persons', "name LIKE '张%'", { user: users.grid_worker })).count).toBe(1)
    expect((await matched('key-persons', "colour = 'red'", { user: users.admin })).count).toBe(2)
    const grid = await matched('hazards', "category = 'fire' OR category = 'flood'", { user: users.grid_worker })
    const scoped = await matched('hazards', 'TRUE', { user: users.grid_worker })
    expect(grid.ids).toEqual(scoped.ids)
    const entry = (await auditRows(t)).find((row) => row.action === 'list' && row.username === users.admin.username)
    expect(entry).toBeDefined()
    const { rows } = await sql<{ detail: { cql2?: string } }>`SELECT detail FROM audit_log WHERE id = ${entry!.id}`.execute(t.database.engine.db)
    expect(rows[0].detail.cql2).toBe("colour = 'red'")
  })

  it('key persons are found by the point they are shown at, never by the exact household', async () => {
    const feature = (await matched('key-persons', "name = '李五'")).body.features[0]
    const [lon, lat] = feature.geometry.coordinates
    const near = (x: number, y: number) => `S_INTERSECTS(geometry, BBOX(${x - 0.00001}, ${y - 0.00001}, ${x + 0.00001}, ${y + 0.00001}))`
    expect((await matched('key-persons', `${near(lon, lat)} AND name = '李五'`)).count).toBe(1)
    const { rows } = await sql<{ lon: number; lat: number }>`SELECT ST_X(household_geom) AS lon, ST_Y(household_geom) AS lat FROM key_persons WHERE name = '李五'`.execute(t.database.engine.db)
    const exact = rows[0]
    // The household here sits at the fine grid's point on surface, which is where it is shown; move it to
    // another point of the same fine grid so the exact and shown points differ.
    const moved = (await sql<{ lon: number; lat: number }>`SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
        SELECT ST_Centroid(ST_Buffer(ST_PointOnSurface(geom)::geography, 3)::geometry) AS p, geom FROM current_areas WHERE area_id = ${spots[2].fineGridId}) s`.execute(t.database.engine.db)).rows[0]
    await sql`UPDATE key_persons SET household_geom = ST_SetSRID(ST_MakePoint(${moved.lon + 0.00002}, ${moved.lat}), 4326) WHERE name = '李五'`.execute(t.database.engine.db)
    expect((await matched('key-persons', `${near(moved.lon + 0.00002, moved.lat)} AND name = '李五'`)).count).toBe(0)
    expect((await matched('key-persons', `${near(lon, lat)} AND name = '李五'`)).count).toBe(1)
    expect(exact.lon).toBeCloseTo(lon, 6)
  })
})
