import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { caseClient, disputeFeature, gridPoints, hazardFeature, signInStation, type GridPoint } from '../support/cases.ts'

let t: TestApp
let c: ReturnType<typeof caseClient>
let points: GridPoint[]
let own: GridPoint
let elsewhere: GridPoint
let users: Record<string, TestUser>

const ROLES = ['leader', 'dispatcher', 'station', 'otherStation', 'gridWorker', 'otherGridWorker', 'admin'] as const
type Who = (typeof ROLES)[number]

beforeAll(async () => {
  t = await createTestApp()
  c = caseClient(t)
  points = await gridPoints(t.database.engine.db)
  own = points[0]
  elsewhere = points.find((p) => p.villageId !== own.villageId)!
  users = {
    leader: await t.signIn('leader'),
    dispatcher: await t.signIn('dispatcher'),
    station: await signInStation(t, 'legal-mediation'),
    otherStation: await signInStation(t, 'police'),
    gridWorker: await t.signIn('grid_worker', { gridIds: [own.baseGridId] }),
    otherGridWorker: await t.signIn('grid_worker', { gridIds: [elsewhere.fineGridId] }),
    admin: await t.signIn('admin'),
  }
})
afterAll(() => t?.close())

async function hazardIn(status: 'reported' | 'verified' | 'rectifying' | 'rectified', point = own) {
  const id = (await c.register(users.dispatcher, 'hazards', hazardFeature(point))).json().id as number
  const steps = { reported: [], verified: ['verify'], rectifying: ['verify', 'start-rectification'], rectified: ['verify', 'start-rectification', 'rectify'] }[status]
  const bodies: Record<string, object> = { verify: {}, 'start-rectification': { plan: '整改' }, rectify: { note: '完成' } }
  for (const step of steps) expect((await c.act(users.dispatcher, 'hazards', id, step, bodies[step])).statusCode).toBe(200)
  return id
}

async function disputeIn(status: 'registered' | 'dispatched' | 'resolved' | 'fed_back', point = own) {
  const id = (await c.register(users.dispatcher, 'disputes', disputeFeature(point, [point.villageId]))).json().id as number
  const steps = { registered: [], dispatched: ['dispatch'], resolved: ['dispatch', 'resolve'], fed_back: ['dispatch', 'resolve', 'feedback'] }[status]
  for (const step of steps) expect((await c.act(users.dispatcher, 'disputes', id, step, BODIES[step])).statusCode).toBe(200)
  return id
}

const BODIES: Record<string, object> = {
  dispatch: { stationKey: 'legal-mediation' },
  escalate: { department: '市信访局', reason: '重大' },
  resolve: { mode: 'expert', outcome: 'agreement', note: '达成协议' },
  feedback: { note: '已反馈' },
  evaluate: { satisfaction: 3 },
  verify: {},
  reject: { reason: '不属实' },
  'start-rectification': { plan: '整改计划' },
  rectify: { note: '整改完成' },
  close: {},
}

