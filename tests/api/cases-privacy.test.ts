import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { caseClient, disputeFeature, gridPoints, hazardFeature, signInStation, type GridPoint } from '../support/cases.ts'

let t: TestApp
let c: ReturnType<typeof caseClient>
let own: GridPoint
let elsewhere: GridPoint
let users: Record<'leader' | 'dispatcher' | 'station' | 'otherStation' | 'gridWorker' | 'otherGridWorker' | 'admin', TestUser>
let hazardId: number
let disputeId: number

const REPORTER = '13812341234'
const PARTY_A = '13900001111'
const PARTY_B = '0872-2671234'

let auditor: TestUser

beforeAll(async () => {
  t = await createTestApp()
  c = caseClient(t)
  const points = await gridPoints(t.database.engine.db)
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
  auditor = await t.signIn('audit_admin')
  const hazard = await c.register(users.dispatcher, 'hazards', hazardFeature(own, { reporterPhone: REPORTER }))
  expect(hazard.statusCode, hazard.body).toBe(201)
  hazardId = hazard.json().id
  const feature = disputeFeature(own, [own.villageId, elsewhere.villageId], {
    reporterPhone: REPORTER,
    parties: [
      { name: '当事人1', homeVillageId: own.villageId, role: 'applicant', phone: PARTY_A },
      { name: '当事人2', homeVillageId: elsewhere.villageId, role: 'respondent', phone: PARTY_B },
    ],
  })
  const dispute = await c.register(users.dispatcher, 'disputes', feature)
  expect(dispute.statusCode, dispute.body).toBe(201)
  disputeId = dispute.json().id
})
afterAll(() => t?.close())

const reveal = (user: TestUser, id: number, body: object, lang = 'zh') =>
  t.app.inject({ method: 'POST', url: `/api/cases/${id}/reveal`, headers: { ...user.headers, 'accept-language': lang }, payload: body })

const auditOf = async (id: number) => {
  const response = await c.get(auditor, `/api/audit?subjectKind=case&subjectId=${id}&limit=500`)
  expect(response.statusCode, response.body).toBe(200)
  return response.json().entries as Array<{ action: string; username: string; fields: string[]; reason: string | null }>
}

describe('phones of cases are masked', () => {
  it('masks reporter and party phones in every view and for every role, admin included', async () => {
    for (const user of Object.values(users)) {
      const listed = await c.get(user, `/api/collections/disputes/items?limit=1000`)
      const text = listed.body
      expect(text).not.toContain(REPORTER)
      expect(text).not.toContain(PARTY_A)
    }
    const item = (await c.get(users.admin, `/api/collections/disputes/items/${disputeId}`)).json().properties
    expect(item.reporterPhone).toBe('138****1234')
    expect(item.parties.map((p: { phone: string }) => p.phone)).toEqual(['139****1111', '087*****1234'])
    const hazard = (await c.get(users.dispatcher, `/api/collections/hazards/items/${hazardId}`)).json().properties
    expect(hazard.reporterPhone).toBe('138****1234')
    const queue = await c.get(users.dispatcher, '/api/dispatch/queue')
    expect(queue.body).not.toContain(PARTY_A)
  })

  it('masks the phones in the answer to a workflow action', async () => {
    const id = (await c.register(users.dispatcher, 'hazards', hazardFeature(own, { reporterPhone: REPORTER }))).json().id
    const verified = await c.act(users.dispatcher, 'hazards', id, 'verify', {})
    expect(verified.json().reporterPhone).toBe('138****1234')
  })
})

describe('revealing phones (POST /api/cases/{id}/reveal)', () => {
  it('lets the dispatcher reveal with a reason, and audits who, what and why', async () => {
    const response = await reveal(users.dispatcher, disputeId, { fields: ['reporterPhone', 'partyPhones'], reason: '联系当事人安排调解' })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toEqual({
      id: disputeId,
      reporterPhone: REPORTER,
      parties: [
        { seq: 1, name: '当事人1', phone: PARTY_A },
        { seq: 2, name: '当事人2', phone: PARTY_B },
      ],
    })
    const entries = await auditOf(disputeId)
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'reveal', username: users.dispatcher.username, fields: ['partyPhones', 'reporterPhone'], reason: '联系当事人安排调解' }),
      ]),
    )
  })

  it('lets the grid worker of the case’s grid and the admin reveal, only what they ask for', async () => {
    const worker = await reveal(users.gridWorker, hazardId, { fields: ['reporterPhone'], reason: '回访核实隐患情况' })
    expect(worker.statusCode, worker.body).toBe(200)
    expect(worker.json()).toEqual({ id: hazardId, reporterPhone: REPORTER })
    expect((await reveal(users.admin, hazardId, { fields: ['reporterPhone'], reason: '核对登记信息' })).statusCode).toBe(200)
  })

  it('refuses leaders (403, audited as denied) and hides the case from other grids’ workers (404)', async () => {
    const leader = await reveal(users.leader, disputeId, { fields: ['partyPhones'], reason: '想看一下号码' }, 'en')
    expect(leader.statusCode).toBe(403)
    expect(leader.json()).toMatchObject({ code: 'case_reveal_forbidden', message: expect.stringContaining('reveal') })
    expect(leader.body).not.toContain(PARTY_A)
    const denied = (await auditOf(disputeId)).filter((entry) => entry.action === 'denied')
    expect(denied).toEqual([expect.objectContaining({ username: users.leader.username, fields: ['partyPhones'] })])
    const other = await reveal(users.otherGridWorker, hazardId, { fields: ['reporterPhone'], reason: '核实一下情况' })
    expect(other.statusCode).toBe(404)
    expect(other.body).not.toContain(REPORTER)
  })

  it('lets station staff reveal only once the dispute is dispatched to their station', async () => {
    const before = await reveal(users.station, disputeId, { fields: ['partyPhones'], reason: '联系当事人调解' })
    expect(before.statusCode).toBe(403)
    expect((await c.act(users.dispatcher, 'disputes', disputeId, 'dispatch', { stationKey: 'legal-mediation' })).statusCode).toBe(200)
    const after = await reveal(users.station, disputeId, { fields: ['partyPhones'], reason: '联系当事人调解' })
    expect(after.statusCode, after.body).toBe(200)
    expect(after.json().parties[0].phone).toBe(PARTY_A)
    expect((await reveal(users.otherStation, disputeId, { fields: ['partyPhones'], reason: '联系当事人调解' })).statusCode).toBe(403)
  })

  it('needs a reason of at least 5 characters and known fields; a refused request writes no reveal entry', async () => {
    const before = (await auditOf(hazardId)).length
    const short = await reveal(users.dispatcher, hazardId, { fields: ['reporterPhone'], reason: '看看' })
    expect(short.statusCode).toBe(400)
    const blank = await reveal(users.dispatcher, hazardId, { fields: ['reporterPhone'], reason: '          ' })
    expect(blank.statusCode).toBe(400)
    expect(blank.json().code).toBe('case_reveal_reason_required')
    expect((await reveal(users.dispatcher, hazardId, { fields: ['idNumber'], reason: '核对登记信息' })).statusCode).toBe(400)
    expect((await reveal(users.dispatcher, 999999, { fields: ['reporterPhone'], reason: '核对登记信息' })).statusCode).toBe(404)
    expect((await auditOf(hazardId)).length).toBe(before)
  })
})
