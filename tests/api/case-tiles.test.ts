import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { caseClient, gridPoints, type GridPoint } from '../support/cases.ts'
import { registerCase } from '../support/analytics.ts'
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
