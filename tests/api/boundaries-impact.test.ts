import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { caseClient, hazardFeature } from '../support/cases.ts'
import { registerPerson, type GridSpot } from '../support/key-persons.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { ENGINE_UNDER_TEST } from '../support/test-database.ts'

let t: TestApp
let admin: TestUser
let dispatcher: TestUser
let leader: TestUser
let c: ReturnType<typeof caseClient>

const db = () => t.database.engine.db

beforeAll(async () => {
  t = await createTestApp()
  admin = await t.signIn('admin')
  dispatcher = await t.signIn('dispatcher')
  leader = await t.signIn('leader')
  c = caseClient(t)
})
afterAll(() => t?.close())

interface Pt {
  lon: number
  lat: number
}

/**
 * Two fine grids A and B of one base grid sharing an edge (longest shared
 * edge first), the edit that moves the edge 30 m into A (B takes the strip
 * of A within 30 m of it), and known points: `strip` in A 5–20 m from B
 * (moves to B), `deepA` in A over 60 m from B (stays), `inB` in B (stays).
 */
async function sharedEdge() {
  const { rows } = await sql<{
    a: number; b: number; base: number; village: number; va: number; vb: number
    new_a: string; new_b: string; strip: string; deep_a: string; in_b: string
  }>`
    WITH pairs AS (
      SELECT a.area_id AS a, b.area_id AS b, a.parent_id AS base, a.version AS va, b.version AS vb, a.geom AS ga, b.geom AS gb,
        ST_Length(ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom))::geography) AS shared
      FROM current_areas a JOIN current_areas b ON a.parent_id = b.parent_id AND a.area_id < b.area_id
      WHERE a.level = 'fine_grid' AND b.level = 'fine_grid' AND ST_Touches(a.geom, b.geom)
        AND ST_Area(a.geom::geography) > 200000 AND ST_Area(b.geom::geography) > 200000
      ORDER BY shared DESC LIMIT 1
    ), strip AS (
      SELECT p.*, ST_Intersection(p.ga, ST_Buffer(p.gb::geography, 30)::geometry) AS s FROM pairs p
    )
    SELECT s.a, s.b, s.base, (SELECT parent_id FROM current_areas WHERE area_id = s.base) AS village, s.va, s.vb,
      ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_Difference(s.ga, s.s), 3)), 9) AS new_a,
      ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_Union(s.gb, s.s), 3)), 9) AS new_b,
      ST_AsGeoJSON(ST_PointOnSurface(ST_Difference(ST_Intersection(s.ga, ST_Buffer(s.gb::geography, 20)::geometry), ST_Buffer(s.gb::geography, 5)::geometry)), 9) AS strip,
      ST_AsGeoJSON(ST_PointOnSurface(ST_Difference(s.ga, ST_Buffer(s.gb::geography, 60)::geometry)), 9) AS deep_a,
      ST_AsGeoJSON(ST_PointOnSurface(s.gb), 9) AS in_b
    FROM strip s`.execute(db())
  const row = rows[0]
  const point = (text: string): Pt => {
    const [lon, lat] = JSON.parse(text).coordinates as [number, number]
    return { lon, lat }
  }
  return {
    a: Number(row.a), b: Number(row.b), base: Number(row.base), village: Number(row.village), va: Number(row.va), vb: Number(row.vb),
    newA: JSON.parse(row.new_a), newB: JSON.parse(row.new_b),
    strip: point(row.strip), deepA: point(row.deep_a), inB: point(row.in_b),
  }
}

function spotAt(edge: Awaited<ReturnType<typeof sharedEdge>>, p: Pt, fineGridId: number): GridSpot {
  return { fineGridId, baseGridId: edge.base, villageId: edge.village, baseGridName: '', lon: p.lon, lat: p.lat }
}

async function hazardAt(p: Pt, properties: Record<string, unknown> = {}) {
  const response = await c.register(dispatcher, 'hazards', hazardFeature(p, properties))
  expect(response.statusCode, response.body).toBe(201)
  return response.json().properties as { id: number; version: number; fineGrid: { id: number; version: number } }
}