/** Expected status per role for each workflow action (cases in the grid worker's grid, dispatched to legal-mediation). */
const MATRIX: Array<{ kind: 'hazards' | 'disputes'; action: string; from: string; expect: Record<Who, number> }> = [
  { kind: 'disputes', action: 'dispatch', from: 'registered', expect: { leader: 403, dispatcher: 200, station: 403, otherStation: 403, gridWorker: 403, otherGridWorker: 403, admin: 200 } },
  { kind: 'disputes', action: 'escalate', from: 'dispatched', expect: { leader: 403, dispatcher: 200, station: 403, otherStation: 403, gridWorker: 403, otherGridWorker: 403, admin: 200 } },
  { kind: 'disputes', action: 'resolve', from: 'dispatched', expect: { leader: 403, dispatcher: 200, station: 200, otherStation: 403, gridWorker: 403, otherGridWorker: 403, admin: 200 } },
  { kind: 'disputes', action: 'feedback', from: 'resolved', expect: { leader: 403, dispatcher: 200, station: 200, otherStation: 403, gridWorker: 403, otherGridWorker: 403, admin: 200 } },
  { kind: 'disputes', action: 'evaluate', from: 'fed_back', expect: { leader: 403, dispatcher: 200, station: 403, otherStation: 403, gridWorker: 403, otherGridWorker: 403, admin: 200 } },
  { kind: 'hazards', action: 'verify', from: 'reported', expect: { leader: 403, dispatcher: 200, station: 403, otherStation: 403, gridWorker: 200, otherGridWorker: 404, admin: 200 } },
  { kind: 'hazards', action: 'reject', from: 'reported', expect: { leader: 403, dispatcher: 200, station: 403, otherStation: 403, gridWorker: 200, otherGridWorker: 404, admin: 200 } },
  { kind: 'hazards', action: 'start-rectification', from: 'verified', expect: { leader: 403, dispatcher: 200, station: 403, otherStation: 403, gridWorker: 200, otherGridWorker: 404, admin: 200 } },
  { kind: 'hazards', action: 'rectify', from: 'rectifying', expect: { leader: 403, dispatcher: 200, station: 403, otherStation: 403, gridWorker: 200, otherGridWorker: 404, admin: 200 } },
  { kind: 'hazards', action: 'close', from: 'rectified', expect: { leader: 403, dispatcher: 200, station: 403, otherStation: 403, gridWorker: 200, otherGridWorker: 404, admin: 200 } },
]

describe('permission matrix: workflow actions', () => {
  for (const row of MATRIX) {
    it(`${row.kind} ${row.action}: ${ROLES.map((who) => `${who} ${row.expect[who]}`).join(', ')}`, async () => {
      for (const who of ROLES) {
        const id = row.kind === 'hazards' ? await hazardIn(row.from as 'reported') : await disputeIn(row.from as 'registered')
        const response = await c.act(users[who], row.kind, id, row.action, BODIES[row.action])
        expect(response.statusCode, `${who}: ${response.body}`).toBe(row.expect[who])
        if (response.statusCode === 403) expect(response.json().message.length).toBeGreaterThan(5)
      }
    })
  }
})

describe('permission matrix: registration', () => {
  it('dispatcher and admin anywhere; grid workers only inside their grids; leader and station never', async () => {
    const expected: Record<Who, [number, number]> = {
      leader: [403, 403],
      dispatcher: [201, 201],
      station: [403, 403],
      otherStation: [403, 403],
      gridWorker: [201, 403],
      otherGridWorker: [403, 201],
      admin: [201, 201],
    }
    for (const who of ROLES) {
      const inOwn = await c.register(users[who], 'hazards', hazardFeature(own))
      const inOther = await c.register(users[who], 'disputes', disputeFeature(elsewhere, [elsewhere.villageId]))
      expect([inOwn.statusCode, inOther.statusCode], who).toEqual(expected[who])
    }
    const refused = await c.register(users.gridWorker, 'hazards', hazardFeature(elsewhere), { 'accept-language': 'en' })
    expect(refused.json()).toMatchObject({ code: 'point_outside_own_grids' })
    expect((await t.app.inject({ method: 'POST', url: '/api/collections/hazards/items', payload: hazardFeature(own) })).statusCode).toBe(401)
  })
})

