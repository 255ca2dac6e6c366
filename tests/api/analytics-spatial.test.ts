import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { caseClient, gridPoints, type GridPoint } from '../support/cases.ts'
import { registerPerson, type GridSpot } from '../support/key-persons.ts'
import { offsetMetres, pointsAcrossVillageBoundary, registerCase, villageAt } from '../support/analytics.ts'

let t: TestApp
let c: ReturnType<typeof caseClient>
let dispatcher: TestUser
let leader: TestUser
let points: GridPoint[]
/** Each scenario is reported in its own day, so that windows isolate them. */
const BASE = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 100 * 86_400_000)
const day = (n: number, hours = 0) => new Date(BASE.getTime() + n * 86_400_000 + hours * 3_600_000)
const win = (n: number, days = 1) => `from=${day(n).toISOString()}&to=${day(n + days).toISOString()}`
const ids: Record<string, number[]> = {}

beforeAll(async () => {
  t = await createTestApp()
  c = caseClient(t)
  dispatcher = await t.signIn('dispatcher')
  leader = await t.signIn('leader')
  points = await gridPoints(t.database.engine.db)
})
afterAll(() => t?.close())

/** "i,j" of the cell of ST_HexagonGrid / ST_SquareGrid (EPSG:32647) that contains `point`: the grid the bins are defined on. */
async function cellOf(shape: 'hex' | 'square', cellMeters: number, point: { lon: number; lat: number }): Promise<string> {
  const grid = shape === 'hex' ? sql`ST_HexagonGrid(${cellMeters}::float8, p.m)` : sql`ST_SquareGrid(${cellMeters}::float8, p.m)`
  const { rows } = await sql<{ i: number; j: number }>`
    SELECT g.i, g.j FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(${point.lon}::float8, ${point.lat}::float8), 4326), 32647) AS m) p,
      ${grid} g WHERE ST_Intersects(g.geom, p.m)`.execute(t.database.engine.db)
  expect(rows).toHaveLength(1)
  return `${rows[0].i},${rows[0].j}`
}

const features = async (url: string, user = leader) => {
  const response = await c.get(user, url)
  expect(response.statusCode, response.body).toBe(200)
  return response.json()
}

