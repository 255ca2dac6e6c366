import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import ExcelJS from 'exceljs'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { caseClient, gridPoints, type GridPoint } from '../support/cases.ts'
import { ENGINE_UNDER_TEST } from '../support/test-database.ts'
import { registerCase } from '../support/analytics.ts'
import { findTile, type TileLayer } from '../../server/features/analytics/tiles/tiles.repository.ts'
import { findUserById } from '../../server/core/auth/users.repository.ts'

let t: TestApp
let c: ReturnType<typeof caseClient>
let dispatcher: TestUser
let leader: TestUser
let points: GridPoint[]
const BASE = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 200 * 86_400_000)
const day = (n: number, hours = 0) => new Date(BASE.getTime() + n * 86_400_000 + hours * 3_600_000)

/** The tile of zoom z containing a lon/lat. */
function tileOf(lon: number, lat: number, z: number) {
  const n = 2 ** z
  const x = Math.floor(((lon + 180) / 360) * n)
  const rad = (lat * Math.PI) / 180
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)
  return { z, x, y }
}

function decode(buffer: Uint8Array, layer: string) {
  const tile = new VectorTile(new PbfReader(buffer))
  const vt = tile.layers[layer]
  if (!vt) return []
  return Array.from({ length: vt.length }, (_, i) => {
    const feature = vt.feature(i)
    return { id: feature.id, type: feature.type, properties: feature.properties, geometry: feature.loadGeometry() }
  }).sort((a, b) => Number(a.id) - Number(b.id))
}

beforeAll(async () => {
  t = await createTestApp()
  c = caseClient(t)
  dispatcher = await t.signIn('dispatcher')
  leader = await t.signIn('leader')
  points = await gridPoints(t.database.engine.db)
  const p = points[3]
  await registerCase(t, dispatcher, 'hazards', p, { severity: 'critical', reportedAt: day(0).toISOString() })
  await registerCase(t, dispatcher, 'hazards', p, { severity: 'low', reportedAt: day(0, 1).toISOString() })
  await registerCase(t, dispatcher, 'disputes', p, { tier: 'major', reportedAt: day(0, 2).toISOString() }, [p.villageId])
})
afterAll(() => t?.close())

describe('vector tiles', () => {
  it('serves hazards and disputes as MVT with ids and properties; 204 for an empty tile', async () => {
    // z16: below it case tiles are always clustered.
    const tile = tileOf(points[3].lon, points[3].lat, 16)
    const response = await c.get(leader, `/api/tiles/hazards/${tile.z}/${tile.x}/${tile.y}.mvt`)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/vnd.mapbox-vector-tile')
    const hazards = decode(response.rawPayload, 'hazards')
    expect(hazards).toHaveLength(2)
    expect(hazards[0].type).toBe(1)
    expect(hazards[0].properties).toMatchObject({ status: 'reported', category: 'fire', grade: 'critical', deadlineState: 'overdue', reportedAt: day(0).toISOString().replace('.000', '') })
    const disputes = decode((await c.get(leader, `/api/tiles/disputes/${tile.z}/${tile.x}/${tile.y}.mvt`)).rawPayload, 'disputes')
    expect(disputes).toHaveLength(1)
    expect(disputes[0].properties.grade).toBe('major')
    expect((await c.get(leader, `/api/tiles/hazards/14/0/0.mvt`)).statusCode).toBe(204)
    expect((await c.get(leader, `/api/tiles/hazards/2/9/0.mvt`)).statusCode).toBe(400)
    const areas = decode((await c.get(leader, `/api/tiles/areas/${tile.z}/${tile.x}/${tile.y}.mvt`)).rawPayload, 'areas')
    expect(areas.length).toBeGreaterThan(0)
    expect(areas[0].properties).toHaveProperty('code')
  })

  it('limits grid workers to the cases they may read', async () => {
    const tile = tileOf(points[3].lon, points[3].lat, 16)
    const worker = await t.signIn('grid_worker', { gridIds: [points[0].baseGridId] })
    const response = await c.get(worker, `/api/tiles/hazards/${tile.z}/${tile.x}/${tile.y}.mvt`)
    expect(points[0].baseGridId === points[3].baseGridId ? 200 : 204).toBe(response.statusCode)
  })

  it.runIf(ENGINE_UNDER_TEST === 'postgres')('encodes the same features and properties with PostGIS and in the server', async () => {
    const user = (await findUserById(t.database.engine.db, leader.id))!
    for (const layer of ['hazards', 'disputes', 'areas'] as TileLayer[]) {
      for (const z of [12, 14, 16]) {
        const tile = tileOf(points[3].lon, points[3].lat, z)
        const mvt = await findTile(t.database.engine.db, 'postgis', layer, tile, user)
        const postgis = mvt ? decode(mvt, layer) : []
        const encoded = await findTile(t.database.engine.db, 'server', layer, tile, user)
        const server = encoded ? decode(encoded, layer) : []
        expect(server.map((f) => f.id), `${layer} z${z}`).toEqual(postgis.map((f) => f.id))
        expect(server.map((f) => f.properties)).toEqual(postgis.map((f) => f.properties))
        expect(server.map((f) => f.type)).toEqual(postgis.map((f) => f.type))
        if (layer !== 'areas') {
          for (const [i, feature] of server.entries()) {
            expect(Math.abs(feature.geometry[0][0].x - postgis[i].geometry[0][0].x)).toBeLessThanOrEqual(1)
            expect(Math.abs(feature.geometry[0][0].y - postgis[i].geometry[0][0].y)).toBeLessThanOrEqual(1)
          }
        }
      }
    }
  })
})

