import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setMeta } from '../../server/core/db/app-meta.repository.ts'
import { caseClient, disputeFeature, hazardFeature } from '../support/cases.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { addSecondTown, type TwoTowns } from '../support/two-towns.ts'

/*
 * The risk map narrowed by town: the change view, the binned counts and the
 * heat map (both GET /api/analytics/bins) take `townId` as the risk scores do —
 * a county user may pick one town, a town user is always held to their own.
 * And the header's place name: /api/meta names the county for county users.
 * Town A is the sample town, town B is drawn along A's eastern border.
 */
let t: TestApp
let towns: TwoTowns
let dispatcherA: TestUser
let dispatcherB: TestUser
let leaderA: TestUser
let leaderB: TestUser
let countyLeader: TestUser
let since: string
const ids: Record<string, number> = {}

const get = (user: TestUser, url: string) => t.app.inject({ url, headers: user.headers })
const ok = async (user: TestUser, url: string) => {
  const response = await get(user, url)
  expect(response.statusCode, response.body).toBe(200)
  return response.json()
}

beforeAll(async () => {
  t = await createTestApp()
  towns = await addSecondTown(t.database.engine.db)
  dispatcherA = await t.signIn('dispatcher', { townId: towns.townA })
  dispatcherB = await t.signIn('dispatcher', { townId: towns.townB })
  leaderA = await t.signIn('leader', { townId: towns.townA })
  leaderB = await t.signIn('leader', { townId: towns.townB })
  countyLeader = await t.signIn('county_leader', { townId: null })
  since = new Date(Date.now() - 60_000).toISOString()
  const cases = caseClient(t)
  const register = async (name: string, user: TestUser, kind: 'hazards' | 'disputes', feature: unknown) => {
    const response = await cases.register(user, kind, feature)
    expect(response.statusCode, response.body).toBe(201)
    ids[name] = response.json().id
  }
  // Two disputes of A and one of B about 150 m apart across the border (one hexagon of 2 km holds them all),
  // two more disputes and a hazard deep in B.
  await register('a1', dispatcherA, 'disputes', disputeFeature(towns.border.a, [towns.villageA]))
  await register('a2', dispatcherA, 'disputes', disputeFeature(towns.border.a, [towns.villageA]))
  await register('b1', dispatcherB, 'disputes', disputeFeature(towns.border.b, [towns.villageB]))
  await register('b2', dispatcherB, 'disputes', disputeFeature(towns.insideB, [towns.villageB]))
  await register('b3', dispatcherB, 'disputes', disputeFeature(towns.insideB, [towns.villageB]))
  await register('hb', dispatcherB, 'hazards', hazardFeature(towns.insideB))
})

afterAll(async () => {
  await t?.close()
})

describe('risk change (变化) by town', () => {
  const changedAreas = async (user: TestUser, query: string) => {
    const compareTo = since
    const compareFrom = new Date(Date.parse(since) - 30 * 86_400_000).toISOString()
    const body = await ok(user, `/api/analytics/risk/change?level=village&from=${since}&compareFrom=${compareFrom}&compareTo=${compareTo}${query}`)
    return body.areas.filter((row: { delta: number }) => row.delta > 0).map((row: { area: { id: number } }) => row.area.id) as number[]
  }

  it('gives a county user every town, or only the town asked for', async () => {
    expect((await changedAreas(countyLeader, '')).sort((x, y) => x - y)).toEqual([towns.villageA, towns.villageB].sort((x, y) => x - y))
    const body = await ok(countyLeader, `/api/analytics/risk/change?level=village&from=${since}&compareTo=${since}&townId=${towns.townB}`)
    expect(body.areas.map((row: { area: { id: number } }) => row.area.id)).toEqual([towns.villageB])
    expect(await changedAreas(countyLeader, `&townId=${towns.townA}`)).toEqual([towns.villageA])
  })

  it("holds a town user to their own town whatever townId they send", async () => {
    const body = await ok(leaderA, `/api/analytics/risk/change?level=village&from=${since}&compareTo=${since}&townId=${towns.townB}`)
    const areaIds = body.areas.map((row: { area: { id: number } }) => row.area.id)
    expect(areaIds).toContain(towns.villageA)
    expect(areaIds).not.toContain(towns.villageB)
    expect(await changedAreas(leaderA, `&townId=${towns.townB}`)).toEqual([towns.villageA])
    expect(await changedAreas(leaderB, `&townId=${towns.townA}`)).toEqual([towns.villageB])
  })
})

