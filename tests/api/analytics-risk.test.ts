import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { caseClient, gridPoints, type GridPoint } from '../support/cases.ts'
import { registerPerson } from '../support/key-persons.ts'
import { daysBefore, registerCase } from '../support/analytics.ts'

let t: TestApp
let c: ReturnType<typeof caseClient>
let users: Record<'leader' | 'dispatcher' | 'station' | 'gridWorker' | 'admin', TestUser>
let spot: GridPoint
let other: GridPoint
/** The instant scores are computed for: an hour ahead, so that every fixture is reported and acted on before it. */
const T = new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000)
const ids: Record<string, number> = {}

beforeAll(async () => {
  t = await createTestApp()
  c = caseClient(t)
  const points = await gridPoints(t.database.engine.db)
  spot = points[0]
  other = points.find((p) => p.villageId !== spot.villageId)!
  users = {
    leader: await t.signIn('leader'),
    dispatcher: await t.signIn('dispatcher'),
    station: await t.signIn('station'),
    gridWorker: await t.signIn('grid_worker', { gridIds: [spot.baseGridId] }),
    admin: await t.signIn('admin'),
  }
  const d = users.dispatcher
  // Open high hazard, 10 days old: deadline 72 h → overdue. 4 + 2 = 6.
  ids.high = await registerCase(t, d, 'hazards', spot, { severity: 'high', reportedAt: daysBefore(T, 10).toISOString() })
  // Open low hazard, 1 day old: deadline 360 h → on time. 1.
  ids.low = await registerCase(t, d, 'hazards', spot, { severity: 'low', reportedAt: daysBefore(T, 1).toISOString() })
  // Complex dispute, 30 days old (one half-life): 3 × 0.5 + overdue 2 = 3.5.
  ids.complex = await registerCase(t, d, 'disputes', spot, { tier: 'complex', reportedAt: daysBefore(T, 30).toISOString() }, [spot.villageId])
  // General dispute resolved before T: not active, adds nothing.
  ids.resolved = await registerCase(t, d, 'disputes', spot, { tier: 'general', reportedAt: daysBefore(T, 15).toISOString() }, [spot.villageId])
  expect((await c.act(d, 'disputes', ids.resolved, 'dispatch', { stationKey: 'legal-mediation' })).statusCode).toBe(200)
  expect((await c.act(d, 'disputes', ids.resolved, 'resolve', { mode: 'expert', outcome: 'agreement', note: '达成协议' })).statusCode).toBe(200)
  // Unfounded hazard: closed, adds nothing.
  ids.unfounded = await registerCase(t, d, 'hazards', spot, { severity: 'critical', reportedAt: daysBefore(T, 2).toISOString() })
  expect((await c.act(d, 'hazards', ids.unfounded, 'reject', { reason: '不属实' })).statusCode).toBe(200)
  // Elsewhere: counts for another grid only.
  ids.elsewhere = await registerCase(t, d, 'hazards', other, { severity: 'critical', reportedAt: daysBefore(T, 2).toISOString() })
  // Key persons in management: red 3 + green 0 = 3.
  const personSpot = { fineGridId: spot.fineGridId, baseGridId: spot.baseGridId, villageId: spot.villageId, baseGridName: '', lon: spot.lon, lat: spot.lat }
  await registerPerson(t, d, personSpot, { colour: 'red' })
  await registerPerson(t, d, personSpot, { colour: 'green', idNumber: '532901198001011235' })
})
afterAll(() => t?.close())

const q = (params: Record<string, string>) => new URLSearchParams(params).toString()