describe('KPIs and trend', () => {
  it('computes KPIs per village and the township total', async () => {
    const window = `from=${day(0).toISOString()}&to=${day(1).toISOString()}`
    const body = (await c.get(leader, `/api/analytics/kpis?groupBy=village&${window}`)).json()
    const village = body.groups.find((g: { key: string }) => g.key === String(points[3].villageId))
    // At `to` = day 1: the critical hazard's 24 h ran out exactly then (overdue: deadline <= to); the low
    // hazard has 360 h; the major dispute, reported 2 h later, has 2 h left to be escalated.
    expect(village).toMatchObject({ open: 3, new: 3, overdue: 1, resolved: 0, resolvedRate: 0, meanHoursToResolve: null })
    expect(body.total).toMatchObject({ open: 3, new: 3, overdue: 1 })
    const stations = (await c.get(leader, `/api/analytics/kpis?groupBy=station&${window}`)).json()
    expect(stations.groups).toHaveLength(1)
    expect(stations.groups[0]).toMatchObject({ key: '', new: 3, visitsOverdue: null })
  })

  it('exports the KPIs as .xlsx', async () => {
    const response = await c.get(leader, `/api/analytics/kpis.xlsx?groupBy=village&from=${day(0).toISOString()}&to=${day(1).toISOString()}`, { 'accept-language': 'en' })
    expect(response.statusCode).toBe(200)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(response.rawPayload as never)
    const sheet = workbook.worksheets[0]
    expect(sheet.getRow(1).getCell(2).value).toBe('Open')
    expect(sheet.getRow(sheet.rowCount).getCell(1).value).toBe('Township')
  })

  it('gives a daily series with from inclusive and to exclusive', async () => {
    const body = (await c.get(leader, `/api/analytics/trend?step=day&from=${day(-1).toISOString()}&to=${day(2).toISOString()}`)).json()
    expect(body.series.reduce((sum: number, step: { new: number }) => sum + step.new, 0)).toBe(3)
    expect(body.series[0].start).toBe(day(-1).toISOString())
    expect(body.series.at(-1).end).toBe(day(2).toISOString())
    const after = (await c.get(leader, `/api/analytics/trend?step=day&from=${day(0, 1).toISOString()}&to=${day(0, 2).toISOString()}`)).json()
    expect(after.series.reduce((sum: number, step: { new: number }) => sum + step.new, 0)).toBe(1)
    expect((await c.get(leader, `/api/analytics/trend?step=day&from=2000-01-01T00:00:00Z`)).statusCode).toBe(400)
  })
})