describe('binned counts (hex bins) and heat map by town', () => {
  const bins = (user: TestUser, query: string) => ok(user, `/api/analytics/bins?layer=disputes&from=${since}${query}`)

  it('counts every town for a county user, and one town on request', async () => {
    expect((await bins(countyLeader, '&cellMeters=2000')).total).toBe(5)
    expect((await bins(countyLeader, `&cellMeters=2000&townId=${towns.townB}`)).total).toBe(3)
    expect((await bins(countyLeader, `&cellMeters=2000&townId=${towns.townA}`)).total).toBe(2)
    // Per village, and the heat map's squares.
    const villages = await bins(countyLeader, `&groupBy=village&townId=${towns.townB}`)
    expect(villages.features.map((feature: { properties: { areaId: number } }) => feature.properties.areaId)).toEqual([towns.villageB])
    const heat = await bins(countyLeader, `&shape=square&cellMeters=100&townId=${towns.townB}`)
    expect(heat.total).toBe(3)
    expect((await ok(countyLeader, `/api/analytics/bins?layer=hazards&shape=square&cellMeters=100&from=${since}&townId=${towns.townA}`)).total).toBe(0)
  })

  it("holds a town user to their own town whatever townId they send", async () => {
    expect((await bins(leaderA, `&cellMeters=2000&townId=${towns.townB}`)).total).toBe(2)
    expect((await bins(leaderB, `&cellMeters=2000&townId=${towns.townA}`)).total).toBe(3)
    const villages = await bins(leaderA, `&groupBy=village&townId=${towns.townB}`)
    expect(villages.features.map((feature: { properties: { areaId: number } }) => feature.properties.areaId)).toEqual([towns.villageA])
    expect((await bins(leaderA, `&shape=square&cellMeters=100&townId=${towns.townB}`)).total).toBe(2)
  })

  it('lists the cases of one cell of the chosen town only', async () => {
    const county = await bins(countyLeader, '&cellMeters=2000')
    const border = county.features.find((feature: { properties: { count: number } }) => feature.properties.count >= 3)
    expect(border, 'a 2 km hexagon holding both sides of the border').toBeDefined()
    const cell = border.properties.cell as string
    const listed = async (user: TestUser, query: string) =>
      ((await ok(user, `/api/analytics/bins/cases?layer=disputes&cellMeters=2000&cell=${cell}&from=${since}${query}`)).cases as Array<{ id: number }>).map(
        (row) => row.id,
      )
    const all = await listed(countyLeader, '')
    expect(all).toEqual(expect.arrayContaining([ids.a1, ids.a2, ids.b1]))
    expect(await listed(countyLeader, `&townId=${towns.townA}`)).toEqual(all.filter((id) => id === ids.a1 || id === ids.a2))
    expect((await listed(leaderA, `&townId=${towns.townB}`)).sort((x, y) => x - y)).toEqual([ids.a1, ids.a2].sort((x, y) => x - y))
  })

  it('refuses a townId that is not a number', async () => {
    const response = await get(countyLeader, `/api/analytics/bins?layer=disputes&townId=east`)
    expect(response.statusCode).toBe(400)
    expect((await get(countyLeader, `/api/analytics/risk/change?compareTo=${since}&townId=0`)).statusCode).toBe(400)
  })
})

describe('risk scores of one town', () => {
  it("give a county user who picks a town exactly that town's leader's scores, at every level", async () => {
    for (const level of ['village', 'grid', 'fine_grid']) {
      for (const [leader, townId] of [[leaderA, towns.townA], [leaderB, towns.townB]] as const) {
        const url = `/api/analytics/risk/scores?level=${level}&from=${since}`
        const county = await ok(countyLeader, `${url}&townId=${townId}`)
        const own = await ok(leader, url)
        expect(county.areas, `${level} town ${townId}`).toEqual(own.areas)
        if (level === 'village') expect(own.areas.length, `${level} town ${townId}`).toBeGreaterThan(0)
      }
    }
  })
})