describe('risk score', () => {
  it('matches the hand-computed score of a base grid: 6 + 1 + 3.5 + 3 = 13.5 (orange)', async () => {
    // A dispatcher sees every key person, so the key-person part is exact (a leader's is protected: see below).
    const response = await c.get(users.dispatcher, `/api/analytics/risk?${q({ level: 'grid', to: T.toISOString() })}`)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toContain('application/geo+json')
    const body = response.json()
    const grid = body.features.find((f: { id: number }) => f.id === spot.baseGridId)
    expect(grid.properties.score).toBe(13.5)
    expect(grid.properties.colour).toBe('orange')
    expect(grid.properties.breakdown).toEqual({ hazards: 5, disputes: 1.5, keyPersons: 3, overdue: 4 })
    expect(grid.properties.counts).toEqual({ openHazards: 2, activeDisputes: 1, keyPersons: 2, overdue: 2 })
    expect(grid.geometry.type).toBe('MultiPolygon')
    const elsewhere = body.features.find((f: { id: number }) => f.id === other.baseGridId)
    // Critical hazard, 2 days old, deadline 24 h: 8 + overdue 2.
    expect(elsewhere.properties.score).toBe(10)
    const quiet = body.features.filter((f: { id: number }) => f.id !== spot.baseGridId && f.id !== other.baseGridId)
    expect(quiet.every((f: { properties: { score: number; colour: string } }) => f.properties.score === 0 && f.properties.colour === 'blue')).toBe(true)
  })

  it('scores villages and fine grids by the ids recorded at registration', async () => {
    const village = (await c.get(users.dispatcher, `/api/analytics/risk?${q({ level: 'village', to: T.toISOString() })}`)).json()
    expect(village.features.find((f: { id: number }) => f.id === spot.villageId).properties.score).toBe(13.5)
    const fine = (await c.get(users.dispatcher, `/api/analytics/risk?${q({ level: 'fine_grid', to: T.toISOString() })}`)).json()
    expect(fine.features.find((f: { id: number }) => f.id === spot.fineGridId).properties.score).toBe(13.5)
  })

  it('counts only cases reported in [from, to): from inclusive, to exclusive', async () => {
    const from = daysBefore(T, 10) // exactly the high hazard's reported time: included
    const included = (await c.get(users.leader, `/api/analytics/risk/${spot.baseGridId}/explain?${q({ from: from.toISOString(), to: T.toISOString() })}`)).json()
    expect(included.cases.map((row: { id: number }) => row.id).sort()).toEqual([ids.high, ids.low].sort())
    // to = the low hazard's reported time: excluded. States are as of `to`: the hazard
    // rejected (unfounded) only after that instant was still open then, and overdue.
    const excluded = (await c.get(users.leader, `/api/analytics/risk/${spot.baseGridId}/explain?${q({ from: from.toISOString(), to: daysBefore(T, 1).toISOString() })}`)).json()
    expect(excluded.cases.map((row: { id: number; contribution: number }) => [row.id, row.contribution])).toEqual([
      [ids.unfounded, 10],
      [ids.high, 6],
    ])
    const bad = await c.get(users.leader, `/api/analytics/risk?${q({ from: T.toISOString(), to: T.toISOString() })}`)
    expect(bad.statusCode).toBe(400)
    expect(bad.json().code).toBe('bad_time_window')
  })

  it('gives a leader no key-person count below k, and no score that gives one away', async () => {
    // Two persons in the grid (one red, weight 3): the score without them is 10.5; with them, score minus
    // the listed case parts would be 3 = one red person, so the leader's score leaves them out.
    for (const level of ['grid', 'fine_grid'] as const) {
      const body = (await c.get(users.leader, `/api/analytics/risk?${q({ level, to: T.toISOString() })}`)).json()
      const id = level === 'grid' ? spot.baseGridId : spot.fineGridId
      const area = body.features.find((f: { id: number }) => f.id === id)
      expect(area.properties.counts.keyPersons, level).toBeNull()
      expect(area.properties.breakdown.keyPersons).toBe(0)
      expect(area.properties.score).toBe(10.5)
    }
    const explained = (await c.get(users.leader, `/api/analytics/risk/${spot.baseGridId}/explain?${q({ to: T.toISOString() })}`)).json()
    expect(explained.score).toBe(10.5)
    expect(explained.counts.keyPersons).toBeNull()
    expect(Object.values(explained.keyPersons).map((part) => (part as { count: number | null }).count)).toEqual([null, null, null, null])
  })

  it('serves the same scores by area id without geometry (the map joins them to its area layers), protected alike', async () => {
    for (const user of [users.dispatcher, users.leader]) {
      const window = q({ level: 'grid', to: T.toISOString() })
      const collection = (await c.get(user, `/api/analytics/risk?${window}`)).json()
      const response = await c.get(user, `/api/analytics/risk/scores?${window}`)
      expect(response.statusCode, response.body).toBe(200)
      expect(response.headers['content-type']).toContain('application/json')
      const body = response.json()
      expect(body).toMatchObject({ level: 'grid', window: collection.window })
      expect(body.areas).toEqual(
        collection.features.map((f: { id: number; properties: Record<string, unknown> }) => ({
          id: f.id,
          score: f.properties.score,
          colour: f.properties.colour,
          breakdown: f.properties.breakdown,
          counts: f.properties.counts,
        })),
      )
      expect(response.body).not.toContain('coordinates')
      expect(response.body.length * 3).toBeLessThan((await c.get(user, `/api/analytics/risk?${window}`)).body.length)
    }
    const mine = (await c.get(users.dispatcher, `/api/analytics/risk/scores?${q({ to: T.toISOString() })}`)).json().areas.find((a: { id: number }) => a.id === spot.baseGridId)
    expect(mine).toMatchObject({ score: 13.5, colour: 'orange' })
    const leaders = (await c.get(users.leader, `/api/analytics/risk/scores?${q({ to: T.toISOString() })}`)).json().areas.find((a: { id: number }) => a.id === spot.baseGridId)
    expect(leaders).toMatchObject({ score: 10.5, counts: { keyPersons: null } })
    expect((await c.get(users.gridWorker, `/api/analytics/risk/scores`)).statusCode).toBe(403)
    expect((await c.get(users.leader, `/api/analytics/risk/scores?level=province`)).statusCode).toBe(400)
  })

  it('explains a score: each case with its contribution, key persons as counts by colour only', async () => {
    const response = await c.get(users.dispatcher, `/api/analytics/risk/${spot.baseGridId}/explain?${q({ to: T.toISOString() })}`)
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body.score).toBe(13.5)
    expect(body.cases.map((row: { id: number; contribution: number }) => [row.id, row.contribution])).toEqual([
      [ids.high, 6],
      [ids.complex, 3.5],
      [ids.low, 1],
    ])
    expect(body.cases[1]).toMatchObject({ kind: 'dispute', category: 'neighbour', status: 'registered', grade: 'complex', weight: 3, decay: 0.5, overduePenalty: 2 })
    expect(body.keyPersons).toEqual({
      red: { count: 1, weight: 3, contribution: 3 },
      orange: { count: 0, weight: 2, contribution: 0 },
      yellow: { count: 0, weight: 1, contribution: 0 },
      green: { count: 1, weight: 0, contribution: 0 },
    })
    const text = response.body
    expect(text).not.toContain('杨某某')
    expect(text).not.toContain('532901197501011234')
    expect(text).not.toContain('13812345678')
    expect((await c.get(users.leader, `/api/analytics/risk/999999/explain`)).statusCode).toBe(404)
  })

  it('shows the change between two windows, largest rise first', async () => {
    const response = await c.get(
      users.dispatcher,
      `/api/analytics/risk/change?${q({ level: 'grid', to: T.toISOString(), compareTo: daysBefore(T, 20).toISOString() })}`,
    )
    expect(response.statusCode).toBe(200)
    const [first] = response.json().areas
    // Then: only the complex dispute, 10 days old, not yet overdue: 3 × 0.5^(10/30) = 2.38.
    expect(first).toMatchObject({ score: 13.5, compareScore: 2.38, delta: 11.12, colour: 'orange', compareColour: 'blue' })
    expect(first.area.id).toBe(spot.baseGridId)
  })
})

