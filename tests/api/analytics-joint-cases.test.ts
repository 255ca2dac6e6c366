import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerCase } from '../support/analytics.ts'
import { caseClient, gridPoints, signInStation } from '../support/cases.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'

let t: TestApp
let c: ReturnType<typeof caseClient>
let dispatcher: TestUser
let leader: TestUser
let station: TestUser
let worker: TestUser
let disputes: number[]
let jointId: number

const LIST = '/api/analytics/joint-cases'
const close = (id: number) => `/api/analytics/joint-cases/${id}/close`

beforeAll(async () => {
  t = await createTestApp()
  c = caseClient(t)
  dispatcher = await t.signIn('dispatcher')
  leader = await t.signIn('leader')
  station = await signInStation(t, 'legal-mediation')
  const points = await gridPoints(t.database.engine.db)
  worker = await t.signIn('grid_worker', { gridIds: [points[0].baseGridId] })
  disputes = []
  for (let index = 0; index < 3; index++) disputes.push(await registerCase(t, dispatcher, 'disputes', points[0], {}, [points[0].villageId]))
  const opened = await t.app.inject({
    method: 'POST',
    url: '/api/analytics/dispute-clusters/joint-case',
    headers: dispatcher.headers,
    payload: { title: '联调测试', caseIds: disputes, stationKeys: ['legal-mediation', 'police'] },
  })
  expect(opened.statusCode, opened.body).toBe(201)
  jointId = opened.json().id
})
afterAll(() => t?.close())

describe('joint cases (联调)', () => {
  it('lists joint cases with their disputes and stations for analytics readers', async () => {
    for (const user of [leader, dispatcher, station]) {
      const response = await c.get(user, LIST)
      expect(response.statusCode, response.body).toBe(200)
      const mine = response.json().jointCases.find((row: { id: number }) => row.id === jointId)
      expect(mine).toMatchObject({ title: '联调测试', status: 'open', caseIds: [...disputes].sort((a, b) => a - b), stationKeys: ['legal-mediation', 'police'], closedAt: null })
      expect(mine.disputes.map((row: { id: number }) => row.id)).toEqual(mine.caseIds)
      expect(mine.openedByName).toBe(dispatcher.username)
    }
    expect((await c.get(leader, `${LIST}?status=closed`)).json().jointCases).toHaveLength(0)
  })

  it('refuses grid workers and anonymous callers', async () => {
    const refused = await c.get(worker, LIST)
    expect(refused.statusCode).toBe(403)
    expect(refused.json().code).toBe('analytics_grid_worker')
    expect((await t.app.inject({ method: 'GET', url: LIST })).statusCode).toBe(401)
    expect((await c.get(leader, `${LIST}?status=done`)).statusCode).toBe(400)
  })

  it('lets only the dispatcher and admin close one, and bad input changes nothing', async () => {
    for (const user of [leader, station, worker]) {
      const response = await t.app.inject({ method: 'POST', url: close(jointId), headers: user.headers, payload: { reason: '已化解' } })
      expect(response.statusCode).toBe(403)
    }
    const blank = await t.app.inject({ method: 'POST', url: close(jointId), headers: dispatcher.headers, payload: { reason: '   ' } })
    expect(blank.statusCode).toBe(400)
    expect(blank.json().code).toBe('joint_case_close_reason')
    const missing = await t.app.inject({ method: 'POST', url: close(jointId), headers: dispatcher.headers, payload: {} })
    expect(missing.statusCode).toBe(400)
    const unknown = await t.app.inject({ method: 'POST', url: close(999_999), headers: { ...dispatcher.headers, 'accept-language': 'en' }, payload: { reason: 'x' } })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json()).toMatchObject({ code: 'joint_case_not_found', message: 'Joint case 999999 does not exist' })
    const still = (await c.get(leader, LIST)).json().jointCases.find((row: { id: number }) => row.id === jointId)
    expect(still.status).toBe('open')
    const timeline = (await c.get(dispatcher, `/api/cases/dispute/${disputes[0]}/timeline`)).json()
    expect(timeline.events.at(-1).action).toBe('joint-case')
  })

  it('closes with a reason and a ledger entry on every dispute; a second close is a conflict', async () => {
    const closed = await t.app.inject({ method: 'POST', url: close(jointId), headers: dispatcher.headers, payload: { reason: '三方达成协议' } })
    expect(closed.statusCode, closed.body).toBe(200)
    expect(closed.json()).toMatchObject({ id: jointId, status: 'closed', closeReason: '三方达成协议', closedBy: dispatcher.id })
    for (const id of disputes) {
      const timeline = (await c.get(dispatcher, `/api/cases/dispute/${id}/timeline`)).json()
      const entry = timeline.events.at(-1)
      expect(entry).toMatchObject({ action: 'joint-case-close', statusFrom: 'registered', statusTo: 'registered', version: 3, reason: '三方达成协议' })
    }
    const listed = (await c.get(leader, `${LIST}?status=closed`)).json().jointCases
    expect(listed.map((row: { id: number }) => row.id)).toEqual([jointId])
    expect(listed[0]).toMatchObject({ status: 'closed', closeReason: '三方达成协议', closedBy: dispatcher.id })
    expect(listed[0].closedAt).toEqual(expect.any(String))
    const again = await t.app.inject({ method: 'POST', url: close(jointId), headers: dispatcher.headers, payload: { reason: '再次' } })
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('joint_case_closed')
    expect(again.json().message).toContain(String(jointId))
  })
})
