import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'

let t: TestApp
let worker: TestUser

beforeAll(async () => {
  t = await createTestApp()
  worker = await t.signIn('grid_worker')
})
afterAll(() => t?.close())

describe('area details', () => {
  it('shows a base grid with its parent village, leader, workers and figures', async () => {
    const grid = (await t.app.inject({ url: '/api/collections/base-grids/items?limit=1', headers: worker.headers })).json().features[0]
    const response = await t.app.inject({ url: `/api/areas/${grid.id}`, headers: worker.headers })
    expect(response.statusCode).toBe(200)
    const area = response.json()
    expect(area).toMatchObject({ id: grid.id, level: 'base_grid', code: grid.properties.code, version: 1, synthetic: true })
    expect(area.code).toMatch(/^\d{15}$/)
    expect(area.parent).toMatchObject({ level: 'village', code: area.code.slice(0, 12) })
    expect(area.leader?.name).toBeTruthy()
    expect(area.workers.length).toBeGreaterThan(0)
    expect(area.population).toBeGreaterThanOrEqual(0)
  })

  it('answers 404 for an unknown area and 400 for a malformed id', async () => {
    expect((await t.app.inject({ url: '/api/areas/99999999', headers: worker.headers })).statusCode).toBe(404)
    expect((await t.app.inject({ url: '/api/areas/abc', headers: worker.headers })).statusCode).toBe(400)
  })

  it('tells the client the sample township is loaded', async () => {
    const meta = (await t.app.inject({ url: '/api/meta', headers: worker.headers })).json()
    expect(meta.sampleData).toBe(true)
    expect(meta.township).toMatchObject({ name: '喜洲镇', code: '532901101000' })
    expect(meta.bbox).toHaveLength(4)
  })

  it('lists the center and the seven stations with stable keys, named in the request language', async () => {
    const zh = (await t.app.inject({ url: '/api/stations', headers: worker.headers })).json().stations
    expect(zh.map((s: { key: string }) => s.key)).toEqual([
      'center', 'litigation', 'procuratorate', 'police', 'legal-mediation', 'petition', 'social-work', 'women-children',
    ])
    expect(zh[4].name).toBe('法律服务及矛盾纠纷调处站')
    const en = (await t.app.inject({ url: '/api/stations', headers: { ...worker.headers, 'accept-language': 'en' } })).json().stations
    expect(en[4].name).toMatch(/mediation/i)
    expect((await t.app.inject({ url: '/api/stations' })).statusCode).toBe(401)
  })
})