describe('permissions and settings', () => {
  it('lets leaders, the center, stations and admins read analytics and refuses grid workers (403)', async () => {
    for (const who of ['leader', 'dispatcher', 'station', 'admin'] as const) {
      expect((await c.get(users[who], `/api/analytics/risk?to=${T.toISOString()}`)).statusCode).toBe(200)
    }
    const refused = await c.get(users.gridWorker, `/api/analytics/risk`)
    expect(refused.statusCode).toBe(403)
    expect(refused.json().code).toBe('analytics_grid_worker')
    expect((await c.get(users.gridWorker, `/api/analytics/risk/${spot.baseGridId}/explain`)).statusCode).toBe(403)
  })

  it('serves the settings to every role and lets only admins change them', async () => {
    const read = await c.get(users.gridWorker, '/api/analytics/settings')
    expect(read.statusCode).toBe(200)
    const settings = read.json()
    expect(settings).toMatchObject({ halfLifeDays: 30, overduePenalty: 2, thresholds: { yellow: 5, orange: 10, red: 20 } })
    expect(settings.formula.zh).toContain('半衰期')
    const { formula: _f, colours: _c, updatedAt: _u, updatedBy: _b, ...body } = settings
    const changed = { ...body, hazardWeights: { ...body.hazardWeights, high: 10 } }
    expect((await t.app.inject({ method: 'PUT', url: '/api/analytics/settings', headers: users.leader.headers, payload: changed })).statusCode).toBe(403)
    const bad = await t.app.inject({ method: 'PUT', url: '/api/analytics/settings', headers: users.admin.headers, payload: { ...body, thresholds: { yellow: 5, orange: 4, red: 20 } } })
    expect(bad.statusCode).toBe(400)
    const put = await t.app.inject({ method: 'PUT', url: '/api/analytics/settings', headers: users.admin.headers, payload: changed })
    expect(put.statusCode).toBe(200)
    expect(put.json().updatedBy).toBe(users.admin.id)
    const explained = (await c.get(users.dispatcher, `/api/analytics/risk/${spot.baseGridId}/explain?to=${T.toISOString()}`)).json()
    expect(explained.score).toBe(19.5)
    await t.app.inject({ method: 'PUT', url: '/api/analytics/settings', headers: users.admin.headers, payload: body })
  })

  it('documents every analytics route in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json()
    const paths = Object.keys(doc.paths ?? {})
    for (const path of ['/api/analytics/risk', '/api/analytics/risk/scores', '/api/analytics/risk/change', '/api/analytics/risk/{areaId}/explain', '/api/analytics/settings', '/api/analytics/bins', '/api/analytics/bins/cases', '/api/analytics/dispute-clusters', '/api/analytics/dispute-arcs', '/api/analytics/dispute-clusters/joint-case', '/api/analytics/kpis', '/api/analytics/kpis.xlsx', '/api/analytics/trend']) {
      expect(paths).toContain(path)
    }
    expect(paths.some((path) => path.startsWith('/api/tiles/'))).toBe(true)
  })
})