describe('bins', () => {
  beforeAll(async () => {
    const [p, far] = [points[2], points[points.length - 1]]
    ids.bins = [
      await registerCase(t, dispatcher, 'hazards', p, { reportedAt: day(0).toISOString() }), // exactly `from`: included
      await registerCase(t, dispatcher, 'hazards', p, { reportedAt: day(0, 5).toISOString() }),
      await registerCase(t, dispatcher, 'hazards', far, { reportedAt: day(0, 6).toISOString() }),
      await registerCase(t, dispatcher, 'hazards', p, { reportedAt: day(1).toISOString() }), // exactly `to`: excluded
    ]
  })

  it('counts hazards per square and hexagon in metres, only non-empty cells, [from, to)', async () => {
    for (const shape of ['square', 'hex']) {
      const body = await features(`/api/analytics/bins?layer=hazards&shape=${shape}&cellMeters=500&${win(0)}`)
      expect(body.crs).toBe('EPSG:32647')
      expect(body.total).toBe(3)
      expect(body.features.map((f: { properties: { count: number } }) => f.properties.count).sort()).toEqual([1, 2])
      expect(body.features[0].geometry.type).toBe('Polygon')
    }
    const next = await features(`/api/analytics/bins?layer=hazards&shape=square&cellMeters=500&${win(1)}`)
    expect(next.total).toBe(1)
  })

  it('uses real metres: a 500 m square cell is 500 m wide on the ground', async () => {
    const body = await features(`/api/analytics/bins?layer=hazards&shape=square&cellMeters=500&${win(0)}`)
    const ring: number[][] = body.features[0].geometry.coordinates[0]
    const lons = ring.map((xy) => xy[0])
    const lats = ring.map((xy) => xy[1])
    const metresPerDegreeLon = 111_320 * Math.cos((((Math.min(...lats) + Math.max(...lats)) / 2) * Math.PI) / 180)
    const width = (Math.max(...lons) - Math.min(...lons)) * metresPerDegreeLon
    expect(width).toBeGreaterThan(495)
    expect(width).toBeLessThan(505)
  })

  it('lists the cases of one bin', async () => {
    const body = await features(`/api/analytics/bins?layer=hazards&shape=hex&cellMeters=500&${win(0)}`)
    const cell = body.features.find((f: { properties: { count: number } }) => f.properties.count === 2).properties.cell
    const listed = await features(`/api/analytics/bins/cases?layer=hazards&shape=hex&cellMeters=500&cell=${cell}&${win(0)}`)
    expect(listed.cases.map((row: { id: number }) => row.id).sort()).toEqual(ids.bins.slice(0, 2).sort())
    expect((await c.get(leader, `/api/analytics/bins/cases?layer=hazards&cell=x&${win(0)}`)).statusCode).toBe(400)
  })

  it('groups by village or base grid polygon', async () => {
    const body = await features(`/api/analytics/bins?layer=hazards&groupBy=village&${win(0)}`)
    const expected = new Map<number, number>()
    for (const p of [points[2], points[2], points[points.length - 1]]) expected.set(p.villageId, (expected.get(p.villageId) ?? 0) + 1)
    expect(new Map(body.features.map((f: { properties: { areaId: number; count: number } }) => [f.properties.areaId, f.properties.count]))).toEqual(expected)
    expect(body.features[0].geometry.type).toBe('MultiPolygon')
  })

  it('bins key persons as counts only, in fixed cell sizes, and never lists them', async () => {
    expect((await c.get(leader, `/api/analytics/bins?layer=key-persons&cellMeters=100`)).statusCode).toBe(400)
    const odd = await c.get(leader, `/api/analytics/bins?layer=key-persons&cellMeters=300`)
    expect(odd.statusCode).toBe(400)
    expect(odd.json().code).toBe('key_person_cell_size')
    const body = await features(`/api/analytics/bins?layer=key-persons&cellMeters=500`)
    // No persons: for a leader the total is below k and suppressed (null), not 0; a dispatcher sees the exact 0.
    expect(body.total).toBeNull()
    expect(body.features).toEqual([])
    expect((await features(`/api/analytics/bins?layer=key-persons&cellMeters=500`, dispatcher)).total).toBe(0)
    const refused = await c.get(leader, `/api/analytics/bins/cases?layer=key-persons&cell=1,1`)
    expect(refused.statusCode).toBe(400)
    expect(refused.json().code).toBe('key_person_bin_listing')
  })

  it('puts a newly registered case and a moved household in the cell of their projected point (stored coordinates kept current)', async () => {
    const [first, second] = [points[5], points[points.length - 3]]
    const id = await registerCase(t, dispatcher, 'hazards', first, { reportedAt: day(70, 3).toISOString() })
    for (const shape of ['hex', 'square'] as const) {
      const body = await features(`/api/analytics/bins?layer=hazards&shape=${shape}&cellMeters=250&${win(70)}`)
      expect(body.features.map((f: { properties: { cell: string; count: number } }) => [f.properties.cell, f.properties.count])).toEqual([
        [await cellOf(shape, 250, first), 1],
      ])
      const listed = await features(`/api/analytics/bins/cases?layer=hazards&shape=${shape}&cellMeters=250&cell=${await cellOf(shape, 250, first)}&${win(70)}`)
      expect(listed.cases.map((row: { id: number }) => row.id)).toEqual([id])
    }

    const person = await registerPerson(t, dispatcher, first as unknown as GridSpot)
    const moved = await t.app.inject({
      method: 'PATCH',
      url: `/api/key-persons/${person.id}`,
      headers: { ...dispatcher.headers, 'if-match': '"1"' },
      payload: { household: { lon: second.lon, lat: second.lat } },
    })
    expect(moved.statusCode, moved.body).toBe(200)
    const [before, after] = [await cellOf('hex', 250, first), await cellOf('hex', 250, second)]
    expect(after).not.toBe(before)
    const persons = await features(`/api/analytics/bins?layer=key-persons&shape=hex&cellMeters=250`, dispatcher)
    expect(persons.features.map((f: { properties: { cell: string; count: number } }) => [f.properties.cell, f.properties.count])).toEqual([[after, 1]])

    // The stored coordinates are exactly what a transform per request gives, for every row.
    const { rows } = await sql<{ stale: number }>`
      SELECT (SELECT count(*) FROM cases WHERE utm_x_meters IS DISTINCT FROM ST_X(ST_Transform(geom, 32647)) OR utm_y_meters IS DISTINCT FROM ST_Y(ST_Transform(geom, 32647)))
        + (SELECT count(*) FROM key_persons WHERE utm_x_meters IS DISTINCT FROM ST_X(ST_Transform(household_geom, 32647)) OR utm_y_meters IS DISTINCT FROM ST_Y(ST_Transform(household_geom, 32647))) AS stale`.execute(t.database.engine.db)
    expect(Number(rows[0].stale)).toBe(0)
  })
})

