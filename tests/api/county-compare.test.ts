import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { caseClient, hazardFeature, disputeFeature } from '../support/cases.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { addSecondTown, type TwoTowns } from '../support/two-towns.ts'

/*
 * Comparing towns: the county KPI table by town (JSON and .xlsx, sortable,
 * key persons as protected counts) and dispute clusters across a town border.
 * Town A is the sample town, town B is drawn along A's eastern border.
 */
let t: TestApp
let towns: TwoTowns
let dispatcherA: TestUser
let dispatcherB: TestUser
let leaderA: TestUser
let countyLeader: TestUser
let since: string
const ids: Record<string, number> = {}

const get = (user: TestUser, url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers: { ...user.headers, ...headers } })

beforeAll(async () => {
  t = await createTestApp()
  towns = await addSecondTown(t.database.engine.db)
  dispatcherA = await t.signIn('dispatcher', { townId: towns.townA })
  dispatcherB = await t.signIn('dispatcher', { townId: towns.townB })
  leaderA = await t.signIn('leader', { townId: towns.townA })
  countyLeader = await t.signIn('county_leader', { townId: null })
  since = new Date(Date.now() - 60_000).toISOString()
  const cases = caseClient(t)
  const register = async (name: string, user: TestUser, kind: 'hazards' | 'disputes', feature: unknown) => {
    const response = await cases.register(user, kind, feature)
    expect(response.statusCode, response.body).toBe(201)
    ids[name] = response.json().id
  }
  // Two disputes of A and one of B within ~200 m of each other across the border: one cluster spanning both towns.
  await register('a1', dispatcherA, 'disputes', disputeFeature(towns.border.a, [towns.villageA]))
  await register('a2', dispatcherA, 'disputes', disputeFeature(towns.border.a, [towns.villageA]))
  await register('b1', dispatcherB, 'disputes', disputeFeature(towns.border.b, [towns.villageB]))
  // Far inside B: a dispute whose parties come from both towns, and a hazard.
  // Town B's dispatcher names the second party's home village in town A (the directory of divisions, migration 0023).
  await register('b2', dispatcherB, 'disputes', disputeFeature(towns.insideB, [towns.villageB, towns.villageA]))
  await register('b3', dispatcherB, 'disputes', disputeFeature(towns.insideB, [towns.villageB]))
  await register('hb', dispatcherB, 'hazards', hazardFeature(towns.insideB))
})

afterAll(async () => {
  await t?.close()
})

describe('county KPI table by town', () => {
  it('has one row per town with the cases of the period, only for county users', async () => {
    expect((await get(leaderA, `/api/county/kpis?from=${since}`)).statusCode).toBe(403)
    expect((await get(dispatcherA, `/api/county/kpis?from=${since}`)).statusCode).toBe(403)
    const response = await get(countyLeader, `/api/county/kpis?from=${since}`)
    expect(response.statusCode, response.body).toBe(200)
    const body = response.json()
    expect(body.towns.map((row: { townId: number }) => row.townId)).toEqual([towns.townA, towns.townB])
    expect(body.towns[0]).toMatchObject({ name: '喜洲镇', open: 2, overdue: 0, closed: 0, onTimeRate: null, disputes: 2, hazards: 0, escalationsInProgress: 0 })
    expect(body.towns[1]).toMatchObject({ name: '东岸镇', open: 4, disputes: 3, hazards: 1 })
    expect(body.protection).toMatchObject({ minCount: expect.any(Number) })
  })

  it('never shows a key-person count that could identify someone: rounded to k, null below k, for every reader', async () => {
    const body = (await get(countyLeader, `/api/county/kpis?from=${since}`)).json()
    const k = body.protection.minCount
    for (const row of body.towns) {
      if (row.keyPersons === null) expect(row.keyPersonsSuppressed).toBe(true)
      else expect(row.keyPersons % k).toBe(0)
    }
    expect(body.towns[1]).toMatchObject({ keyPersons: null, keyPersonsSuppressed: true })
  })

  it('sorts by a column (nulls last) and refuses an unknown one', async () => {
    const body = (await get(countyLeader, `/api/county/kpis?from=${since}&sort=disputes&order=desc`)).json()
    expect(body.towns.map((row: { townId: number }) => row.townId)).toEqual([towns.townB, towns.townA])
    expect((await get(countyLeader, `/api/county/kpis?sort=bogus`)).statusCode).toBe(400)
    expect((await get(countyLeader, `/api/county/kpis?from=2030-01-01T00:00:00Z&to=2029-01-01T00:00:00Z`)).statusCode).toBe(400)
  })

  it('exports the table as .xlsx in the request language, in the order asked', async () => {
    for (const [lang, header, townB] of [['zh-CN', '乡镇', '东岸镇'], ['en', 'Town', 'Dong’an']] as const) {
      const response = await get(countyLeader, `/api/county/kpis.xlsx?from=${since}&sort=disputes&order=desc`, { 'accept-language': lang })
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toContain('spreadsheetml')
      const workbook = new ExcelJS.Workbook()
      await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer)
      const sheet = workbook.worksheets[0]
      expect(sheet.getRow(1).getCell(2).value).toBe(header)
      expect(sheet.getRow(2).getCell(2).value).toBe(townB)
      expect(sheet.getRow(2).getCell(7).value).toBe(3)
    }
  })
})