describe('a town that does not exist', () => {
  it('answers 400 unknown_town on every risk-map route, in the caller\'s language, instead of an empty map', async () => {
    const missing = 999_999
    const urls = [
      `/api/analytics/risk?townId=${missing}`,
      `/api/analytics/risk/scores?townId=${missing}`,
      `/api/analytics/risk/change?compareTo=${since}&townId=${missing}`,
      `/api/analytics/bins?layer=disputes&townId=${missing}`,
      `/api/analytics/bins/cases?layer=disputes&cell=0,0&townId=${missing}`,
      `/api/analytics/dispute-clusters?townId=${missing}`,
      `/api/analytics/dispute-arcs?townId=${missing}`,
    ]
    for (const url of urls) {
      const response = await get(countyLeader, url)
      expect(response.statusCode, `${url}: ${response.body}`).toBe(400)
      expect(response.json().code, url).toBe('unknown_town')
      expect(response.json().message, url).toContain(String(missing))
    }
    // A town user is still held to their own town, whatever they send.
    expect((await get(leaderA, `/api/analytics/risk/scores?townId=${missing}`)).statusCode).toBe(200)
  })
})

describe('the place the header names (/api/meta)', () => {
  it("names the county for county users, and each town user's own town", async () => {
    await setMeta(t.database.engine.db, 'county', { name: '大理市', nameEn: 'Dali City', code: '532901' })
    const county = await ok(countyLeader, '/api/meta')
    expect(county.county).toEqual({ name: '大理市', nameEn: 'Dali City', code: '532901' })
    expect((await ok(leaderA, '/api/meta')).township.name).toBe('喜洲镇')
    expect((await ok(leaderB, '/api/meta')).township.name).toBe('东岸镇')
  })

  it('falls back to the sample county, and to no name', async () => {
    const db = t.database.engine.db
    await db.deleteFrom('app_meta').where('key', '=', 'county').execute()
    const sample = await db.selectFrom('app_meta').select('value').where('key', '=', 'sample').executeTakeFirst()
    await setMeta(db, 'sample', { name: '大理市（示例县）', nameEn: 'Dali City (sample county)', code: '532901000000', county: true })
    expect((await ok(countyLeader, '/api/meta')).county).toEqual({ name: '大理市（示例县）', nameEn: 'Dali City (sample county)', code: '532901000000' })
    // A one-town sample names the town, not a county.
    await setMeta(db, 'sample', { name: '喜洲镇', nameEn: 'Xizhou', code: '532901101000' })
    expect((await ok(countyLeader, '/api/meta')).county).toBeNull()
    if (sample) await setMeta(db, 'sample', sample.value)
  })
})

describe('dispute arcs (the lines between parties\' home villages) by town', () => {
  const arcCases = async (user: TestUser, townId?: number) => {
    const body = await ok(user, `/api/analytics/dispute-arcs?from=${since}${townId === undefined ? '' : `&townId=${townId}`}`)
    return (body.arcs as { caseIds: number[] }[]).flatMap((arc) => arc.caseIds).sort((a, b) => a - b)
  }

  it('a county user picks a town; a town user gets their own town whatever they send', async () => {
    // Each town records a dispute whose parties live on both sides of the border (migration 0023).
    const cases = caseClient(t)
    for (const [name, user, point] of [['arcA', dispatcherA, towns.border.a], ['arcB', dispatcherB, towns.border.b]] as const) {
      const response = await cases.register(user, 'disputes', disputeFeature(point, [towns.villageA, towns.villageB]))
      expect(response.statusCode, response.body).toBe(201)
      ids[name] = response.json().id
    }
    expect(await arcCases(countyLeader)).toEqual(expect.arrayContaining([ids.arcA, ids.arcB]))
    expect(await arcCases(countyLeader, towns.townA)).toEqual([ids.arcA])
    expect(await arcCases(countyLeader, towns.townB)).toEqual([ids.arcB])
    // Town users never get the other town's dispute (their map has no point for the other town's village,
    // so their own cross-border arc is not drawn either: the answer holds no arc of B's).
    expect(await arcCases(leaderA, towns.townB)).not.toContain(ids.arcB)
    expect(await arcCases(leaderB, towns.townA)).not.toContain(ids.arcA)
  })
})
