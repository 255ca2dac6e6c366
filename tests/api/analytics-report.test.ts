import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { offsetMetres, pointsAcrossVillageBoundary, registerCase } from '../support/analytics.ts'
import { gridPoints, type GridPoint } from '../support/cases.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'

/*
 * The monthly report (GET /api/analytics/report) against hand-made cases of
 * March 2026 (township time, UTC+8: 2026-02-28T16:00Z to 2026-03-31T16:00Z)
 * and February 2026. Its figures must be the dashboard's and the risk map's
 * for the same window, so each part is compared with the route it reuses.
 */
const MONTH = '2026-03'
const FROM = '2026-02-28T16:00:00.000Z'
const TO = '2026-03-31T16:00:00.000Z'
const PREVIOUS_FROM = '2026-01-31T16:00:00.000Z'

let t: TestApp
let dispatcher: TestUser
let leader: TestUser
let a: GridPoint
let b: GridPoint
const overdueIds = { A: [] as number[], B: [] as number[] }
let crossVillage = { west: 0, east: 0 }

async function get(url: string, user: TestUser = dispatcher, lang = 'zh') {
  return t.app.inject({ method: 'GET', url, headers: { ...user.headers, 'accept-language': lang } })
}

/** Registers a case reported at `reported` with deadline `deadline` (and optionally finished at `finished`). */
async function caseAt(point: { lon: number; lat: number }, kind: 'hazards' | 'disputes', reported: string, deadline: string, villages: number[] = []) {
  const properties = kind === 'hazards' ? { severity: 'high', reportedAt: reported } : { tier: 'general', reportedAt: reported }
  const id = await registerCase(t, dispatcher, kind, point, properties, villages)
  await t.database.engine.db.updateTable('cases').set({ deadline_at: new Date(deadline) }).where('id', '=', id).execute()
  return id
}

beforeAll(async () => {
  t = await createTestApp()
  const db = t.database.engine.db
  dispatcher = await t.signIn('dispatcher')
  leader = await t.signIn('leader')
  const points = await gridPoints(db)
  a = points[0]
  b = points.find((point) => point.villageId !== a.villageId)!
  // Village A, grid of `a`: two hazards in March, both overdue at the end of March; one in February (closed by then? no: open, not overdue).
  overdueIds.A.push(await caseAt(a, 'hazards', '2026-03-02T00:00:00Z', '2026-03-05T00:00:00Z'))
  overdueIds.A.push(await caseAt(a, 'hazards', '2026-03-10T00:00:00Z', '2026-03-20T00:00:00Z'))
  await caseAt(a, 'hazards', '2026-02-10T00:00:00Z', '2026-06-01T00:00:00Z')
  // Village B: one overdue dispute, one open and not yet due.
  overdueIds.B.push(await caseAt(b, 'disputes', '2026-03-03T00:00:00Z', '2026-03-06T00:00:00Z', [b.villageId]))
  await caseAt(b, 'disputes', '2026-03-25T00:00:00Z', '2026-04-10T00:00:00Z', [b.villageId])
  // A cross-village cluster: three disputes within 300 m on both sides of a village boundary (deadlines far away).
  const { west, east } = await pointsAcrossVillageBoundary(db, 60)
  crossVillage = { west: west.villageId, east: east.villageId }
  const third = await offsetMetres(db, west, 0, 40)
  for (const point of [west, east, third]) await caseAt(point, 'disputes', '2026-03-15T00:00:00Z', '2026-05-01T00:00:00Z', [west.villageId])
})

afterAll(async () => {
  await t?.close()
})