describe('permission matrix: reading', () => {
  it('leader, dispatcher, station and admin see all cases; grid workers their grids and what they reported', async () => {
    const inOwn = await hazardIn('reported', own)
    const inOther = await hazardIn('reported', elsewhere)
    const reportedByOther = (await c.register(users.otherGridWorker, 'hazards', hazardFeature(elsewhere))).json().id
    for (const who of ROLES) {
      const items = (await c.get(users[who], '/api/collections/hazards/items?limit=10000')).json()
      const ids = new Set(items.features.map((f: { id: number }) => f.id))
      const sees = (id: number) => ids.has(id)
      if (who === 'gridWorker') {
        expect([sees(inOwn), sees(inOther), sees(reportedByOther)], who).toEqual([true, false, false])
        expect(items.features.every((f: { properties: { baseGrid: { id: number } } }) => f.properties.baseGrid.id === own.baseGridId)).toBe(true)
      } else if (who === 'otherGridWorker') {
        expect([sees(inOwn), sees(reportedByOther)], who).toEqual([false, true])
      } else {
        expect([sees(inOwn), sees(inOther), sees(reportedByOther)], who).toEqual([true, true, true])
      }
      const item = await c.get(users[who], `/api/collections/hazards/items/${inOther}`)
      const timeline = await c.get(users[who], `/api/cases/hazard/${inOther}/timeline`)
      const expected = who === 'gridWorker' ? 404 : who === 'otherGridWorker' ? (sees(inOther) ? 200 : 404) : 200
      expect([item.statusCode, timeline.statusCode], who).toEqual([expected, expected])
    }
  })

  it('dispatch queue: dispatcher and admin only', async () => {
    const expected: Record<Who, number> = { leader: 403, dispatcher: 200, station: 403, otherStation: 403, gridWorker: 403, otherGridWorker: 403, admin: 200 }
    for (const who of ROLES) expect((await c.get(users[who], '/api/dispatch/queue')).statusCode, who).toBe(expected[who])
  })

  it('leads: dispatcher and admin write; everyone reads, grid workers only leads in their grids', async () => {
    const body = { department: '市场监管所', description: '线索', lon: own.lon, lat: own.lat }
    const expected: Record<Who, number> = { leader: 403, dispatcher: 201, station: 403, otherStation: 403, gridWorker: 403, otherGridWorker: 403, admin: 201 }
    let leadId = 0
    for (const who of ROLES) {
      const response = await t.app.inject({ method: 'POST', url: '/api/leads', headers: users[who].headers, payload: body })
      expect(response.statusCode, who).toBe(expected[who])
      if (response.statusCode === 201) leadId = response.json().id
    }
    for (const who of ROLES) {
      const verify = await c.act(users[who], 'leads', leadId, 'verify', {})
      if (who === 'dispatcher') expect(verify.statusCode).toBe(200)
      else if (who === 'admin') expect(verify.statusCode).toBe(409)
      else expect(verify.statusCode, who).toBe(403)
      const read = await c.get(users[who], `/api/leads/${leadId}`)
      expect(read.statusCode, who).toBe(who === 'otherGridWorker' ? 404 : 200)
      const list = (await c.get(users[who], '/api/leads')).json().leads.map((l: { id: number }) => l.id)
      expect(list.includes(leadId), who).toBe(who !== 'otherGridWorker')
    }
  })

  it('settings: everyone reads, admin writes', async () => {
    for (const who of ROLES) {
      expect((await c.get(users[who], '/api/routing-rules')).statusCode, who).toBe(200)
      expect((await c.get(users[who], '/api/deadline-settings')).statusCode, who).toBe(200)
      const put = await t.app.inject({ method: 'PUT', url: '/api/deadline-settings/hazard/low', headers: users[who].headers, payload: { hours: 360 } })
      expect(put.statusCode, who).toBe(who === 'admin' ? 200 : 403)
      const rule = await t.app.inject({
        method: 'PUT',
        url: '/api/routing-rules/hazard/fire',
        headers: users[who].headers,
        payload: { stationKey: 'police', nameZh: '消防隐患', nameEn: 'Fire hazard' },
      })
      expect(rule.statusCode, who).toBe(who === 'admin' ? 200 : 403)
    }
  })

  it('a case dispatched to a village center is handled by the dispatcher, not by station staff', async () => {
    const id = (await c.register(users.dispatcher, 'disputes', disputeFeature(own, [own.villageId]))).json().id
    expect((await c.act(users.dispatcher, 'disputes', id, 'dispatch', { villageCenterId: own.villageId })).statusCode).toBe(200)
    const byStation = await c.act(users.station, 'disputes', id, 'resolve', BODIES.resolve)
    expect(byStation.statusCode).toBe(403)
    expect(byStation.json().code).toBe('case_other_station')
    expect((await c.act(users.dispatcher, 'disputes', id, 'resolve', BODIES.resolve)).statusCode).toBe(200)
  })
})
