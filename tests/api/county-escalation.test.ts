import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { caseClient, hazardFeature, disputeFeature } from '../support/cases.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { addSecondTown, type TwoTowns } from '../support/two-towns.ts'
import type { LiveEvent } from '../../server/core/live/live-events.ts'

/*
 * Escalation to the county (事件上报) with two towns: A (the sample town) and
 * B (drawn along A's eastern border). Town dispatchers escalate their own
 * town's cases; the county dispatcher accepts, returns with instructions or
 * closes; each step is an entry of the case's ledger; a town never sees
 * another town's escalations; wrong states answer 4xx and change nothing.
 */
let t: TestApp
let towns: TwoTowns
let dispatcherA: TestUser
let dispatcherB: TestUser
let leaderA: TestUser
let stationA: TestUser
let countyDispatcher: TestUser
let countyLeader: TestUser
let hazardA: number
let disputeB: number
const live: LiveEvent[] = []

const post = (user: TestUser, url: string, payload: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, headers: { ...user.headers, ...headers }, payload })
const get = (user: TestUser, url: string) => t.app.inject({ url, headers: user.headers })
const timeline = async (user: TestUser, kind: 'hazard' | 'dispute', id: number) => (await get(user, `/api/cases/${kind}/${id}/timeline`)).json()
const queueOf = async (user: TestUser, query = '') => (await get(user, `/api/county/escalations${query}`)).json().escalations as Array<{ id: number; status: string; case: { id: number } }>

beforeAll(async () => {
  t = await createTestApp()
  towns = await addSecondTown(t.database.engine.db)
  dispatcherA = await t.signIn('dispatcher', { townId: towns.townA })
  dispatcherB = await t.signIn('dispatcher', { townId: towns.townB })
  leaderA = await t.signIn('leader', { townId: towns.townA })
  stationA = await t.signIn('station', { townId: towns.townA })
  countyDispatcher = await t.signIn('county_dispatcher', { townId: null })
  countyLeader = await t.signIn('county_leader', { townId: null })
  const cases = caseClient(t)
  const hazard = await cases.register(dispatcherA, 'hazards', hazardFeature(towns.border.a))
  expect(hazard.statusCode, hazard.body).toBe(201)
  hazardA = hazard.json().id
  const dispute = await cases.register(dispatcherB, 'disputes', disputeFeature(towns.insideB, [towns.villageB]))
  expect(dispute.statusCode, dispute.body).toBe(201)
  disputeB = dispute.json().id
  t.app.live.subscribe((event) => live.push(event))
})

afterAll(async () => {
  await t?.close()
})