async function snapshot() {
  const { rows: versions } = await sql<{ n: number; open: number }>`
    SELECT count(*)::int AS n, count(*) FILTER (WHERE valid_to IS NULL)::int AS open FROM area_versions`.execute(db())
  const { rows: changes } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM boundary_changes`.execute(db())
  const { rows: cases } = await sql`SELECT id, status, version, base_grid_id, base_grid_version, fine_grid_id, fine_grid_version, updated_at
    FROM cases ORDER BY id`.execute(db())
  const { rows: persons } = await sql`SELECT id, version, base_grid_id, fine_grid_id, updated_at FROM key_persons ORDER BY id`.execute(db())
  return JSON.stringify({ versions, changes, cases, persons })
}

function impact(user: TestUser, payload: object) {
  return t.app.inject({ method: 'POST', url: '/api/boundaries/impact', headers: user.headers, payload })
}

describe(`boundary impact preview (${ENGINE_UNDER_TEST})`, () => {
  it('counts open cases and key persons that would change grid, estimates figures, and saves nothing', async () => {
    const edge = await sharedEdge()
    const stripCase = await hazardAt(edge.strip)
    expect(stripCase.fineGrid.id).toBe(edge.a)
    const stripCase2 = await hazardAt(edge.strip, { category: 'electrical' })
    const deepCase = await hazardAt(edge.deepA)
    const bCase = await hazardAt(edge.inB)
    expect(bCase.fineGrid.id).toBe(edge.b)
    // A closed (unfounded) case in the strip is not open: not counted.
    const rejected = await hazardAt(edge.strip)
    const reject = await c.act(dispatcher, 'hazards', rejected.id, 'reject', { reason: '现场无此情况' }, { 'if-match': `"${rejected.version}"` })
    expect(reject.statusCode, reject.body).toBe(200)

    const names = ['段某甲', '赵某乙', '尹某丙']
    await registerPerson(t, dispatcher, spotAt(edge, edge.strip, edge.a), { name: names[0], idNumber: '532901198001011111' })
    await registerPerson(t, dispatcher, spotAt(edge, edge.strip, edge.a), { name: names[1], idNumber: '532901198001012222', colour: 'green', category: 'elderly_alone' })
    const deepPerson = await registerPerson(t, dispatcher, spotAt(edge, edge.deepA, edge.a), { name: names[2], idNumber: '532901198001013333' })
    const worker = await t.signIn('grid_worker', { gridIds: [edge.a] })

    const before = await snapshot()
    const payload = { edit: { areas: [{ areaId: edge.a, geometry: edge.newA }, { areaId: edge.b, geometry: edge.newB }] } }
    const response = await impact(admin, payload)
    expect(response.statusCode, response.body).toBe(200)
    const body = response.json()
    expect(body.problems).toEqual([])

    const fine = body.cases.filter((entry: { level: string }) => entry.level === 'fine_grid')
    expect(fine).toHaveLength(1)
    expect(fine[0]).toMatchObject({ from: { id: edge.a }, to: { id: edge.b }, count: 2 })
    expect([...fine[0].caseIds].sort((x: number, y: number) => x - y)).toEqual([stripCase.id, stripCase2.id].sort((x, y) => x - y))
    const allCaseIds = body.cases.flatMap((entry: { caseIds: number[] }) => entry.caseIds)
    expect(allCaseIds).not.toContain(deepCase.id)
    expect(allCaseIds).not.toContain(bCase.id)
    expect(allCaseIds).not.toContain(rejected.id)

    expect(body.keyPersons).toEqual([{ level: 'fine_grid', from: expect.objectContaining({ id: edge.a }), to: expect.objectContaining({ id: edge.b }), count: 2 }])
    for (const entry of body.keyPersons) expect(Object.keys(entry).sort()).toEqual(['count', 'from', 'level', 'to'])
    const text = response.body
    for (const name of names) expect(text).not.toContain(name)
    for (const secret of ['532901198001011111', '13812345678', '喜洲镇某村某组']) expect(text).not.toContain(secret)
    expect(text).not.toMatch(/personId|keyPersonIds|"ids"/)
    expect(deepPerson.id).toBeGreaterThan(0)

    const load = body.workers.find((w: { kind: string; id: number }) => w.kind === 'user' && w.id === worker.id)
    expect(load.areaIds).toEqual([edge.a])
    expect(load.before.openCases - load.after.openCases).toBe(2)
    expect(load.before.keyPersons - load.after.keyPersons).toBe(2)
    expect(load.before.openCases).toBeGreaterThanOrEqual(3)
    expect(load.before.keyPersons).toBeGreaterThanOrEqual(3)
    expect(load.before.total).toBe(load.before.openCases + load.before.keyPersons)

    // Figures: what B gains, A loses (area-weighted, whole numbers, totals kept).
    const a = body.areas.find((area: { id: number }) => area.id === edge.a)
    const b = body.areas.find((area: { id: number }) => area.id === edge.b)
    expect(a.before.households + b.before.households).toBe(a.after.households + b.after.households)
    expect(a.before.population + b.before.population).toBe(a.after.population + b.after.population)
    expect(a.after.households).toBeLessThanOrEqual(a.before.households)
    expect(b.after.population).toBeGreaterThanOrEqual(b.before.population)
    const { rows: share } = await sql<{ f: number }>`
      SELECT ST_Area(ST_Difference(geom, ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(edge.newA)}), 4326))::geography) / ST_Area(geom::geography) AS f
      FROM current_areas WHERE area_id = ${edge.a}`.execute(db())
    expect(Math.abs(a.before.population - a.after.population - a.before.population * Number(share[0].f))).toBeLessThanOrEqual(1)

    // The changed parts for the map: the strip, in A and in B.
    expect(body.changes.type).toBe('FeatureCollection')
    const parts = new Map(body.changes.features.map((f: { properties: { areaId: number } }) => [f.properties.areaId, f]))
    expect([...parts.keys()].sort()).toEqual([edge.a, edge.b].sort())
    const partA = parts.get(edge.a) as { geometry: { type: string }; properties: { removedM2: number; addedM2: number } }
    const partB = parts.get(edge.b) as { properties: { removedM2: number; addedM2: number } }
    expect(partA.geometry.type).toMatch(/Polygon/)
    expect(partA.properties.removedM2).toBeGreaterThan(1000)
    expect(Math.abs(partA.properties.removedM2 - partB.properties.addedM2)).toBeLessThan(1)

    expect(await snapshot()).toBe(before)
    const recorded = (await c.get(admin, `/api/collections/hazards/items/${stripCase.id}`)).json().properties
    expect(recorded.fineGrid).toMatchObject({ id: edge.a, version: edge.va })

    // Read-only: a dispatcher may preview too; a leader may not.
    expect((await impact(dispatcher, payload)).statusCode).toBe(200)
    expect((await impact(leader, payload)).statusCode).toBe(403)
    expect(await snapshot()).toBe(before)
  })

  it('previews a merge and a split, and wants exactly one change', async () => {
    const edge = await sharedEdge()
    const before = await snapshot()
    const merge = await impact(admin, { merge: { areaIds: [edge.a, edge.b] } })
    expect(merge.statusCode, merge.body).toBe(200)
    const merged = merge.json()
    const created = merged.areas.find((area: { action: string }) => area.action === 'create')
    const retired = merged.areas.filter((area: { action: string }) => area.action === 'retire')
    expect(created.id).toBeLessThan(0)
    expect(retired.map((area: { id: number }) => area.id).sort()).toEqual([edge.a, edge.b].sort())
    const sum = (key: 'households' | 'population') => retired.reduce((acc: number, area: { before: Record<string, number> }) => acc + area.before[key], 0)
    expect(created.after).toEqual({ households: sum('households'), population: sum('population') })
    for (const entry of merged.cases) expect(entry.to.id).toBe(created.id)

    const { rows } = await sql<{ x0: number; x1: number; y: number }>`
      SELECT ST_XMin(geom) - 0.01 AS x0, ST_XMax(geom) + 0.01 AS x1, ST_Y(ST_Centroid(geom)) AS y FROM current_areas WHERE area_id = ${edge.a}`.execute(db())
    const line = { type: 'LineString', coordinates: [[Number(rows[0].x0), Number(rows[0].y)], [Number(rows[0].x1), Number(rows[0].y)]] }
    const split = await impact(admin, { split: { areaId: edge.a, line } })
    expect(split.statusCode, split.body).toBe(200)
    const pieces = split.json().areas.filter((area: { action: string }) => area.action === 'create')
    expect(pieces).toHaveLength(2)
    expect(split.json().changes.features.length).toBeGreaterThanOrEqual(3)

    expect((await impact(admin, { merge: { areaIds: [edge.a, edge.b] }, split: { areaId: edge.a, line } })).statusCode).toBe(400)
    expect((await impact(admin, {})).statusCode).toBe(400)
    expect(await snapshot()).toBe(before)
  })
})

describe(`history and grid lifecycle (${ENGINE_UNDER_TEST})`, () => {
  it('keeps the grid version a case was registered in after a boundary edit', async () => {
    const edge = await sharedEdge()
    const registered = await hazardAt(edge.strip)
    expect(registered.fineGrid).toMatchObject({ id: edge.a, version: edge.va })
    const save = await t.app.inject({
      method: 'PATCH', url: '/api/boundaries/batch', headers: admin.headers,
      payload: { reason: '村民小组调整', areas: [{ areaId: edge.a, ifMatch: edge.va, geometry: edge.newA }, { areaId: edge.b, ifMatch: edge.vb, geometry: edge.newB }] },
    })
    expect(save.statusCode, save.body).toBe(200)
    const { rows } = await sql<{ version: number }>`SELECT version FROM current_areas WHERE area_id = ${edge.a}`.execute(db())
    expect(Number(rows[0].version)).toBe(edge.va + 1)
    const after = await c.get(admin, `/api/collections/hazards/items/${registered.id}`)
    expect(after.statusCode).toBe(200)
    expect(after.json().properties.fineGrid).toMatchObject({ id: edge.a, version: edge.va })
    // A case registered now at the same point is in B's new version.
    const later = await hazardAt(edge.strip)
    expect(later.fineGrid).toMatchObject({ id: edge.b, version: edge.vb + 1 })
  })

  it('creates a grid in uncovered space of a base grid, then retires it into its neighbour', async () => {
    const { rows } = await sql<{ id: number; version: number; parent: number; holed: string; circle: string }>`
      SELECT c.area_id AS id, c.version, c.parent_id AS parent,
        ST_AsGeoJSON(ST_Multi(ST_Difference(c.geom, x.g)), 9) AS holed, ST_AsGeoJSON(x.g, 9) AS circle
      FROM current_areas c
      CROSS JOIN LATERAL (SELECT ST_Buffer(ST_PointOnSurface(c.geom)::geography, 15)::geometry AS g) x
      WHERE c.level = 'fine_grid' AND ST_Area(c.geom::geography) > 200000 AND ST_Contains(c.geom, ST_Buffer(x.g::geography, 20)::geometry)
      ORDER BY c.area_id DESC LIMIT 1`.execute(db())
    const host = { id: Number(rows[0].id), version: Number(rows[0].version), parent: Number(rows[0].parent) }
    const hole = await t.app.inject({
      method: 'PATCH', url: '/api/boundaries/batch', headers: admin.headers,
      payload: { reason: '划出学校专属网格', areas: [{ areaId: host.id, ifMatch: host.version, geometry: JSON.parse(rows[0].holed) }] },
    })
    expect(hole.statusCode, hole.body).toBe(200)
    expect(hole.json().warnings.map((w: { kind: string }) => w.kind)).toEqual(['gap'])

    const create = await t.app.inject({
      method: 'POST', url: '/api/boundaries/create', headers: admin.headers,
      payload: { parentId: host.parent, geometry: JSON.parse(rows[0].circle), name: '喜洲完小', kind: 'school', households: 0, population: 300, reason: '新建学校专属网格' },
    })
    expect(create.statusCode, create.body).toBe(200)
    const created = create.json().areas.find((a: { action: string }) => a.action === 'create')
    expect(created).toMatchObject({ level: 'fine_grid', name: '喜洲完小', version: 1 })
    expect(created.id).toBeGreaterThan(0)
    const { rows: made } = await sql<{ kind: string; population: number; parent_id: number }>`
      SELECT kind, population, parent_id FROM current_areas WHERE area_id = ${created.id}`.execute(db())
    expect(made[0]).toMatchObject({ kind: 'school', population: 300 })
    expect(Number(made[0].parent_id)).toBe(host.parent)
    const { rows: seqs } = await sql<{ seqs: number[] }>`SELECT array_agg(fine_seq ORDER BY fine_seq) AS seqs FROM current_areas WHERE parent_id = ${host.parent}`.execute(db())
    expect(seqs[0].seqs).toEqual(seqs[0].seqs.map((_, i) => i + 1))

    const { rows: hostNow } = await sql<{ version: number }>`SELECT version FROM current_areas WHERE area_id = ${host.id}`.execute(db())
    const retire = await t.app.inject({
      method: 'POST', url: '/api/boundaries/retire', headers: admin.headers,
      payload: { areaId: created.id, intoId: host.id, ifMatches: [1, Number(hostNow[0].version)], reason: '学校并回原网格' },
    })
    expect(retire.statusCode, retire.body).toBe(200)
    expect(retire.json().retired).toEqual([expect.objectContaining({ id: created.id, version: 1 })])
    const { rows: gone } = await sql<{ n: number; area: number; population: number }>`
      SELECT (SELECT count(*)::int FROM current_areas WHERE area_id = ${created.id}) AS n,
        (SELECT ST_Area(geom::geography) FROM current_areas WHERE area_id = ${host.id}) AS area,
        (SELECT population FROM current_areas WHERE area_id = ${host.id}) AS population`.execute(db())
    expect(gone[0].n).toBe(0)
    const { rows: original } = await sql<{ area: number; population: number }>`
      SELECT ST_Area(geom::geography) AS area, population FROM area_versions WHERE area_id = ${host.id} AND version = ${host.version}`.execute(db())
    expect(Math.abs(Number(gone[0].area) - Number(original[0].area))).toBeLessThan(1)
    expect(Number(gone[0].population)).toBe(Number(original[0].population) + 300)
    const lineage = (await t.app.inject({ url: '/api/boundaries/changes', headers: admin.headers })).json().changes
    expect(lineage.slice(0, 3).map((change: { kind: string }) => change.kind)).toEqual(['retire', 'create', 'edit'])
  })
})
