import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { caseClient, gridPoints, type GridPoint } from '../support/cases.ts'
import { registerCase } from '../support/analytics.ts'
import { sql } from 'kysely'
import { ENGINE_UNDER_TEST } from '../support/test-database.ts'
import { findClusterTile } from '../../server/features/analytics/tiles/cluster-tiles.repository.ts'
import { findUserById } from '../../server/core/auth/users.repository.ts'

let t: TestApp
let c: ReturnType<typeof caseClient>
let leader: TestUser
let points: GridPoint[]
const ids: number[] = []

function tileOf(lon: number, lat: number, z: number) {
  const n = 2 ** z
  const rad = (lat * Math.PI) / 180
  return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n) }
}

function decode(buffer: Uint8Array, layer: string) {
  const vt = new VectorTile(new PbfReader(buffer)).layers[layer]
  if (!vt) return []
  return Array.from({ length: vt.length }, (_, i) => ({ id: Number(vt.feature(i).id), properties: vt.feature(i).properties }))
}

async function tile(path: string) {
  const response = await c.get(leader, path)
  return { status: response.statusCode, features: response.statusCode === 200 ? decode(response.rawPayload, 'hazards') : [] }
}

beforeAll(async () => {
  t = await createTestApp()
  c = caseClient(t)
  const dispatcher = await t.signIn('dispatcher')
  leader = await t.signIn('leader')
  points = await gridPoints(t.database.engine.db)
  const p = points[3]
  const old = new Date(Date.now() - 200 * 86_400_000).toISOString()
  ids.push(await registerCase(t, dispatcher, 'hazards', p, { severity: 'critical', reportedAt: old }))
  ids.push(await registerCase(t, dispatcher, 'hazards', p, { severity: 'low', category: 'flood' }))
  ids.push(await registerCase(t, dispatcher, 'hazards', p, { severity: 'low' }))
})
afterAll(() => t?.close())

describe('case tiles: filters and clusters', () => {
  it('filters by status, category and grade; an empty list keeps nothing', async () => {
    // z16: below it case tiles are always clustered.
    const { z, x, y } = tileOf(points[3].lon, points[3].lat, 16)
    const base = `/api/tiles/hazards/${z}/${x}/${y}.mvt`
    expect((await tile(base)).features).toHaveLength(3)
    expect((await tile(`${base}?grade=critical`)).features.map((f) => f.id)).toEqual([ids[0]])
    expect((await tile(`${base}?category=flood`)).features.map((f) => f.id)).toEqual([ids[1]])
    expect((await tile(`${base}?status=reported,verified&grade=low`)).features).toHaveLength(2)
    expect((await tile(`${base}?status=closed`)).status).toBe(204)
    expect((await tile(`${base}?status=`)).status).toBe(204)
    expect((await tile(`${base}?status=DROP%20TABLE`)).status).toBe(400)
  })

  it('clusters into one feature per cell with counts; a lone case keeps its id and properties', async () => {
    const { z, x, y } = tileOf(points[3].lon, points[3].lat, 10)
    const clustered = await tile(`/api/tiles/hazards/${z}/${x}/${y}.mvt?cluster=14`)
    expect(clustered.features).toHaveLength(1)
    expect(clustered.features[0].properties).toEqual({ point_count: 3, overdue: 1, near: 0 })
    const above = tileOf(points[3].lon, points[3].lat, 16)
    expect((await tile(`/api/tiles/hazards/16/${above.x}/${above.y}.mvt?cluster=14`)).features).toHaveLength(3)
    const lone = await tile(`/api/tiles/hazards/${z}/${x}/${y}.mvt?cluster=14&grade=critical`)
    expect(lone.features).toEqual([{ id: ids[0], properties: expect.objectContaining({ point_count: 1, overdue: 1, status: 'reported', grade: 'critical', deadlineState: 'overdue' }) }])
  })

  it.runIf(ENGINE_UNDER_TEST === 'postgres')('clusters the same with PostGIS and in the server', async () => {
    const user = (await findUserById(t.database.engine.db, leader.id))!
    for (const z of [10, 12, 13]) {
      const address = tileOf(points[3].lon, points[3].lat, z)
      const postgis = await findClusterTile(t.database.engine.db, 'postgis', 'hazards', address, user)
      const encoded = await findClusterTile(t.database.engine.db, 'server', 'hazards', address, user)
      expect(encoded ? decode(encoded, 'hazards') : [], `z${z}`).toEqual(postgis ? decode(postgis, 'hazards') : [])
    }
  })
})

