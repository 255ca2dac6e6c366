import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { sql } from 'kysely'
import { DISPUTE_BODIES, HAZARD_BODIES, caseClient, disputeFeature, gridPoints, hazardFeature, signInStation, type GridPoint } from '../support/cases.ts'
import { addSecondTown } from '../support/two-towns.ts'

/**
 * What the case answer tells the client so that it keeps no copy of a server
 * rule: `mayReveal` / `mayAddPhotos` (the rules of the reveal and photo
 * routes, per caller) and the English names of the recorded areas.
 */

let t: TestApp
let c: ReturnType<typeof caseClient>
let own: GridPoint
let elsewhere: GridPoint
let users: Record<'leader' | 'dispatcher' | 'station' | 'otherStation' | 'gridWorker' | 'registrant' | 'admin', TestUser>
let hazardId: number
let disputeId: number

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
    // Registers a hazard in their own grid, then is moved to another grid: still the registrant.
    registrant: await t.signIn('grid_worker', { gridIds: [own.baseGridId] }),
    admin: await t.signIn('admin'),
  }
  const hazard = await c.register(users.registrant, 'hazards', hazardFeature(own))
  expect(hazard.statusCode, hazard.body).toBe(201)
  hazardId = hazard.json().id
  await t.database.engine.db.updateTable('user_grids').set({ area_id: elsewhere.fineGridId }).where('user_id', '=', users.registrant.id).execute()
  const dispute = await c.register(users.dispatcher, 'disputes', disputeFeature(own, [own.villageId, elsewhere.villageId]))
  expect(dispute.statusCode, dispute.body).toBe(201)
  disputeId = dispute.json().id
  expect((await c.act(users.dispatcher, 'disputes', disputeId, 'dispatch', { stationKey: 'legal-mediation' })).statusCode).toBe(200)
})
afterAll(() => t?.close())

const REASON = '核实联系方式以便回访'

/** What the reveal route answers `user` for case `id` (it audits each try, which does not matter here). */
async function revealStatus(user: TestUser, id: number): Promise<number> {
  const response = await t.app.inject({ method: 'POST', url: `/api/cases/${id}/reveal`, headers: user.headers, payload: { fields: ['reporterPhone'], reason: REASON } })
  return response.statusCode
}

describe('mayReveal and mayAddPhotos in the case answer', () => {
  it('says true exactly where the reveal route lets the caller reveal, for every role and both kinds', async () => {
    const seen: string[] = []
    for (const [name, user] of Object.entries(users)) {
      for (const [collection, id] of [['hazards', hazardId], ['disputes', disputeId]] as const) {
        const item = await c.get(user, `/api/collections/${collection}/items/${id}`)
        if (item.statusCode === 404) continue
        expect(item.statusCode, item.body).toBe(200)
        const properties = item.json().properties
        const status = await revealStatus(user, id)
        expect([200, 403], `${name} ${collection}: ${status}`).toContain(status)
        expect(properties.mayReveal, `${name} ${collection}`).toBe(status === 200)
        expect(properties.mayAddPhotos, `${name} ${collection}`).toBe(properties.mayReveal)
        if (properties.mayReveal) seen.push(`${name}/${collection}`)
      }
    }
    // The rule's cases each appear: any case for admin and dispatcher, the registrant's own hazard, the station's dispute.
    expect(seen).toEqual(
      expect.arrayContaining(['dispatcher/hazards', 'dispatcher/disputes', 'admin/hazards', 'station/disputes', 'gridWorker/hazards', 'registrant/hazards']),
    )
    expect(seen).not.toContain('leader/hazards')
    expect(seen).not.toContain('otherStation/disputes')
  })

  it('is answered per caller in lists, workflow answers and the dispatch queue', async () => {
    const listed = (await c.get(users.leader, '/api/collections/hazards/items?limit=1000')).json().features as Array<{ properties: { mayReveal: boolean } }>
    expect(listed.length).toBeGreaterThan(0)
    expect(listed.every((feature) => feature.properties.mayReveal === false)).toBe(true)
    const id = (await c.register(users.dispatcher, 'disputes', disputeFeature(own, [own.villageId]))).json().id
    const queue = (await c.get(users.dispatcher, '/api/dispatch/queue')).json().items as Array<{ case: { id: number; mayReveal: boolean } }>
    expect(queue.find((item) => item.case.id === id)?.case.mayReveal).toBe(true)
    const dispatched = await c.act(users.dispatcher, 'disputes', id, 'dispatch', { stationKey: 'police' })
    expect(dispatched.statusCode, dispatched.body).toBe(200)
    expect(dispatched.json().mayReveal).toBe(true)
    const asOtherStation = (await c.get(users.otherStation, `/api/collections/disputes/items/${id}`)).json().properties
    expect(asOtherStation.mayReveal).toBe(true)
    expect((await c.get(users.station, `/api/collections/disputes/items/${id}`)).json().properties.mayReveal).toBe(false)
  })
})