describe('escalating a case to the county (事件上报)', () => {
  it('records the town of each case from its village', async () => {
    const rows = await t.database.engine.db.selectFrom('cases').select(['id', 'town_id']).where('id', 'in', [hazardA, disputeB]).execute()
    expect(Object.fromEntries(rows.map((row) => [row.id, Number(row.town_id)]))).toEqual({ [hazardA]: towns.townA, [disputeB]: towns.townB })
  })

  it('refuses other roles, another town and a missing or blank reason, changing nothing', async () => {
    const before = (await timeline(dispatcherA, 'hazard', hazardA)).version
    expect((await post(stationA, '/api/county/escalations', { caseId: hazardA, reason: '需县级协调' })).statusCode).toBe(403)
    expect((await post(leaderA, '/api/county/escalations', { caseId: hazardA, reason: '需县级协调' })).statusCode).toBe(403)
    expect((await post(countyDispatcher, '/api/county/escalations', { caseId: hazardA, reason: '需县级协调' })).statusCode).toBe(403)
    const otherTown = await post(dispatcherB, '/api/county/escalations', { caseId: hazardA, reason: '需县级协调' })
    expect(otherTown.statusCode).toBe(404)
    expect((await post(dispatcherA, '/api/county/escalations', { caseId: hazardA })).statusCode).toBe(400)
    const blank = await post(dispatcherA, '/api/county/escalations', { caseId: hazardA, reason: '   ' })
    expect(blank.statusCode).toBe(400)
    expect(await queueOf(countyDispatcher)).toEqual([])
    expect((await timeline(dispatcherA, 'hazard', hazardA)).version).toBe(before)
  })

  it('says what is wrong: a blank reason asks for one, an unknown or foreign case is "no case" whatever its kind', async () => {
    for (const reason of ['', '  \n ']) {
      const zh = await post(dispatcherA, '/api/county/escalations', { caseId: hazardA, reason })
      expect(zh.statusCode).toBe(400)
      expect(zh.json()).toMatchObject({ code: 'escalation_reason_required', message: '请填写上报理由' })
      const en = await post(dispatcherA, '/api/county/escalations', { caseId: hazardA, reason }, { 'accept-language': 'en' })
      expect(en.json().message).toBe('Give a reason for the escalation')
    }
    const unknown = await post(dispatcherA, '/api/county/escalations', { caseId: 999_999, reason: '需县级协调' })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().message).toBe('没有编号为 999999 的事件')
    const unknownEn = await post(dispatcherA, '/api/county/escalations', { caseId: 999_999, reason: '需县级协调' }, { 'accept-language': 'en' })
    expect(unknownEn.json().message).toBe('No case with id 999999')
    // Another town's hazard answers the same words: neither its existence nor its kind leaks.
    const foreign = await post(dispatcherB, '/api/county/escalations', { caseId: hazardA, reason: '需县级协调' })
    expect(foreign.statusCode).toBe(404)
    expect(foreign.json().message).toBe(`没有编号为 ${hazardA} 的事件`)
    expect(await queueOf(countyDispatcher)).toEqual([])
  })

  it('puts the case in the county queue with its town and writes the ledger; a second escalation is refused', async () => {
    live.length = 0
    const before = await timeline(dispatcherA, 'hazard', hazardA)
    const stale = await post(dispatcherA, '/api/county/escalations', { caseId: hazardA, reason: '涉及跨镇' }, { 'if-match': `"${before.version + 5}"` })
    expect(stale.statusCode).toBe(412)
    const response = await post(dispatcherA, '/api/county/escalations', { caseId: hazardA, reason: '隐患涉及县级部门，需协调处置' }, { 'if-match': `"${before.version}"` })
    expect(response.statusCode, response.body).toBe(201)
    const escalation = response.json()
    expect(escalation).toMatchObject({ status: 'pending', reason: '隐患涉及县级部门，需协调处置', town: { id: towns.townA }, case: { id: hazardA, kind: 'hazard' }, allowedActions: ['accept', 'return', 'close'] })
    expect(response.headers.etag).toBe(`"${escalation.version}"`)
    const after = await timeline(dispatcherA, 'hazard', hazardA)
    expect(after.version).toBe(before.version + 1)
    expect(after.events.at(-1)).toMatchObject({ action: 'county-escalate', reason: '隐患涉及县级部门，需协调处置', changes: { countyEscalation: { before: null, after: 'pending' } }, version: after.version })
    expect(live).toEqual([expect.objectContaining({ kind: 'hazard', id: hazardA, action: 'county-escalate' })])

    const again = await post(dispatcherA, '/api/county/escalations', { caseId: hazardA, reason: '再次上报' })
    expect(again.statusCode).toBe(409)
    expect(again.json()).toMatchObject({ code: 'escalation_in_progress', escalationId: escalation.id })
  })

  it('shows the queue to county users (all towns, filter by town) and to the own town only', async () => {
    expect((await queueOf(countyDispatcher)).map((row) => row.case.id)).toEqual([hazardA])
    expect((await queueOf(countyLeader, `?townId=${towns.townA}`)).map((row) => row.case.id)).toEqual([hazardA])
    expect(await queueOf(countyLeader, `?townId=${towns.townB}`)).toEqual([])
    expect((await queueOf(leaderA)).map((row) => row.case.id)).toEqual([hazardA])
    expect(await queueOf(dispatcherB)).toEqual([])
    expect((await get(dispatcherB, `/api/county/escalations?townId=${towns.townA}`)).statusCode).toBe(403)
    expect((await get(stationA, '/api/county/escalations')).statusCode).toBe(403)
    const [row] = await queueOf(countyDispatcher)
    expect((await get(dispatcherB, `/api/county/escalations/${row.id}`)).statusCode).toBe(404)
    const detail = await get(countyDispatcher, `/api/county/escalations/${row.id}`)
    expect(detail.statusCode).toBe(200)
    expect(detail.json().ledger.map((event: { action: string }) => event.action)).toEqual(['register', 'county-escalate'])
  })

  it('lets only the county dispatcher act, in the order the states allow, each step in the town ledger', async () => {
    const [{ id }] = await queueOf(countyDispatcher)
    expect((await post(countyLeader, `/api/county/escalations/${id}/accept`, {})).statusCode).toBe(403)
    expect((await post(dispatcherA, `/api/county/escalations/${id}/accept`, {})).statusCode).toBe(403)
    expect((await post(countyDispatcher, `/api/county/escalations/${id}/return`, {})).statusCode).toBe(400)
    expect((await post(countyDispatcher, `/api/county/escalations/${id}/close`, { note: '' })).statusCode).toBe(400)
    expect((await post(countyDispatcher, `/api/county/escalations/${id}/accept`, {}, { 'if-match': '"99"' })).statusCode).toBe(412)
    const accepted = await post(countyDispatcher, `/api/county/escalations/${id}/accept`, {}, { 'if-match': '"1"' })
    expect(accepted.statusCode, accepted.body).toBe(200)
    expect(accepted.json()).toMatchObject({ status: 'accepted', allowedActions: ['return', 'close'] })
    const twice = await post(countyDispatcher, `/api/county/escalations/${id}/accept`, {})
    expect(twice.statusCode).toBe(409)
    expect(twice.json()).toMatchObject({ code: 'escalation_illegal_transition', status: 'accepted', allowedActions: ['return', 'close'] })

    const returned = await post(countyDispatcher, `/api/county/escalations/${id}/return`, { instructions: '请镇综治中心牵头，三日内整改并报县' })
    expect(returned.statusCode, returned.body).toBe(200)
    expect(returned.json()).toMatchObject({ status: 'returned', instructions: '请镇综治中心牵头，三日内整改并报县', finishedBy: countyDispatcher.username, allowedActions: [] })
    expect((await post(countyDispatcher, `/api/county/escalations/${id}/close`, { note: '办结' })).statusCode).toBe(409)

    const ledger = (await timeline(dispatcherA, 'hazard', hazardA)).events
    expect(ledger.slice(-2)).toMatchObject([
      { action: 'county-accept', role: 'county_dispatcher', changes: { countyEscalation: { before: 'pending', after: 'accepted' } } },
      { action: 'county-return', role: 'county_dispatcher', reason: '请镇综治中心牵头，三日内整改并报县', changes: { countyEscalation: { before: 'accepted', after: 'returned' } } },
    ])
  })

  it('accepts a new escalation of a returned case and closes it with a note', async () => {
    const again = await post(dispatcherA, '/api/county/escalations', { caseId: hazardA, reason: '整改需县级资金支持' })
    expect(again.statusCode, again.body).toBe(201)
    const closed = await post(countyDispatcher, `/api/county/escalations/${again.json().id}/close`, { note: '县应急局已拨付专项资金，办结' })
    expect(closed.json()).toMatchObject({ status: 'closed', closingNote: '县应急局已拨付专项资金，办结' })
    expect((await queueOf(countyDispatcher, '?status=pending&status=accepted'))).toEqual([])
    expect((await queueOf(countyDispatcher)).map((row) => row.status)).toEqual(['closed', 'returned'])
  })

  it('refuses to escalate a finished case', async () => {
    const cases = caseClient(t)
    expect((await cases.act(dispatcherB, 'disputes', disputeB, 'dispatch', { stationKey: 'legal-mediation', tier: 'general' })).statusCode).toBe(200)
    const finished = await cases.register(dispatcherB, 'hazards', hazardFeature(towns.insideB))
    const id = finished.json().id
    expect((await cases.act(dispatcherB, 'hazards', id, 'reject', { reason: '经核实不属实' })).statusCode).toBe(200)
    const response = await post(dispatcherB, '/api/county/escalations', { caseId: id, reason: '上报' })
    expect(response.statusCode).toBe(409)
    expect(response.json().code).toBe('escalation_case_closed')
    expect(await queueOf(dispatcherB)).toEqual([])
  })
})