describe('GET /api/analytics/report (monthly report)', () => {
  it('the township report has the dashboard’s KPIs, a six-month trend, the overdue cases and the cross-village clusters of the month', async () => {
    const response = await get(`/api/analytics/report?month=${MONTH}`)
    expect(response.statusCode, response.body).toBe(200)
    const report = response.json()
    expect(report.month).toEqual({ month: MONTH, from: FROM, to: TO, complete: true })
    expect(report.previousMonth).toMatchObject({ month: '2026-02', from: PREVIOUS_FROM, to: FROM })
    expect(report.area).toBeNull()
    expect(report.generatedBy.username).toBe(dispatcher.username)
    expect(report.sampleData).toBe((await get('/api/meta')).json().sampleData)

    const kpis = (await get(`/api/analytics/kpis?from=${FROM}&to=${TO}&groupBy=village`)).json()
    expect(report.kpis.groupBy).toBe('village')
    expect(report.kpis.total).toEqual(kpis.total)
    expect(report.kpis.groups).toEqual(kpis.groups)

    expect(report.trend.map((row: { month: string }) => row.month)).toEqual(['2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03'])
    const trend = (await get(`/api/analytics/trend?from=2025-09-30T16:00:00.000Z&to=${TO}&step=month`)).json()
    expect(report.trend.map(({ month: _month, ...row }: Record<string, unknown>) => row)).toEqual(trend.series)
    expect(report.trend.at(-1)).toMatchObject({ new: 7, overdueAtEnd: 3 })
    expect(report.trend.at(-2)).toMatchObject({ new: 1, overdueAtEnd: 0 })

    expect(report.overdue.total).toBe(report.kpis.total.overdue)
    expect(report.overdue.cases.map((row: { id: number }) => row.id)).toEqual([overdueIds.A[0], overdueIds.B[0], overdueIds.A[1]])
    expect(report.overdue.cases[0]).toMatchObject({ kind: 'hazard', grade: 'high', daysOverdue: 26 })
    expect(report.overdue.cases[0].village).toEqual(expect.any(String))
    expect(report.overdue.cases[0]).not.toHaveProperty('description')

    expect(report.clusters).toHaveLength(1)
    expect(report.clusters[0].size).toBe(3)
    expect(report.clusters[0].villages.map((village: { id: number }) => village.id).sort()).toEqual([crossVillage.west, crossVillage.east].sort())
    expect(report.clusters[0].crossVillageBy).toContain('location')
  })

  it('the rising grids are the risk map’s change over the previous month, rises only, largest first', async () => {
    const report = (await get(`/api/analytics/report?month=${MONTH}`)).json()
    const change = (await get(`/api/analytics/risk/change?level=grid&from=${FROM}&to=${TO}&compareFrom=${PREVIOUS_FROM}&compareTo=${FROM}`)).json()
    const rises = change.areas.filter((row: { delta: number }) => row.delta > 0).slice(0, 10)
    expect(report.rising.map((row: { area: { id: number }; delta: number }) => [row.area.id, row.delta])).toEqual(
      rises.map((row: { area: { id: number }; delta: number }) => [row.area.id, row.delta]),
    )
    expect(report.rising.map((row: { area: { id: number } }) => row.area.id)).toContain(a.baseGridId)
    const grid = report.rising.find((row: { area: { id: number } }) => row.area.id === a.baseGridId)
    expect(grid.village.id).toBe(a.villageId)
    const scores = (await get(`/api/analytics/risk/scores?level=grid&from=${FROM}&to=${TO}`)).json()
    expect(report.grids).toEqual(scores.areas.map(({ breakdown: _breakdown, ...row }: Record<string, unknown>) => row))
  })

  it('the map holds every village and base grid as SVG paths in metres with a viewBox around them', async () => {
    const report = (await get(`/api/analytics/report?month=${MONTH}`)).json()
    const villages = (await get('/api/collections/villages/items?limit=1000')).json()
    expect(report.map.villages).toHaveLength(villages.features.length)
    expect(report.map.grids.length).toBe(report.grids.length)
    const { extent } = report.map
    // Xizhou is about 15 km across: a viewBox in metres, not degrees.
    expect(extent.width).toBeGreaterThan(5_000)
    expect(extent.width).toBeLessThan(50_000)
    for (const outline of [...report.map.villages, ...report.map.grids]) {
      expect(outline.path).toMatch(/^M -?\d/)
      expect(outline.labelX).toBeGreaterThanOrEqual(extent.minX)
      expect(outline.labelX).toBeLessThanOrEqual(extent.minX + extent.width)
      expect(outline.labelY).toBeGreaterThanOrEqual(extent.minY)
      expect(outline.labelY).toBeLessThanOrEqual(extent.minY + extent.height)
    }
  })

  it('a village report narrows every part to the village: KPIs per station, its grids, its overdue cases, clusters touching it', async () => {
    const response = await get(`/api/analytics/report?month=${MONTH}&villageId=${a.villageId}`, dispatcher, 'en')
    expect(response.statusCode, response.body).toBe(200)
    const report = response.json()
    expect(report.area).toMatchObject({ id: a.villageId, level: 'village' })
    const kpis = (await get(`/api/analytics/kpis?from=${FROM}&to=${TO}&groupBy=station&villageId=${a.villageId}`, dispatcher, 'en')).json()
    expect(report.kpis.groupBy).toBe('station')
    expect(report.kpis.total).toEqual(kpis.total)
    expect(report.overdue.cases.map((row: { id: number }) => row.id)).toEqual(overdueIds.A)
    expect(report.overdue.total).toBe(report.kpis.total.overdue)
    expect(report.map.villages.map((village: { id: number }) => village.id)).toEqual([a.villageId])
    const gridIds = new Set(report.map.grids.map((grid: { id: number }) => grid.id))
    expect(gridIds.has(a.baseGridId)).toBe(true)
    expect(report.grids.every((grid: { id: number }) => gridIds.has(grid.id))).toBe(true)
    expect(report.rising.every((row: { village: { id: number } }) => row.village.id === a.villageId)).toBe(true)
    const touches = a.villageId === crossVillage.west || a.villageId === crossVillage.east
    expect(report.clusters).toHaveLength(touches ? 1 : 0)
    const trend = (await get(`/api/analytics/trend?from=2025-09-30T16:00:00.000Z&to=${TO}&step=month&villageId=${a.villageId}`)).json()
    expect(report.trend.map(({ month: _month, ...row }: Record<string, unknown>) => row)).toEqual(trend.series)
    expect(report.trend.at(-1).new).toBeGreaterThanOrEqual(2)
  })

  it('a leader sees key-person counts with small-count protection, as on the dashboard', async () => {
    const report = (await get(`/api/analytics/report?month=${MONTH}`, leader)).json()
    expect(report.protection).toEqual({ minCount: 5, roundedTo: 5 })
    const kpis = (await get(`/api/analytics/kpis?from=${FROM}&to=${TO}`, leader)).json()
    expect(report.kpis.total).toEqual(kpis.total)
  })

  it('the month under way runs to now and is marked incomplete', async () => {
    const now = new Date()
    const month = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 7)
    const report = (await get(`/api/analytics/report?month=${month}`)).json()
    expect(report.month.complete).toBe(false)
    expect(Math.abs(new Date(report.month.to).getTime() - now.getTime())).toBeLessThan(60_000)
  })

  it.each([
    ['2026-13', 'bad_report_month'],
    ['2026-3', 'bad_report_month'],
    ['March', 'bad_report_month'],
    ['1999-12', 'bad_report_month'],
    ['2999-01', 'report_month_future'],
  ])('month %s is refused with 400 %s and a message that says what to send', async (month, code) => {
    const response = await get(`/api/analytics/report?month=${encodeURIComponent(month)}`)
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe(code)
    expect(response.json().message).toContain(month)
  })

  it('the next month is refused as future', async () => {
    const now = new Date(Date.now() + 8 * 3_600_000)
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 7)
    const response = await get(`/api/analytics/report?month=${next}`, dispatcher, 'en')
    expect(response.statusCode).toBe(400)
    expect(response.json().message).toContain('has not begun')
  })

  it('a month is required; a village that is not a current village is 404; grid workers are refused; signed-out 401', async () => {
    expect((await get('/api/analytics/report')).statusCode).toBe(400)
    expect((await get(`/api/analytics/report?month=${MONTH}&villageId=${a.baseGridId}`)).statusCode).toBe(404)
    expect((await get(`/api/analytics/report?month=${MONTH}&villageId=99999999`)).statusCode).toBe(404)
    const worker = await t.signIn('grid_worker', { gridIds: [a.fineGridId] })
    const refused = await get(`/api/analytics/report?month=${MONTH}&villageId=${a.villageId}`, worker)
    expect(refused.statusCode).toBe(403)
    expect(refused.json().code).toBe('analytics_grid_worker')
    expect((await t.app.inject({ method: 'GET', url: `/api/analytics/report?month=${MONTH}` })).statusCode).toBe(401)
  })
})