describe('case tiles: the stored tile key changes no answer', () => {
  /** Longitude and latitude of a z-tile corner (x, y may be fractional). */
  function lonLat(z: number, x: number, y: number) {
    const n = 2 ** z
    return { lon: (x / n) * 360 - 180, lat: (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI }
  }

  it('keeps cases on the tile edges and in its buffer, and only those, at z13, z14 and z16', async () => {
    const dispatcher = await t.signIn('dispatcher')
    const db = t.database.engine.db
    const inside = async (point: { lon: number; lat: number }) =>
      (await sql<{ ok: boolean }>`SELECT EXISTS (SELECT 1 FROM current_areas WHERE level = 'village' AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(${point.lon}, ${point.lat}), 4326))) AS ok`.execute(db)).rows[0].ok
    for (const z of [16, 14, 13]) {
      // The east and south edges of a tile holding a sample point, both inside the township:
      // exactly on the edge (the key rounds down into the neighbour), inside the buffer (1/64 of
      // the side) and just beyond it.
      let found: { x: number; y: number; placed: Array<{ lon: number; lat: number; expected: boolean }> } | undefined
      for (const p of points) {
        const { x, y } = tileOf(p.lon, p.lat, z)
        const mid = lonLat(z, x + 0.5, y + 0.5)
        const placed = [
          { ...lonLat(z, x + 1, y + 0.5), expected: true },
          { ...lonLat(z, x + 1 + 0.5 / 64, y + 0.5), expected: true },
          { ...lonLat(z, x + 1 + 1.5 / 64, y + 0.5), expected: false },
          { ...lonLat(z, x + 0.5, y + 1), expected: true },
          { ...lonLat(z, x + 0.5, y + 1 + 0.9 / 64), expected: true },
          { ...lonLat(z, x + 0.5, y + 1 + 1.1 / 64), expected: false },
          { ...mid, expected: true },
        ]
        const all = await Promise.all(placed.map(inside))
        if (all.every(Boolean)) {
          found = { x, y, placed }
          break
        }
      }
      expect(found, `a z${z} tile whose edges lie in the township`).toBeDefined()
      const { x, y, placed } = found!
      const reportedAt = new Date(Date.now() - 3_600_000).toISOString()
      const expected: number[] = []
      for (const point of placed) {
        const id = await registerCase(t, dispatcher, 'hazards', point, { severity: 'low', reportedAt })
        if (point.expected) expected.push(id)
      }
      if (z >= 16) {
        // A case tile holds the hazards of the tile and its buffer: the envelope test without keys.
        const { rows } = await sql<{ id: number }>`SELECT id FROM cases WHERE kind = 'hazard'
          AND geom && ST_Transform(ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int, margin => ${1 / 64}::float8), 4326) ORDER BY id`.execute(db)
        const byEnvelope = rows.map((row) => Number(row.id))
        expect(byEnvelope).toEqual(expect.arrayContaining(expected))
        const served = (await tile(`/api/tiles/hazards/${z}/${x}/${y}.mvt`)).features.map((f) => f.id).sort((a, b) => a - b)
        expect(served, `z${z}`).toEqual(byEnvelope)
      } else {
        // A cluster tile (below z16) counts the hazards of the tile itself, edges included.
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases WHERE kind = 'hazard'
          AND ST_Transform(geom, 3857) && ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int)`.execute(db)
        const features = (await tile(`/api/tiles/hazards/${z}/${x}/${y}.mvt`)).features
        const counted = features.reduce((sum, f) => sum + Number(f.properties.point_count), 0)
        expect(counted, `z${z}`).toBe(Number(rows[0].n))
        expect(counted).toBeGreaterThanOrEqual(placed.filter((point, i) => i !== 1 && i !== 2 && i !== 4 && i !== 5).length)
      }
    }
  })

  it('keeps cases on the edges of an OGC bbox, in items and in the legend counts', async () => {
    const dispatcher = await t.signIn('dispatcher')
    const db = t.database.engine.db
    const p = points[5]
    const d = 0.002
    const bbox = [p.lon - d, p.lat - d, p.lon + d, p.lat + d]
    // Inside, on the east and north edges (the key rounds into the next tile only by chance, the ring covers it) and just outside.
    const placed = [
      { lon: p.lon, lat: p.lat },
      { lon: p.lon + d, lat: p.lat },
      { lon: p.lon, lat: p.lat + d },
      { lon: p.lon + d * 1.01, lat: p.lat },
    ]
    for (const point of placed) await registerCase(t, dispatcher, 'hazards', point, { severity: 'medium' })
    const { rows } = await sql<{ id: number }>`SELECT id FROM cases WHERE kind = 'hazard'
      AND ST_Intersects(geom, ST_MakeEnvelope(${bbox[0]}, ${bbox[1]}, ${bbox[2]}, ${bbox[3]}, 4326)) ORDER BY id`.execute(db)
    const expected = rows.map((row) => Number(row.id))
    expect(expected.length).toBeGreaterThanOrEqual(3)
    const items = await c.get(leader, `/api/collections/hazards/items?bbox=${bbox.join(',')}&limit=1000`)
    expect(items.statusCode).toBe(200)
    expect((items.json().features as Array<{ id: number }>).map((f) => Number(f.id)).sort((a, b) => a - b)).toEqual(expected)
    const counts = await c.get(leader, `/api/cases/counts?bbox=${bbox.join(',')}`)
    expect(counts.statusCode).toBe(200)
    const byStatus = counts.json().hazard.byStatus as Record<string, number>
    expect(Object.values(byStatus).reduce((sum, n) => sum + n, 0)).toBe(expected.length)
  })
})
