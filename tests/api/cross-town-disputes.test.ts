import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runWithDbScope, type DbScope } from '../../server/core/db/db-scope.ts'
import { caseClient, disputeFeature } from '../support/cases.ts'
import { ENGINE_UNDER_TEST } from '../support/test-database.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { addSecondTown, type TwoTowns } from '../support/two-towns.ts'
import { addSecondTown as addFarTown, type SecondTown } from '../support/second-town.ts'

/*
 * Disputes across a town border (migration 0023): a town's dispatcher records
 * a party whose home village is in the neighbouring town (the dispute stays in
 * its own town), and a joint case (联调) opened by the county on disputes of
 * two towns is seen by each of them with its own disputes only.
 * Town A is the sample town, B is drawn along A's eastern border, C lies
 * further east and has nothing to do with either.
 */
let t: TestApp
let towns: TwoTowns
let c: SecondTown
let dispatcherA: TestUser
let dispatcherB: TestUser
let leaderB: TestUser
let countyDispatcher: TestUser
let countyLeader: TestUser
const ids: Record<string, number> = {}

const get = (user: TestUser, url: string) => t.app.inject({ url, headers: user.headers })
const post = (user: TestUser, url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: user.headers, payload })
const db = () => t.database.engine.db
const count = async (query: string) => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.raw(query)}`.execute(db())).rows[0].n)
const inTown = <T>(townId: number, work: () => Promise<T>) => runWithDbScope({ kind: 'town', townId } satisfies DbScope, work)

beforeAll(async () => {
  t = await createTestApp()
  towns = await addSecondTown(db())
  c = await addFarTown(t)
  dispatcherA = await t.signIn('dispatcher', { townId: towns.townA })
  dispatcherB = await t.signIn('dispatcher', { townId: towns.townB })
  leaderB = await t.signIn('leader', { townId: towns.townB })
  countyDispatcher = await t.signIn('county_dispatcher', { townId: null })
  countyLeader = await t.signIn('county_leader', { townId: null })
  const cases = caseClient(t)
  const register = async (name: string, user: TestUser, feature: unknown) => {
    const response = await cases.register(user, 'disputes', feature)
    expect(response.statusCode, response.body).toBe(201)
    ids[name] = response.json().id
  }
  await register('a1', dispatcherA, disputeFeature(towns.border.a, [towns.villageA]))
  await register('a2', dispatcherA, disputeFeature(towns.border.a, [towns.villageA]))
  await register('b1', dispatcherB, disputeFeature(towns.border.b, [towns.villageB]))
}, 240_000)

afterAll(async () => {
  await t?.close()
})

describe(`a party from a neighbouring town's village (${ENGINE_UNDER_TEST})`, () => {
  it('the directory of divisions lists every town with its villages, names and codes only, to a town user', async () => {
    const response = await get(dispatcherA, '/api/towns/villages')
    expect(response.statusCode, response.body).toBe(200)
    const body = response.json() as { ownTownId: number; towns: Array<Record<string, unknown> & { id: number; villages: Array<Record<string, unknown>> }> }
    expect(body.ownTownId).toBe(towns.townA)
    expect(body.towns.map((town) => town.id)).toEqual(expect.arrayContaining([towns.townA, towns.townB, c.townId]))
    const b = body.towns.find((town) => town.id === towns.townB)!
    expect(b).toMatchObject({ name: '东岸镇', villages: [{ id: towns.villageB, name: '东岸村', code: expect.stringMatching(/^\d{12}$/) }] })
    // Nothing but names and codes: no geometry, population, grids, staff or cases of the other town.
    for (const town of body.towns) {
      expect(Object.keys(town).sort()).toEqual(['code', 'id', 'name', 'nameEn', 'villages'])
      for (const village of town.villages) expect(Object.keys(village).sort()).toEqual(['code', 'id', 'name', 'nameEn'])
    }
    expect(response.body).not.toMatch(/geom|coordinates|population|households/)
    // Row-level security still hides B's areas themselves from A.
    expect((await get(dispatcherA, `/api/collections/villages/items/${towns.villageB}`)).statusCode).toBe(404)
  })

  it('a town dispatcher records a dispute in its town with a party living in the neighbouring town', async () => {
    const response = await caseClient(t).register(dispatcherA, 'disputes', disputeFeature(towns.border.a, [towns.villageA, towns.villageB]))
    // Before: 400 unknown_villages (row-level security hid town B's village from town A's dispatcher).
    expect(response.statusCode, response.body).toBe(201)
    ids.cross = response.json().id
    const read = await get(dispatcherA, `/api/collections/disputes/items/${ids.cross}`)
    expect(read.statusCode).toBe(200)
    const properties = read.json().properties
    expect(properties.crossVillage).toBe(true)
    expect(
      properties.parties.map((party: { homeVillageId: number; homeVillageName: string; homeTownName: string | null }) => [party.homeVillageId, party.homeVillageName, party.homeTownName]),
    ).toEqual([
      [towns.villageA, expect.any(String), null],
      [towns.villageB, '东岸村', '东岸镇'],
    ])
    // The dispute stays in the town where it happened: town A's, not B's.
    const { rows } = await sql<{ town_id: number }>`SELECT town_id FROM cases WHERE id = ${ids.cross}`.execute(db())
    expect(Number(rows[0].town_id)).toBe(towns.townA)
    expect((await get(dispatcherB, `/api/collections/disputes/items/${ids.cross}`)).statusCode).toBe(404)
    // County users see the party's village by name too.
    const county = (await get(countyLeader, `/api/collections/disputes/items/${ids.cross}`)).json().properties
    expect(county.parties[1].homeVillageName).toBe('东岸村')
  })

  it('the dispute counts of town B do not include town A\'s dispute with a party from B', async () => {
    const listed = (await get(leaderB, '/api/collections/disputes/items?limit=100')).json()
    const listedIds = listed.features.map((feature: { id: number }) => Number(feature.id))
    expect(listedIds).toContain(ids.b1)
    expect(listedIds).not.toContain(ids.cross)
    expect(listed.numberMatched).toBe(await inTown(towns.townB, () => count(`cases WHERE kind = 'dispute'`)))
  })

  it('refuses a home village that is not a village in force anywhere (400, nothing written)', async () => {
    const before = await count('cases')
    const grid = await caseClient(t).register(dispatcherA, 'disputes', disputeFeature(towns.border.a, [towns.villageA, c.fineGridId]))
    expect(grid.statusCode).toBe(400)
    expect(grid.json().message).toContain(String(c.fineGridId))
    const missing = await caseClient(t).register(dispatcherA, 'disputes', disputeFeature(towns.border.a, [999_999_999]))
    expect(missing.statusCode).toBe(400)
    expect(await count('cases')).toBe(before)
  })
})