describe('dispute clusters across towns', () => {
  const clusters = async (user: TestUser, query = '') => {
    const response = await get(user, `/api/analytics/dispute-clusters?from=${since}&distanceMeters=300&minPoints=2${query}`)
    expect(response.statusCode, response.body).toBe(200)
    return response.json().features.map((feature: { properties: Record<string, unknown> }) => feature.properties) as Array<{
      memberIds: number[]
      towns: Array<{ id: number }>
      crossTown: boolean
      crossTownBy: string[]
    }>
  }

  it('marks a county cluster spanning the town border with the towns involved', async () => {
    const found = await clusters(countyLeader)
    const border = found.find((cluster) => cluster.memberIds.includes(ids.a1))!
    expect(border.memberIds).toEqual([ids.a1, ids.a2, ids.b1])
    expect(border).toMatchObject({ crossTown: true, crossTownBy: ['location', 'parties'] })
    expect(border.towns.map((town) => town.id)).toEqual([towns.townA, towns.townB])
    const inside = found.find((cluster) => cluster.memberIds.includes(ids.b2))!
    expect(inside.memberIds).toEqual([ids.b2, ids.b3])
    expect(inside).toMatchObject({ crossTown: true, crossTownBy: ['parties'] })
  })

  it('narrows a county user to one town on request', async () => {
    const found = await clusters(countyLeader, `&townId=${towns.townB}`)
    expect(found.flatMap((cluster) => cluster.memberIds).sort((x, y) => x - y)).toEqual([ids.b2, ids.b3])
  })

  it("keeps a town user's clusters inside their own town", async () => {
    const found = await clusters(leaderA, `&townId=${towns.townB}`)
    expect(found.map((cluster) => cluster.memberIds)).toEqual([[ids.a1, ids.a2]])
    expect(found[0]).toMatchObject({ crossTown: false, crossTownBy: [] })
  })
})

describe('risk map with towns side by side', () => {
  const risk = async (user: TestUser, query: string) => {
    const response = await get(user, `/api/analytics/risk/scores?from=${since}&${query}`)
    expect(response.statusCode, response.body).toBe(200)
    return response.json().areas as Array<{ id: number; counts: { openHazards: number; activeDisputes: number } }>
  }

  it('scores each town for county users, and one town on request', async () => {
    const byTown = await risk(countyLeader, 'level=town')
    expect(byTown.map((area) => area.id).sort((x, y) => x - y)).toEqual([towns.townA, towns.townB].sort((x, y) => x - y))
    expect(byTown.find((area) => area.id === towns.townB)!.counts).toMatchObject({ openHazards: 1, activeDisputes: 3 })
    expect(byTown.find((area) => area.id === towns.townA)!.counts).toMatchObject({ openHazards: 0, activeDisputes: 2 })
    expect((await risk(countyLeader, `level=village&townId=${towns.townB}`)).map((area) => area.id)).toEqual([towns.villageB])
  })

  it("keeps a town user's risk map to their own town", async () => {
    const villages = (await risk(leaderA, `level=village&townId=${towns.townB}`)).map((area) => area.id)
    expect(villages).not.toContain(towns.villageB)
    expect(villages).toContain(towns.villageA)
    expect((await risk(leaderA, 'level=town')).map((area) => area.id)).toEqual([towns.townA])
  })
})
