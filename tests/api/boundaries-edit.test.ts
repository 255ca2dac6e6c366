import { readFileSync } from 'node:fs'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { ENGINE_UNDER_TEST } from '../support/test-database.ts'
import { ROOT } from '../setup/template.ts'

type Position = [number, number]
type Coords = Position[][][]

let t: TestApp
let admin: TestUser
let leader: TestUser

beforeAll(async () => {
  t = await createTestApp()
  admin = await t.signIn('admin')
  leader = await t.signIn('leader')
})
afterAll(() => t?.close())

function fixture(name: string) {
  return JSON.parse(readFileSync(`${ROOT}tests/fixtures/boundaries/${name}`, 'utf8'))
}

const db = () => t.database.engine.db

async function feature(collection: string, id: number) {
  const response = await t.app.inject({ url: `/api/collections/${collection}/items/${id}`, headers: admin.headers })
  expect(response.statusCode).toBe(200)
  return { body: response.json(), etag: String(response.headers.etag) }
}

/**
 * A vertex shared by two or more fine grids of one base grid (usually a
 * triple point), off the base grid's outline, where every edge leaving it is
 * shared exactly (no T-junction), so moving it in every owner keeps the
 * tiling: `a`, `b` are two of its owners, `owners` all of them.
 */
async function sharedVertexPair() {
  const { rows } = await sql<{ id: number; g: string; parent: number; pg: string }>`
    SELECT c.area_id AS id, ST_AsGeoJSON(c.geom, 9) AS g, c.parent_id AS parent, ST_AsGeoJSON(p.geom, 9) AS pg
    FROM current_areas c JOIN current_areas p ON p.area_id = c.parent_id
    WHERE c.level = 'fine_grid' ORDER BY c.parent_id, c.area_id`.execute(db())
  const key = (p: Position) => `${p[0]},${p[1]}`
  const parents = [...new Set(rows.map((row) => Number(row.parent)))]
  for (const parent of parents) {
    const mine = rows.filter((row) => Number(row.parent) === parent)
    const grids = mine.map((row) => ({ id: Number(row.id), coords: JSON.parse(row.g).coordinates as Coords }))
    const vertexSets = grids.map((grid) => new Set(grid.coords.flat(2).map(key)))
    const parentVertices = new Set((JSON.parse(mine[0].pg).coordinates as Coords).flat(2).map(key))
    const owners = new Map<string, number[]>()
    vertexSets.forEach((set, index) => set.forEach((k) => owners.set(k, [...(owners.get(k) ?? []), index])))
    for (const [k, list] of owners) {
      if (list.length < 2 || parentVertices.has(k)) continue
      const ok = list.every((index) => {
        const ring = grids[index].coords[0][0]
        const at = ring.findIndex((p) => key(p) === k)
        if (at <= 0 || at >= ring.length - 1) return false
        return [ring[at - 1], ring[at + 1]].every((q) => list.some((other) => other !== index && vertexSets[other].has(key(q))))
      })
      if (!ok) continue
      const [lon, lat] = k.split(',').map(Number)
      const { rows: near } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM current_areas c WHERE c.level IN ('fine_grid', 'base_grid', 'village', 'town')
        AND ST_DWithin(ST_Boundary(c.geom), ST_SetSRID(ST_MakePoint(${lon}::float8, ${lat}::float8), 4326), 1e-9)`.execute(db())
      if (Number(near[0].n) !== list.length) continue
      const [a, b] = list.map((index) => grids[index])
      return { a: a.id, b: b.id, aCoords: a.coords, bCoords: b.coords, vertex: [lon, lat] as Position, parent, owners: list.map((index) => grids[index]) }
    }
  }
  throw new Error('no shared vertex found')
}

function moveVertex(coords: Coords, from: Position, to: Position): Coords {
  return coords.map((polygon) => polygon.map((ring) => ring.map((p) => (p[0] === from[0] && p[1] === from[1] ? to : p))))
}

function patch(collection: string, id: number, body: unknown, headers: Record<string, string>) {
  return t.app.inject({ method: 'PATCH', url: `/api/collections/${collection}/items/${id}`, headers: { ...admin.headers, ...headers }, payload: body as object })
}

describe(`boundary validation and input hygiene (${ENGINE_UNDER_TEST})`, () => {
  it('refuses every malformed geometry with 400 and a precise reason', async () => {
    const pair = await sharedVertexPair()
    for (const item of fixture('invalid-inputs.geojson').features) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/boundaries/validate',
        headers: { ...admin.headers, 'accept-language': 'en' },
        payload: { areas: [{ areaId: pair.a, geometry: item.geometry }] },
      })
      expect(response.statusCode, item.properties.case).toBe(400)
      expect(response.json().reason, item.properties.case).toBe(item.properties.reason)
      expect(response.json().problems[0].message.length, item.properties.case).toBeGreaterThan(5)
    }
  })

  it('answers NaN/Infinity as invalid JSON (400) and a huge vertex count with 400', async () => {
    const pair = await sharedVertexPair()
    const nan = await t.app.inject({
      method: 'POST', url: '/api/boundaries/validate', headers: { ...admin.headers, 'content-type': 'application/json' },
      payload: `{"areas":[{"areaId":${pair.a},"geometry":{"type":"Polygon","coordinates":[[[NaN,25.8],[100.1,25.8],[100.1,25.81],[NaN,25.8]]]}}]}`,
    })
    expect(nan.statusCode).toBe(400)
    const huge = await t.app.inject({
      method: 'POST', url: '/api/boundaries/validate', headers: { ...admin.headers, 'content-type': 'application/json' },
      payload: `{"areas":[{"areaId":${pair.a},"geometry":{"type":"Polygon","coordinates":[[[1e400,25.8],[100.1,25.8],[100.1,25.81],[100.2,25.8]]]}}]}`,
    })
    expect(huge.json().reason).toBe('geometry_not_number')
    const ring: Position[] = Array.from({ length: 20_001 }, (_, i) => [100.1 + 0.001 * Math.cos(i), 25.8 + 0.001 * Math.sin(i)] as Position)
    ring.push(ring[0])
    const many = await t.app.inject({ method: 'POST', url: '/api/boundaries/validate', headers: admin.headers, payload: { areas: [{ areaId: pair.a, geometry: { type: 'Polygon', coordinates: [ring] } }] } })
    expect(many.statusCode).toBe(400)
    expect(many.json().reason).toBe('geometry_too_many_vertices')
  })

  it('accepts the current geometry as a Polygon in clockwise winding, normalising it', async () => {
    const pair = await sharedVertexPair()
    const polygon = pair.aCoords[0].map((ring) => [...ring].reverse())
    const response = await t.app.inject({
      method: 'POST', url: '/api/boundaries/validate', headers: admin.headers,
      payload: { areas: [{ areaId: pair.a, geometry: { type: 'Polygon', coordinates: polygon } }] },
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toMatchObject({ valid: true, problems: [], warnings: [] })
    expect(response.json().normalised[String(pair.a)]).toEqual(['multi', 'winding'])
  })

  it('reports overlap with a sibling and the gap left, with tolerances just under and over', async () => {
    const pair = await sharedVertexPair()
    const centroid = pair.bCoords[0][0].slice(0, -1).reduce((acc, p, _, all) => [acc[0] + p[0] / all.length, acc[1] + p[1] / all.length], [0, 0])
    const to: Position = [pair.vertex[0] + (centroid[0] - pair.vertex[0]) * 0.05, pair.vertex[1] + (centroid[1] - pair.vertex[1]) * 0.05]
    const geometry = { type: 'MultiPolygon', coordinates: moveVertex(pair.aCoords, pair.vertex, to) }
    const strict = await t.app.inject({ method: 'POST', url: '/api/boundaries/validate', headers: admin.headers, payload: { areas: [{ areaId: pair.a, geometry }], toleranceM2: 0 } })
    const overlap = strict.json().problems.find((p: { kind: string }) => p.kind === 'overlap')
    expect(overlap).toMatchObject({ areaId: pair.a, otherId: pair.b })
    expect(overlap.geometry.type).toMatch(/Polygon/)
    expect(overlap.areaM2).toBeGreaterThan(1)
    const under = await t.app.inject({ method: 'POST', url: '/api/boundaries/validate', headers: admin.headers, payload: { areas: [{ areaId: pair.a, geometry }], toleranceM2: overlap.areaM2 * 0.99 } })
    expect(under.json().problems.map((p: { kind: string }) => p.kind)).toContain('overlap')
    const over = await t.app.inject({ method: 'POST', url: '/api/boundaries/validate', headers: admin.headers, payload: { areas: [{ areaId: pair.a, geometry }], toleranceM2: overlap.areaM2 * 1.01 } })
    expect(over.json().problems).toEqual([])

    const save = await patch('fine-grids', pair.a, { geometry }, { 'if-match': (await feature('fine-grids', pair.a)).etag, 'x-change-reason': 'test' })
    expect(save.statusCode).toBe(422)
    expect(save.json().code).toBe('boundary_rejected')

    const away: Position = [pair.vertex[0] - (centroid[0] - pair.vertex[0]) * 0.05, pair.vertex[1] - (centroid[1] - pair.vertex[1]) * 0.05]
    const shrunk = { type: 'MultiPolygon', coordinates: moveVertex(pair.aCoords, pair.vertex, away) }
    const gap = await t.app.inject({ method: 'POST', url: '/api/boundaries/validate', headers: admin.headers, payload: { areas: [{ areaId: pair.a, geometry: shrunk }] } })
    expect(gap.json().warnings.map((w: { kind: string }) => w.kind)).toEqual(['gap'])
    expect(gap.json().warnings[0].areaId).toBe(pair.parent)
  })

  it('reports spill-over outside the parent (422 on save)', async () => {
    const { rows } = await sql<{ id: number; g: string }>`SELECT c.area_id AS id, ST_AsGeoJSON(ST_Buffer(c.geom::geography, 30)::geometry, 9) AS g
      FROM current_areas c, current_areas t WHERE c.level = 'fine_grid' AND t.level = 'town'
        AND NOT ST_DWithin(c.geom::geography, ST_Boundary(t.geom)::geography, 200) ORDER BY c.area_id LIMIT 1`.execute(db())
    const pair = { a: Number(rows[0].id) }
    const response = await t.app.inject({ method: 'POST', url: '/api/boundaries/validate', headers: admin.headers, payload: { areas: [{ areaId: pair.a, geometry: JSON.parse(rows[0].g) }] } })
    expect(response.statusCode, response.body).toBe(200)
    const kinds = response.json().problems.map((p: { kind: string }) => p.kind)
    expect(kinds).toContain('outside_parent')
    expect(kinds).toContain('overlap')
  })
})

describe(`versioned boundary edits (${ENGINE_UNDER_TEST})`, () => {
  it('needs admin, If-Match (428) and a reason', async () => {
    const pair = await sharedVertexPair()
    const current = await feature('fine-grids', pair.a)
    const body = { properties: { name: '改名' } }
    expect((await t.app.inject({ method: 'PATCH', url: `/api/collections/fine-grids/items/${pair.a}`, headers: { ...leader.headers, 'if-match': current.etag, 'x-change-reason': 'x' }, payload: body })).statusCode).toBe(403)
    expect((await patch('fine-grids', pair.a, body, { 'x-change-reason': 'x' })).statusCode).toBe(428)
    expect((await patch('fine-grids', pair.a, body, { 'if-match': current.etag })).json().code).toBe('boundary_reason_required')
    expect((await patch('base-grids', pair.a, body, { 'if-match': current.etag, 'x-change-reason': 'x' })).statusCode).toBe(404)
  })

  it('moves a shared vertex in every neighbour in one batch; the closed version keeps its geometry and cannot be changed', async () => {
    const pair = await sharedVertexPair()
    const fa = await feature('fine-grids', pair.a)
    const to: Position = [pair.vertex[0] + 0.00003, pair.vertex[1] + 0.00002]
    const before = await sql<{ g: string }>`SELECT ST_AsGeoJSON(geom, 9) AS g FROM area_versions WHERE area_id = ${pair.a} AND version = ${Number(JSON.parse(fa.etag))}`.execute(db())
    const areas = []
    for (const owner of pair.owners) {
      const current = await feature('fine-grids', owner.id)
      areas.push({ areaId: owner.id, ifMatch: Number(JSON.parse(current.etag)), geometry: { type: 'MultiPolygon', coordinates: moveVertex(owner.coords, pair.vertex, to) } })
    }
    const response = await t.app.inject({ method: 'PATCH', url: '/api/boundaries/batch', headers: admin.headers, payload: { reason: '村民小组调整', areas } })
    expect(response.statusCode, response.body).toBe(200)
    const result = response.json()
    expect(result).toMatchObject({ valid: true, problems: [], warnings: [] })
    expect(result.areas.map((a: { id: number; version: number }) => a.id).sort()).toEqual(pair.owners.map((o) => o.id).sort())
    expect(result.changeId).toBeGreaterThan(0)
    // Overlap and gap checks over the whole base grid pass after the move.
    const { rows: overlaps } = await sql`SELECT 1 FROM current_areas a JOIN current_areas b ON a.parent_id = b.parent_id AND a.area_id < b.area_id
      WHERE a.parent_id = ${pair.parent} AND ST_Area(ST_Intersection(a.geom, b.geom)::geography) > 1`.execute(db())
    expect(overlaps).toEqual([])
    const after = await feature('fine-grids', pair.a)
    expect(after.etag).toBe(`"${Number(JSON.parse(fa.etag)) + 1}"`)
    expect(JSON.stringify(after.body.geometry)).toContain(`${to[0]}`)
    const old = await sql<{ g: string; valid_to: Date | null }>`SELECT ST_AsGeoJSON(geom, 9) AS g, valid_to FROM area_versions WHERE area_id = ${pair.a} AND version = ${Number(JSON.parse(fa.etag))}`.execute(db())
    expect(old.rows[0].g).toBe(before.rows[0].g)
    expect(old.rows[0].valid_to).not.toBeNull()
    const versions = (await t.app.inject({ url: `/api/areas/${pair.a}/versions`, headers: admin.headers })).json().versions
    expect(versions.at(-1)).toMatchObject({ changedBy: admin.username, changeReason: '村民小组调整', validTo: null })
    await expect(sql`UPDATE area_versions SET name = 'x' WHERE area_id = ${pair.a} AND version = 1`.execute(db())).rejects.toThrow()
    const changes = (await t.app.inject({ url: '/api/boundaries/changes', headers: leader.headers })).json()
    expect(changes.changes[0]).toMatchObject({ kind: 'batch', reason: '村民小组调整' })
    expect(changes.changes[0].versions).toHaveLength(pair.owners.length)
  })

  it('answers 412 with the current Feature when stale, and applies nothing of a batch whose second area is stale', async () => {
    const pair = await sharedVertexPair()
    const fa = await feature('fine-grids', pair.a)
    const stale = await patch('fine-grids', pair.a, { properties: { name: '过期' } }, { 'if-match': '"999"', 'x-change-reason': 'x' })
    expect(stale.statusCode).toBe(412)
    expect(stale.json().current.geometry.type).toBe('MultiPolygon')
    expect(stale.json().currentVersion).toBe(Number(JSON.parse(fa.etag)))
    const fb = await feature('fine-grids', pair.b)
    const to: Position = [pair.vertex[0] - 0.00002, pair.vertex[1]]
    const batch = await t.app.inject({
      method: 'PATCH', url: '/api/boundaries/batch', headers: admin.headers,
      payload: {
        reason: 'x',
        areas: [
          { areaId: pair.a, ifMatch: Number(JSON.parse(fa.etag)), properties: { name: '先改的' } },
          { areaId: pair.b, ifMatch: Number(JSON.parse(fb.etag)) + 5, geometry: { type: 'MultiPolygon', coordinates: moveVertex(pair.bCoords, pair.vertex, to) } },
        ],
      },
    })
    expect(batch.statusCode).toBe(412)
    expect(batch.json().areaId).toBe(pair.b)
    const unchanged = await feature('fine-grids', pair.a)
    expect(unchanged.etag).toBe(fa.etag)
    expect(unchanged.body.properties.name).toBe(fa.body.properties.name)
  })

  it('replaces a feature with PUT (properties and geometry) and restores an earlier version', async () => {
    const pair = await sharedVertexPair()
    const current = await feature('fine-grids', pair.a)
    const props = current.body.properties
    const put = await t.app.inject({
      method: 'PUT', url: `/api/collections/fine-grids/items/${pair.a}`,
      headers: { ...admin.headers, 'if-match': current.etag, 'x-change-reason': encodeURIComponent('更名'), 'content-type': 'application/geo+json' },
      payload: JSON.stringify({ ...current.body, properties: { ...props, name: '新名字', households: props.households + 1 } }),
    })
    expect(put.statusCode, put.body).toBe(200)
    expect(put.json().properties).toMatchObject({ name: '新名字', households: props.households + 1, code: props.code })
    const version = Number(JSON.parse(String(put.headers.etag)))
    const restore = await t.app.inject({ method: 'POST', url: `/api/areas/${pair.a}/restore`, headers: admin.headers, payload: { version: 1, reason: '恢复', ifMatch: version } })
    expect(restore.statusCode, restore.body).toBe(200)
    expect(restore.json().areas[0]).toMatchObject({ id: pair.a, version: version + 1, action: 'restore' })
    const { rows } = await sql<{ same: boolean }>`SELECT ST_Equals(a.geom, b.geom) AS same FROM area_versions a, area_versions b
      WHERE a.area_id = ${pair.a} AND a.version = 1 AND b.area_id = ${pair.a} AND b.version = ${version + 1}`.execute(db())
    expect(rows[0].same).toBe(true)
  })

  it('refuses a village edit that would leave its grids outside, listing them', async () => {
    const { rows } = await sql<{ id: number; g: string }>`SELECT area_id AS id, ST_AsGeoJSON(ST_Buffer(geom::geography, -40)::geometry, 9) AS g
      FROM current_areas WHERE level = 'village' ORDER BY area_id LIMIT 1`.execute(db())
    const current = await feature('villages', Number(rows[0].id))
    const response = await patch('villages', Number(rows[0].id), { geometry: JSON.parse(rows[0].g) }, { 'if-match': current.etag, 'x-change-reason': 'x' })
    expect(response.statusCode, response.body).toBe(422)
    const children = response.json().problems.filter((p: { kind: string }) => p.kind === 'child_outside')
    expect(children.length).toBeGreaterThan(0)
  })
})

describe(`split, merge, create and code reassignment (${ENGINE_UNDER_TEST})`, () => {
  it('splits a fine grid along a line, retires it and renumbers its base grid in reading order', async () => {
    const { rows } = await sql<{ id: number; version: number; code: string; x0: number; x1: number; y: number; parent: number }>`
      SELECT area_id AS id, version, code, ST_XMin(geom) - 0.01 AS x0, ST_XMax(geom) + 0.01 AS x1, ST_Y(ST_Centroid(geom)) AS y, parent_id AS parent
      FROM current_areas WHERE level = 'fine_grid' AND version = 1 ORDER BY area_id DESC LIMIT 1`.execute(db())
    const target = rows[0]
    const line = { type: 'LineString', coordinates: [[Number(target.x0), Number(target.y)], [Number(target.x1), Number(target.y)]] }
    const response = await t.app.inject({ method: 'POST', url: '/api/boundaries/split', headers: admin.headers, payload: { areaId: Number(target.id), line, reason: '拆分', ifMatch: target.version } })
    expect(response.statusCode, response.body).toBe(200)
    const result = response.json()
    expect(result.retired).toEqual([{ id: Number(target.id), code: target.code, version: target.version }])
    const created = result.areas.filter((a: { action: string }) => a.action === 'create')
    expect(created).toHaveLength(2)
    const { rows: current } = await sql<{ code: string; fine_seq: number; cx: number; cy: number }>`
      SELECT code, fine_seq, ST_X(ST_Centroid(geom)) AS cx, ST_Y(ST_Centroid(geom)) AS cy FROM current_areas WHERE parent_id = ${target.parent} ORDER BY fine_seq`.execute(db())
    expect(current.map((row) => row.fine_seq)).toEqual(current.map((_, i) => i + 1))
    expect(new Set(current.map((row) => row.code)).size).toBe(current.length)
    const lineage = (await t.app.inject({ url: `/api/boundaries/lineage?code=${target.code}`, headers: admin.headers })).json().lineage
    expect(lineage.filter((l: { kind: string }) => l.kind === 'split').map((l: { oldAreaId: number }) => l.oldAreaId)).toEqual([Number(target.id), Number(target.id)])
    const { rows: closed } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM area_versions WHERE area_id = ${target.id} AND valid_to IS NULL`.execute(db())
    expect(closed[0].n).toBe(0)
  })

  it('merges two adjacent fine grids into one and renumbers', async () => {
    const pair = await sharedVertexPair()
    const [fa, fb] = [await feature('fine-grids', pair.a), await feature('fine-grids', pair.b)]
    const response = await t.app.inject({
      method: 'POST', url: '/api/boundaries/merge', headers: admin.headers,
      payload: { areaIds: [pair.a, pair.b], ifMatches: [Number(JSON.parse(fa.etag)), Number(JSON.parse(fb.etag))], reason: '合并', name: '合并网格' },
    })
    expect(response.statusCode, response.body).toBe(200)
    const merged = response.json().areas.find((a: { action: string }) => a.action === 'create')
    expect(merged.name).toBe('合并网格')
    const { rows } = await sql<{ households: number; seqs: number[] }>`
      SELECT (SELECT households FROM current_areas WHERE area_id = ${merged.id}) AS households,
             (SELECT array_agg(fine_seq ORDER BY fine_seq) FROM current_areas WHERE parent_id = ${pair.parent}) AS seqs`.execute(db())
    expect(rows[0].households).toBe(fa.body.properties.households + fb.body.properties.households)
    expect(rows[0].seqs).toEqual(rows[0].seqs.map((_, i) => i + 1))
    const nonAdjacent = await t.app.inject({
      method: 'POST', url: '/api/boundaries/merge', headers: admin.headers,
      payload: { areaIds: [merged.id, merged.id], ifMatches: [1, 1], reason: 'x' },
    })
    expect(nonAdjacent.statusCode).toBe(400)
  })
})