describe(`a joint case across a town border (${ENGINE_UNDER_TEST})`, () => {
  const jointCases = async (user: TestUser) => {
    const response = await get(user, '/api/analytics/joint-cases')
    expect(response.statusCode, response.body).toBe(200)
    return response.json().jointCases as Array<{ id: number; caseIds: number[]; townIds: number[]; crossTown: boolean; disputes: Array<{ id: number }>; cluster: Record<string, unknown>; status: string }>
  }

  it('a town dispatcher cannot open one on another town\'s dispute (400 like a missing dispute, nothing written)', async () => {
    const before = await count('joint_cases')
    const response = await post(dispatcherA, '/api/analytics/dispute-clusters/joint-case', {
      title: '跨镇联调', caseIds: [ids.a1, ids.b1], stationKeys: ['legal-mediation'],
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().message).toContain('县指挥中心')
    expect(await count('joint_cases')).toBe(before)
  })

  it('the county dispatcher opens it; it belongs to the first dispute\'s town and lists both towns', async () => {
    const response = await post(countyDispatcher, '/api/analytics/dispute-clusters/joint-case', {
      title: '两镇交界排水沟联调', caseIds: [ids.a1, ids.a2, ids.b1], stationKeys: ['legal-mediation', 'police'],
      cluster: { memberIds: [ids.a1, ids.a2, ids.b1], firstReportedAt: '2026-01-01T00:00:00Z' },
    })
    expect(response.statusCode, response.body).toBe(201)
    ids.joint = response.json().id
    const { rows } = await sql<{ town_id: number; town_ids: Array<number | string> }>`SELECT town_id, town_ids FROM joint_cases WHERE id = ${ids.joint}`.execute(db())
    expect(Number(rows[0].town_id)).toBe(towns.townA)
    expect(rows[0].town_ids.map(Number)).toEqual([towns.townA, towns.townB].sort((x, y) => x - y))
    const links = await sql<{ case_id: number; town_id: number }>`SELECT case_id, town_id FROM joint_case_disputes WHERE joint_case_id = ${ids.joint} ORDER BY case_id`.execute(db())
    expect(links.rows.map((row) => [Number(row.case_id), Number(row.town_id)])).toEqual([
      [ids.a1, towns.townA],
      [ids.a2, towns.townA],
      [ids.b1, towns.townB],
    ])
  })

  it('each town sees the joint case with its own disputes only; town C sees nothing; the county sees all', async () => {
    const ofA = (await jointCases(dispatcherA)).find((joint) => joint.id === ids.joint)!
    expect(ofA).toMatchObject({ caseIds: [ids.a1, ids.a2], crossTown: true, townIds: [towns.townA, towns.townB].sort((x, y) => x - y), cluster: {} })
    expect(ofA.disputes.map((dispute) => dispute.id)).toEqual([ids.a1, ids.a2])
    for (const user of [dispatcherB, leaderB]) {
      const ofB = (await jointCases(user)).find((joint) => joint.id === ids.joint)!
      expect(ofB, user.role).toMatchObject({ caseIds: [ids.b1], crossTown: true, cluster: {}, stationKeys: ['legal-mediation', 'police'] })
      expect(ofB.disputes.map((dispute) => dispute.id)).toEqual([ids.b1])
    }
    for (const user of [c.users.dispatcher!, c.users.leader!]) expect((await jointCases(user)).map((joint) => joint.id), user.role).not.toContain(ids.joint)
    for (const user of [countyDispatcher, countyLeader]) {
      const ofCounty = (await jointCases(user)).find((joint) => joint.id === ids.joint)!
      expect(ofCounty.caseIds).toEqual([ids.a1, ids.a2, ids.b1])
      expect(ofCounty.cluster).toMatchObject({ memberIds: [ids.a1, ids.a2, ids.b1] })
    }
  })

  it('each dispute\'s ledger names the members of its own town only', async () => {
    const timeline = (await get(dispatcherB, `/api/cases/dispute/${ids.b1}/timeline`)).json()
    const entry = timeline.events.find((event: { action: string }) => event.action === 'joint-case')
    expect(entry.changes.jointMembers.after).toEqual([ids.b1])
    expect(entry.changes.jointCaseId.after).toBe(ids.joint)
    const ofA = (await get(dispatcherA, `/api/cases/dispute/${ids.a1}/timeline`)).json()
    expect(ofA.events.find((event: { action: string }) => event.action === 'joint-case').changes.jointMembers.after).toEqual([ids.a1, ids.a2])
  })

  it('in the database: a query without a WHERE shows each town its own links, the joint case and its stations; town C nothing', async () => {
    const rowsOf = (townId: number) =>
      inTown(townId, async () => ({
        joints: (await sql<{ id: number }>`SELECT id FROM joint_cases WHERE id = ${ids.joint}`.execute(db())).rows.length,
        links: (await sql<{ case_id: number }>`SELECT case_id FROM joint_case_disputes WHERE joint_case_id = ${ids.joint} ORDER BY case_id`.execute(db())).rows.map((row) => Number(row.case_id)),
        stations: (await sql<{ n: number }>`SELECT count(*)::int AS n FROM joint_case_stations WHERE joint_case_id = ${ids.joint}`.execute(db())).rows[0].n,
        otherTownLinks: (await sql<{ n: number }>`SELECT count(*)::int AS n FROM joint_case_disputes WHERE town_id <> ${townId}`.execute(db())).rows[0].n,
      }))
    expect(await rowsOf(towns.townA)).toEqual({ joints: 1, links: [ids.a1, ids.a2], stations: 2, otherTownLinks: 0 })
    expect(await rowsOf(towns.townB)).toEqual({ joints: 1, links: [ids.b1], stations: 2, otherTownLinks: 0 })
    expect(await rowsOf(c.townId)).toEqual({ joints: 0, links: [], stations: 0, otherTownLinks: 0 })
  })

  it('in the database: a town cannot change the towns of a joint case, close one spanning towns, or link to another town\'s', async () => {
    await expect(inTown(towns.townA, () => sql`UPDATE joint_cases SET town_ids = ARRAY[${towns.townA}]::bigint[] WHERE id = ${ids.joint}`.execute(db()))).rejects.toThrow(
      /follow its disputes|row-level security/,
    )
    await expect(
      inTown(towns.townA, () => sql`UPDATE joint_cases SET status = 'closed', closed_at = now(), closed_by = ${dispatcherA.id}, close_reason = 'x' WHERE id = ${ids.joint}`.execute(db())),
    ).rejects.toThrow(/row-level security/)
    // Town C links its own dispute to the joint case it cannot see: refused.
    await expect(inTown(c.townId, () => sql`INSERT INTO joint_case_disputes (joint_case_id, case_id) VALUES (${ids.joint}, ${c.disputeId})`.execute(db()))).rejects.toThrow(
      /row-level security/,
    )
    const { rows } = await sql<{ status: string; town_ids: Array<number | string> }>`SELECT status, town_ids FROM joint_cases WHERE id = ${ids.joint}`.execute(db())
    expect(rows[0].status).toBe('open')
    expect(rows[0].town_ids.map(Number)).toEqual([towns.townA, towns.townB].sort((x, y) => x - y))
  })

  it('towns cannot close it (403, nothing changed); the county dispatcher closes it on every town\'s ledger', async () => {
    for (const user of [dispatcherA, dispatcherB]) {
      const refused = await post(user, `/api/analytics/joint-cases/${ids.joint}/close`, { reason: '已调解' })
      expect(refused.statusCode, user.username).toBe(403)
      expect(refused.json().message).toContain('县指挥中心')
    }
    expect((await post(c.users.dispatcher!, `/api/analytics/joint-cases/${ids.joint}/close`, { reason: '已调解' })).statusCode).toBe(404)
    expect(await count(`case_events WHERE action = 'joint-case-close'`)).toBe(0)
    const closed = await post(countyDispatcher, `/api/analytics/joint-cases/${ids.joint}/close`, { reason: '两镇联合调解成功' })
    expect(closed.statusCode, closed.body).toBe(200)
    expect(closed.json().caseIds).toEqual([ids.a1, ids.a2, ids.b1])
    const { rows } = await sql<{ case_id: number }>`SELECT case_id FROM case_events WHERE action = 'joint-case-close' ORDER BY case_id`.execute(db())
    expect(rows.map((row) => Number(row.case_id))).toEqual([ids.a1, ids.a2, ids.b1])
    expect((await jointCases(dispatcherB)).find((joint) => joint.id === ids.joint)?.status).toBe('closed')
  })

  it('a town still opens and closes a joint case of its own town alone', async () => {
    const cases = caseClient(t)
    const more: number[] = []
    for (let i = 0; i < 2; i += 1) {
      const response = await cases.register(dispatcherB, 'disputes', disputeFeature(towns.insideB, [towns.villageB]))
      expect(response.statusCode, response.body).toBe(201)
      more.push(response.json().id)
    }
    const opened = await post(dispatcherB, '/api/analytics/dispute-clusters/joint-case', { title: '本镇联调', caseIds: more, stationKeys: ['legal-mediation'] })
    expect(opened.statusCode, opened.body).toBe(201)
    const ofB = (await jointCases(dispatcherB)).find((joint) => joint.id === opened.json().id)!
    expect(ofB).toMatchObject({ crossTown: false, townIds: [towns.townB], caseIds: more })
    expect((await jointCases(dispatcherA)).map((joint) => joint.id)).not.toContain(opened.json().id)
    const closed = await post(dispatcherB, `/api/analytics/joint-cases/${opened.json().id}/close`, { reason: '已调解' })
    expect(closed.statusCode, closed.body).toBe(200)
  })
})