/** What an action route answers `user` for `action` on case `id` when sent with a stale If-Match: 403 before the version check, 412 after it (nothing changes). */
async function actionGate(user: TestUser, collection: 'hazards' | 'disputes', id: number, action: string): Promise<number> {
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/${collection}/${id}/${action}`,
    headers: { ...user.headers, 'if-match': '"999999"' },
    payload: (collection === 'hazards' ? HAZARD_BODIES : DISPUTE_BODIES)[action],
  })
  return response.statusCode
}

describe('permittedActions in the case answer', () => {
  it('lists, of the actions the status allows, exactly those the action routes let the caller take, for every role and both kinds', async () => {
    const expected: Record<string, Record<string, 'all' | 'none' | string[]>> = {
      leader: { hazards: 'none', disputes: 'none' },
      dispatcher: { hazards: 'all', disputes: 'all' },
      admin: { hazards: 'all', disputes: 'all' },
      station: { hazards: 'none', disputes: ['resolve', 'feedback'] },
      otherStation: { hazards: 'none', disputes: 'none' },
      gridWorker: { hazards: 'all', disputes: 'none' },
      // The registrant's grids were changed behind the API's back (a direct update), which a
      // cached credential may not see yet: only the route check below applies to them.
      registrant: {},
    }
    for (const [name, user] of Object.entries(users)) {
      for (const [collection, id] of [['hazards', hazardId], ['disputes', disputeId]] as const) {
        const item = await c.get(user, `/api/collections/${collection}/items/${id}`)
        if (item.statusCode === 404) continue
        const { allowedActions, permittedActions } = item.json().properties as { allowedActions: string[]; permittedActions: string[] }
        expect(allowedActions.length, `${collection} has actions`).toBeGreaterThan(0)
        const rule = expected[name][collection]
        if (rule) {
          const want = rule === 'all' ? allowedActions : rule === 'none' ? [] : allowedActions.filter((action) => rule.includes(action))
          expect(permittedActions, `${name} ${collection}`).toEqual(want)
        }
        for (const action of allowedActions) {
          const status = await actionGate(user, collection, id, action)
          expect(status === 403 ? 'refused' : 'permitted', `${name} ${collection} ${action}: ${status}`).toBe(permittedActions.includes(action) ? 'permitted' : 'refused')
        }
      }
    }
  })
})

describe('English names of the recorded areas', () => {
  it('gives the village and grids of a case with nameEn from the boundary version recorded on it', async () => {
    const properties = (await c.get(users.admin, `/api/collections/hazards/items/${hazardId}`)).json().properties
    const village = (await c.get(users.admin, `/api/collections/villages/items/${own.villageId}`)).json().properties
    expect(village.nameEn).toEqual(expect.any(String))
    expect(properties.village).toMatchObject({ id: own.villageId, name: village.name, nameEn: village.nameEn })
    expect(properties.baseGrid).toHaveProperty('nameEn')
    expect(properties.baseGrid.nameEn === null || typeof properties.baseGrid.nameEn === 'string').toBe(true)
  })
})

describe('a page of cases and a single case answer alike', () => {
  // Pages are written by the database (casePropertiesJson, phones masked in SQL), a single case by
  // Node from its parsed row (toCaseDto): every field must come out the same from both, for every reader.
  it('lists each case with exactly the fields, values and masks its own item has, for every role and both kinds', async () => {
    const db = t.database.engine.db
    const towns = await addSecondTown(db)
    const act = async (user: TestUser, collection: 'hazards' | 'disputes', id: number, action: string) => {
      const response = await c.act(user, collection, id, action, (collection === 'hazards' ? HAZARD_BODIES : DISPUTE_BODIES)[action])
      expect(response.statusCode, `${action}: ${response.body}`).toBe(200)
    }
    // A dispute through every step, with a party from the neighbouring town (homeTownName set).
    const done = await c.register(users.dispatcher, 'disputes', disputeFeature(own, [own.villageId, towns.villageB], { reporterPhone: '13812345678' }))
    expect(done.statusCode, done.body).toBe(201)
    const doneId = done.json().id as number
    for (const action of ['dispatch', 'resolve', 'feedback', 'evaluate']) await act(users.dispatcher, 'disputes', doneId, action)
    // A hazard through every step, with photos recorded on it.
    const closed = await c.register(users.gridWorker, 'hazards', hazardFeature(own, { reporterPhone: '0872-1234567', description: '带"引号"、反斜杠\\ 与换行\n\t及控制符\u0001的描述' }))
    expect(closed.statusCode, closed.body).toBe(201)
    const closedId = closed.json().id as number
    for (const action of ['verify', 'start-rectification', 'rectify', 'close']) await act(users.dispatcher, 'hazards', closedId, action)
    // Phones of every length the mask treats apart (none, up to 7 characters, longer), and photos.
    await sql`UPDATE case_parties SET phone = CASE seq WHEN 1 THEN '1234567' ELSE NULL END WHERE case_id = ${doneId}`.execute(db)
    await sql`UPDATE cases SET photos = '[{"id": 7, "url": "/api/cases/1/photos/7", "name": "现场.jpg"}]'::jsonb WHERE id = ${closedId}`.execute(db)

    const interesting = [hazardId, disputeId, doneId, closedId]
    let compared = 0
    for (const [name, user] of Object.entries(users)) {
      for (const collection of ['hazards', 'disputes'] as const) {
        const page = await c.get(user, `/api/collections/${collection}/items?limit=1000`)
        expect(page.statusCode, page.body).toBe(200)
        const features = page.json().features as Array<{ id: number; properties: Record<string, unknown> }>
        const chosen = features.filter((feature, index) => index < 10 || interesting.includes(feature.id))
        for (const feature of chosen) {
          const item = await c.get(user, `/api/collections/${collection}/items/${feature.id}`)
          expect(item.statusCode, item.body).toBe(200)
          const { links: _links, ...single } = item.json()
          expect(feature, `${name} ${collection} ${feature.id}`).toEqual(single)
          compared += 1
        }
      }
    }
    const listed = (await c.get(users.dispatcher, '/api/collections/disputes/items?limit=1000')).json().features as Array<{ id: number; properties: Record<string, any> }>
    const dispute = listed.find((feature) => feature.id === doneId)!.properties
    expect(dispute).toMatchObject({ reporterPhone: '138****5678', status: 'evaluated', satisfaction: 5, evaluatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) })
    expect(dispute.parties.map((party: { phone: string | null; homeTownName: string | null }) => [party.phone, party.homeTownName])).toEqual([
      ['*******', null],
      [null, '东岸镇'],
    ])
    const hazards = (await c.get(users.dispatcher, '/api/collections/hazards/items?limit=1000')).json().features as Array<{ id: number; properties: Record<string, any> }>
    expect(hazards.find((feature) => feature.id === closedId)!.properties).toMatchObject({ status: 'closed', reporterPhone: '087*****4567', photos: [{ id: 7, name: '现场.jpg' }] })
    expect(compared).toBeGreaterThanOrEqual(30)
  })
})