describe('dispute clusters', () => {
  let across: Awaited<ReturnType<typeof pointsAcrossVillageBoundary>>
  let p: GridPoint
  let partyVillages: number[]

  beforeAll(async () => {
    const db = t.database.engine.db
    p = points[5]
    const east90 = await offsetMetres(db, p, 90, 0)
    ids.dbscan = [
      await registerCase(t, dispatcher, 'disputes', p, { reportedAt: day(10).toISOString() }, [p.villageId]),
      await registerCase(t, dispatcher, 'disputes', east90, { reportedAt: day(10, 1).toISOString() }, [p.villageId]),
    ]
    across = await pointsAcrossVillageBoundary(db, 60)
    ids.across = [
      await registerCase(t, dispatcher, 'disputes', across.west, { reportedAt: day(20).toISOString() }, [across.west.villageId]),
      await registerCase(t, dispatcher, 'disputes', across.east, { reportedAt: day(20, 2).toISOString() }, [across.east.villageId]),
    ]
    const north20 = await offsetMetres(db, p, 0, 20)
    expect(await villageAt(db, north20)).toBe(p.villageId)
    ids.inside = [
      await registerCase(t, dispatcher, 'disputes', p, { reportedAt: day(30).toISOString() }, [p.villageId]),
      await registerCase(t, dispatcher, 'disputes', north20, { reportedAt: day(30, 1).toISOString() }, [p.villageId]),
    ]
    const otherVillage = points.find((q) => q.villageId !== p.villageId)!.villageId
    partyVillages = [p.villageId, otherVillage].sort((a, b) => a - b)
    ids.parties = [
      await registerCase(t, dispatcher, 'disputes', p, { reportedAt: day(40).toISOString() }, [p.villageId]),
      await registerCase(t, dispatcher, 'disputes', north20, { reportedAt: day(40, 1).toISOString() }, [p.villageId, otherVillage]),
    ]
    ids.time = [
      await registerCase(t, dispatcher, 'disputes', p, { reportedAt: day(50).toISOString() }, [p.villageId]),
      await registerCase(t, dispatcher, 'disputes', p, { reportedAt: day(60).toISOString() }, [p.villageId]),
    ]
  })

  it('honours distanceMeters in metres: two points 90 m apart cluster at 100 m and not at 80 m', async () => {
    const at100 = await features(`/api/analytics/dispute-clusters?distanceMeters=100&minPoints=2&${win(10)}`)
    expect(at100.features).toHaveLength(1)
    expect(at100.features[0].properties).toMatchObject({ memberIds: [...ids.dbscan].sort((a, b) => a - b), size: 2 })
    expect(at100.features[0].geometry.type).toBe('Polygon')
    const at80 = await features(`/api/analytics/dispute-clusters?distanceMeters=80&minPoints=2&${win(10)}`)
    expect(at80.features).toHaveLength(0)
  })

  it('flags a cluster across a village boundary by location', async () => {
    const body = await features(`/api/analytics/dispute-clusters?distanceMeters=100&minPoints=2&${win(20)}`)
    expect(body.features).toHaveLength(1)
    const props = body.features[0].properties
    expect(props.crossVillage).toBe(true)
    expect(props.crossVillageBy).toEqual(['location', 'parties'])
    expect(props.villages.map((v: { id: number }) => v.id).sort()).toEqual([across.west.villageId, across.east.villageId].sort())
    expect(props.firstReportedAt).toBe(day(20).toISOString())
    expect(props.lastReportedAt).toBe(day(20, 2).toISOString())
  })

  it('does not flag a cluster inside one village with parties of that village', async () => {
    const body = await features(`/api/analytics/dispute-clusters?distanceMeters=100&minPoints=2&${win(30)}`)
    expect(body.features).toHaveLength(1)
    expect(body.features[0].properties).toMatchObject({ crossVillage: false, crossVillageBy: [], size: 2 })
  })

  it('flags a cluster in one village whose parties come from two villages', async () => {
    const body = await features(`/api/analytics/dispute-clusters?distanceMeters=100&minPoints=2&${win(40)}`)
    const props = body.features[0].properties
    expect(props.villages.map((v: { id: number }) => v.id)).toEqual([p.villageId])
    expect(props.partyVillages.map((v: { id: number }) => v.id)).toEqual(partyVillages)
    expect(props).toMatchObject({ crossVillage: true, crossVillageBy: ['parties'] })
  })

  it('keeps members within windowDays of each other when asked', async () => {
    const range = `from=${day(50).toISOString()}&to=${day(61).toISOString()}`
    expect((await features(`/api/analytics/dispute-clusters?distanceMeters=50&minPoints=2&${range}`)).features).toHaveLength(1)
    expect((await features(`/api/analytics/dispute-clusters?distanceMeters=50&minPoints=2&windowDays=5&${range}`)).features).toHaveLength(0)
    expect((await features(`/api/analytics/dispute-clusters?distanceMeters=50&minPoints=2&windowDays=10&${range}`)).features).toHaveLength(1)
  })

  it('draws arcs between the home villages of cross-village disputes', async () => {
    const body = await features(`/api/analytics/dispute-arcs?${win(40)}`)
    expect(body.arcs).toHaveLength(1)
    expect(body.arcs[0]).toMatchObject({ count: 1, caseIds: [ids.parties[1]] })
    expect([body.arcs[0].source.id, body.arcs[0].target.id]).toEqual(partyVillages)
    expect(typeof body.arcs[0].source.lon).toBe('number')
    expect((await features(`/api/analytics/dispute-arcs?${win(30)}`)).arcs).toHaveLength(0)
  })

  it('opens a joint case on a cluster in one transaction, with a ledger entry per dispute', async () => {
    const payload = { title: '跨村排水纠纷联调', note: '两村联合调处', caseIds: ids.across, stationKeys: ['legal-mediation', 'police'], cluster: { distanceMeters: 100 } }
    const url = '/api/analytics/dispute-clusters/joint-case'
    expect((await t.app.inject({ method: 'POST', url, headers: leader.headers, payload })).statusCode).toBe(403)
    const notDisputes = await t.app.inject({ method: 'POST', url, headers: dispatcher.headers, payload: { ...payload, caseIds: [...ids.across, ids.bins[0]] } })
    expect(notDisputes.statusCode).toBe(400)
    const unknownStation = await t.app.inject({ method: 'POST', url, headers: dispatcher.headers, payload: { ...payload, stationKeys: ['nowhere'] } })
    expect(unknownStation.statusCode).toBe(400)
    const created = await t.app.inject({ method: 'POST', url, headers: dispatcher.headers, payload })
    expect(created.statusCode, created.body).toBe(201)
    const joint = created.json()
    expect(joint).toMatchObject({ title: payload.title, status: 'open', caseIds: [...ids.across].sort((a, b) => a - b), stationKeys: ['legal-mediation', 'police'] })
    for (const id of ids.across) {
      const timeline = (await c.get(dispatcher, `/api/cases/dispute/${id}/timeline`)).json()
      const entry = timeline.events.at(-1)
      expect(entry).toMatchObject({ action: 'joint-case', statusFrom: 'registered', statusTo: 'registered', version: 2 })
      expect(JSON.stringify(entry)).toContain(String(joint.id))
    }
    const again = await t.app.inject({ method: 'POST', url, headers: dispatcher.headers, payload })
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('joint_case_already_linked')
  })

  it('refuses grid workers', async () => {
    const worker = await t.signIn('grid_worker', { gridIds: [p.baseGridId] })
    for (const url of [`/api/analytics/dispute-clusters`, `/api/analytics/dispute-arcs`, `/api/analytics/bins?layer=hazards`]) {
      expect((await c.get(worker, url)).statusCode).toBe(403)
    }
  })
})
