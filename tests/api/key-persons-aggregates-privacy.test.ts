import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { auditRows, gridSpots, registerPerson, type GridSpot } from '../support/key-persons.ts'

/**
 * Issue 9, point 2: key-person aggregates must not turn into a location or
 * an identity. Each `describe` is one attack as it was seen, run as a leader
 * (a role that sees counts only), and the masking that goes with it.
 */

const K = 5
/** The target: the only person of this category in the township. */
const RARE = 'drug_rehabilitation'
/** The crowd around the target: same fine grid, another category. */
const COMMON = 'elderly_alone'
const CROWD = 11

let t: TestApp
let admin: TestUser
let dispatcher: TestUser
let leader: TestUser
let station: TestUser
let worker: TestUser
let otherWorker: TestUser
let spots: GridSpot[]
let home: { lon: number; lat: number }
let target: { id: number }
let loner: { id: number }

/** A point inside the fine grid of `spot` that is not the point the grid is shown at. */
async function offCentrePoint(spot: GridSpot): Promise<{ lon: number; lat: number }> {
  const { rows } = await sql<{ lon: number; lat: number }>`
    SELECT ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat
    FROM (SELECT (ST_Dump(ST_GeneratePoints(a.geom, 20, 7))).geom FROM current_areas a WHERE a.area_id = ${spot.fineGridId}) p
    ORDER BY ST_Distance(p.geom, (SELECT ST_PointOnSurface(geom) FROM current_areas WHERE area_id = ${spot.fineGridId})) DESC
    LIMIT 1`.execute(t.database.engine.db)
  return { lon: Number(rows[0].lon), lat: Number(rows[0].lat) }
}

beforeAll(async () => {
  t = await createTestApp()
  spots = await gridSpots(t, 40)
  // A lone person in a village of its own, far from the target's.
  const targetSpot = spots[0]
  const lonerSpot = spots.find((spot) => spot.villageId !== targetSpot.villageId)!
  spots = [targetSpot, lonerSpot]
  admin = await t.signIn('admin')
  dispatcher = await t.signIn('dispatcher')
  leader = await t.signIn('leader')
  station = await t.signIn('station')
  worker = await t.signIn('grid_worker', { gridIds: [targetSpot.baseGridId] })
  otherWorker = await t.signIn('grid_worker', { gridIds: [lonerSpot.baseGridId] })
  home = await offCentrePoint(targetSpot)
  target = await registerPerson(t, admin, targetSpot, { name: '孙丙', category: RARE, colour: 'red', household: home, birthYear: 1984 })
  for (let index = 0; index < CROWD; index += 1) {
    await registerPerson(t, admin, targetSpot, { name: `邻居${index}`, category: COMMON, colour: 'green', idNumber: null, phone: null })
  }
  loner = await registerPerson(t, admin, lonerSpot, { name: '李丁', category: COMMON, colour: 'yellow' })
})
afterAll(() => t?.close())

function get(user: TestUser, url: string) {
  return t.app.inject({ method: 'GET', url, headers: user.headers })
}

interface BinFeature {
  properties: { cell: string | null; count: number; byColour: Record<string, number | null> | null }
  geometry: { coordinates: number[][][] }
}

describe('attack 1: bins of one filtered person at many cell sizes', () => {
  it('refuses every size but the fixed ones, and shows no cell that counts fewer than k', async () => {
    const sizes = [200, 210, 225.5, 250, 260, 300, 333.3, 400, 500, 600, 750, 1000, 1500, 2000]
    const cellsWithOne: string[] = []
    const accepted: number[] = []
    for (const shape of ['square', 'hex']) {
      for (const size of sizes) {
        const response = await get(leader, `/api/analytics/bins?layer=key-persons&shape=${shape}&cellMeters=${size}&category=${RARE}`)
        if (response.statusCode === 400) {
          expect(response.json().code).toBe('key_person_cell_size')
          expect(response.json().message).toContain('250, 500, 1000')
          continue
        }
        expect(response.statusCode).toBe(200)
        accepted.push(size)
        for (const feature of response.json().features as BinFeature[]) {
          if (feature.properties.count < K) cellsWithOne.push(`${shape}:${size}:${feature.properties.cell}`)
        }
        expect(response.json().total).toBeNull()
      }
    }
    expect(cellsWithOne).toEqual([])
    expect([...new Set(accepted)].sort((a, b) => a - b)).toEqual([250, 500, 1000])
  })

  it('still shows the crowd, rounded to a multiple of k', async () => {
    const response = await get(leader, '/api/analytics/bins?layer=key-persons&shape=square&cellMeters=250')
    expect(response.statusCode).toBe(200)
    const counts = (response.json().features as BinFeature[]).map((f) => f.properties.count)
    expect(counts.length).toBeGreaterThan(0)
    for (const count of counts) {
      expect(count).toBeGreaterThanOrEqual(K)
      expect(count % K).toBe(0)
    }
    expect(response.json().protection).toEqual({ minCount: K, roundedTo: K })
  })

  it('gives roles that see every person exact counts, but at the fixed sizes only', async () => {
    const refused = await get(dispatcher, `/api/analytics/bins?layer=key-persons&shape=square&cellMeters=300`)
    expect(refused.statusCode).toBe(400)
    const response = await get(dispatcher, `/api/analytics/bins?layer=key-persons&shape=square&cellMeters=250&category=${RARE}`)
    expect((response.json().features as BinFeature[]).map((f) => f.properties.count)).toEqual([1])
    expect(response.json().protection).toBeNull()
  })
})

interface SummaryGroup {
  key: string | number | null
  total: number | null
  byColour: Record<string, number | null>
  overdue: number | null
  suppressed: boolean
}

async function summary(user: TestUser, query: string): Promise<{ total: number | null; groups: SummaryGroup[] }> {
  const response = await get(user, `/api/key-persons/summary?${query}`)
  expect(response.statusCode, response.body).toBe(200)
  return response.json()
}

describe('attack 2: summary by fine grid with filters', () => {
  it('shows no group, colour or total below k, for any groupBy and filter', async () => {
    for (const user of [leader, station, worker]) {
      for (const groupBy of ['fine_grid', 'grid', 'village', 'category', 'colour']) {
        for (const filter of ['', `&category=${RARE}`, `&category=${COMMON}`, '&colour=red', `&colour=red&category=${RARE}`]) {
          const answer = await summary(user, `groupBy=${groupBy}${filter}`)
          const values = [answer.total, ...answer.groups.flatMap((g) => [g.total, g.overdue, ...Object.values(g.byColour)])]
          const small = values.filter((value) => value !== null && value < K)
          expect(small, `${user.role} ${groupBy}${filter}`).toEqual([])
        }
      }
    }
  })

  it('lists every fine grid, so a suppressed one does not stand out from an empty one', async () => {
    const answer = await summary(leader, `groupBy=fine_grid&category=${RARE}`)
    const targetGroup = answer.groups.find((g) => g.key === spots[0].fineGridId)!
    const emptyGroup = answer.groups.find((g) => g.key !== spots[0].fineGridId && g.key !== spots[1].fineGridId && g.key !== null)!
    expect(targetGroup).toMatchObject({ total: null, suppressed: true })
    expect({ ...emptyGroup, key: 0, area: null, label: '' }).toEqual({ ...targetGroup, key: 0, area: null, label: '' })
  })

  it('keeps the heat layer free of small counts too', async () => {
    for (const level of ['grid', 'village']) {
      const response = await get(leader, `/api/key-persons/heat?level=${level}&category=${RARE}`)
      expect(response.statusCode).toBe(200)
      for (const feature of response.json().features) {
        const { total, red, orange, yellow, green, overdue, dueSoon } = feature.properties
        for (const value of [total, red, orange, yellow, green, overdue, dueSoon]) expect(value === null || value >= K).toBe(true)
      }
    }
  })

  it('still gives exact counts to the roles that see every person', async () => {
    const answer = await summary(dispatcher, `groupBy=fine_grid&category=${RARE}`)
    expect(answer.groups).toEqual([expect.objectContaining({ key: spots[0].fineGridId, total: 1, suppressed: false })])
  })
})

describe('attack 3: differencing two allowed answers', () => {
  it('cannot subtract a filtered summary from an unfiltered one down to the one person', async () => {
    const all = await summary(leader, 'groupBy=fine_grid')
    const common = await summary(leader, `groupBy=fine_grid&category=${COMMON}`)
    const commonByKey = new Map(common.groups.map((g) => [g.key, g.total]))
    for (const group of all.groups) {
      const difference = (group.total ?? 0) - (commonByKey.get(group.key) ?? 0)
      expect(difference % K, `fine grid ${group.key}`).toBe(0)
    }
    expect((all.total ?? 0) - (common.total ?? 0)).not.toBe(1)
  })

  it('cannot subtract the colours of one group from its total', async () => {
    const all = await summary(leader, 'groupBy=fine_grid')
    const group = all.groups.find((g) => g.key === spots[0].fineGridId)!
    const shown = Object.values(group.byColour).reduce<number>((sum, value) => sum + (value ?? 0), 0)
    expect((group.total ?? 0) - shown).not.toBe(1)
    expect(group.byColour.red).toBeNull()
  })

  it('cannot subtract bins of two nested sizes', async () => {
    const big = await get(leader, '/api/analytics/bins?layer=key-persons&shape=square&cellMeters=500')
    const small = await get(leader, '/api/analytics/bins?layer=key-persons&shape=square&cellMeters=250')
    const sum = (features: BinFeature[]) => features.reduce((total, f) => total + f.properties.count, 0)
    expect((sum(big.json().features) - sum(small.json().features)) % K).toBe(0)
  })
})

describe('KPIs: visits overdue', () => {
  const later = new Date(Date.now() + 400 * 86_400_000).toISOString()

  it('suppresses a village with fewer than k overdue persons (null + flag, "<5" in the sheet), never 0', async () => {
    const response = await get(leader, `/api/analytics/kpis?to=${later}`)
    expect(response.statusCode, response.body).toBe(200)
    const groups = response.json().groups as Array<{ key: string; visitsOverdue: number | null; visitsOverdueSuppressed: boolean }>
    for (const group of groups) expect(group.visitsOverdue === null || group.visitsOverdue >= K).toBe(true)
    const lonely = groups.find((g) => g.key === String(spots[1].villageId))
    if (lonely) expect(lonely).toMatchObject({ visitsOverdue: null, visitsOverdueSuppressed: true })
    const filtered = await get(leader, `/api/analytics/kpis?to=${later}&villageId=${spots[1].villageId}`)
    expect(filtered.json().total).toMatchObject({ visitsOverdue: null, visitsOverdueSuppressed: true })

    const sheet = await get(leader, `/api/analytics/kpis.xlsx?to=${later}&villageId=${spots[1].villageId}`)
    expect(sheet.statusCode).toBe(200)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(sheet.rawPayload as never)
    const rows = workbook.worksheets[0].getSheetValues() as unknown[][]
    const last = rows[rows.length - 1]
    expect(last[last.length - 1]).toBe(`<${K}`)
  })

  it('gives the exact figure to a dispatcher', async () => {
    const response = await get(dispatcher, `/api/analytics/kpis?to=${later}&villageId=${spots[1].villageId}`)
    expect(response.json().total).toMatchObject({ visitsOverdue: 1, visitsOverdueSuppressed: false })
  })
})

describe('masking: identity number, birth year and household', () => {
  it('shows only the last four characters of the identity number and an age band, no birth year, to every role', async () => {
    for (const user of [admin, dispatcher, worker]) {
      const response = await get(user, `/api/key-persons/${target.id}`)
      expect(response.statusCode).toBe(200)
      const person = response.json()
      expect(person.idNumber).toBe('**************1234')
      expect(person).not.toHaveProperty('birthYear')
      expect(person.ageBand).toMatch(/^\d{1,3}–\d{1,3}$/)
      expect(JSON.stringify(person)).not.toContain('1984')
    }
  })

  it('shows the household at its fine grid, not the registered point, in the list, the detail and the OGC layer', async () => {
    const { rows } = await sql<{ lon: number; lat: number }>`
      SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM area_versions
      WHERE area_id = ${spots[0].fineGridId} ORDER BY version DESC LIMIT 1`.execute(t.database.engine.db)
    const fine = { lon: Number(rows[0].lon), lat: Number(rows[0].lat) }
    const near = (point: { lon: number; lat: number }) => Math.abs(point.lon - fine.lon) < 1e-6 && Math.abs(point.lat - fine.lat) < 1e-6
    const list = await get(worker, '/api/key-persons?limit=500')
    const listed = list.json().persons.find((p: { id: number }) => p.id === target.id)
    const detail = (await get(worker, `/api/key-persons/${target.id}`)).json()
    const feature = (await get(worker, `/api/collections/key-persons/items/${target.id}`)).json()
    const overdue = (await get(worker, `/api/key-persons/overdue?includeDueSoon=true`)).json()
    for (const household of [listed.household, detail.household, { lon: feature.geometry.coordinates[0], lat: feature.geometry.coordinates[1] }]) {
      expect(near(household)).toBe(true)
      expect(household).not.toEqual(home)
    }
    expect(detail.householdPrecision).toBe('fine_grid')
    for (const body of [list.body, JSON.stringify(detail), JSON.stringify(feature), JSON.stringify(overdue)]) {
      expect(body).not.toContain(String(home.lon).slice(0, 9))
    }
  })

  it('finds no household by bisecting the OGC bbox around the registered point', async () => {
    const d = 1e-5
    const bbox = [home.lon - d, home.lat - d, home.lon + d, home.lat + d].join(',')
    const response = await get(worker, `/api/collections/key-persons/items?bbox=${bbox}`)
    expect(response.statusCode).toBe(200)
    expect(response.json().features).toEqual([])
  })

  it('reveals the exact household and birth year only through the audited reveal', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/key-persons/${target.id}/reveal`,
      headers: worker.headers,
      payload: { fields: ['household', 'birthYear'], reason: '入户走访需要定位' },
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().fields.birthYear).toBe(1984)
    expect(response.json().fields.household.lon).toBeCloseTo(home.lon, 9)
    expect(response.json().fields.household.lat).toBeCloseTo(home.lat, 9)
    const [entry] = await auditRows(t)
    expect(entry).toMatchObject({ action: 'reveal', username: worker.username, fields: ['household', 'birthYear'], reason: '入户走访需要定位' })
  })

  it('keeps the household and birth year when an OGC replace sends the feature back as read', async () => {
    const read = await get(worker, `/api/collections/key-persons/items/${target.id}`)
    const feature = read.json()
    const response = await t.app.inject({
      method: 'PUT',
      url: `/api/collections/key-persons/items/${target.id}`,
      headers: { ...worker.headers, 'content-type': 'application/geo+json', 'if-match': String(read.headers.etag) },
      payload: JSON.stringify({ ...feature, properties: { ...feature.properties, note: '已核实' } }),
    })
    expect(response.statusCode, response.body).toBe(200)
    const { rows } = await sql<{ lon: number; birth_year: number }>`
      SELECT ST_X(household_geom) AS lon, birth_year FROM key_persons WHERE id = ${target.id}`.execute(t.database.engine.db)
    expect(Number(rows[0].lon)).toBeCloseTo(home.lon, 9)
    expect(Number(rows[0].birth_year)).toBe(1984)
  })
})

describe('existence oracle: GET /api/key-persons/{id}', () => {
  it('answers 404 alike for a person the caller may not read and for an id that does not exist, auditing the denied attempt', async () => {
    const existing = await get(otherWorker, `/api/key-persons/${target.id}`)
    const missing = await get(otherWorker, '/api/key-persons/987654321')
    expect(existing.statusCode).toBe(404)
    expect(missing.statusCode).toBe(404)
    expect(existing.json().code).toBe(missing.json().code)
    const [entry] = await auditRows(t)
    expect(entry).toMatchObject({ action: 'denied', username: otherWorker.username, subject_ids: [target.id] })
  })

  it('refuses counts-only roles every identity route alike (403 before any lookup), auditing the attempt on the person', async () => {
    for (const user of [leader, station]) {
      const existing = await get(user, `/api/key-persons/${target.id}`)
      const missing = await get(user, '/api/key-persons/987654321')
      expect([existing.statusCode, missing.statusCode], user.role).toEqual([403, 403])
      expect(existing.json()).toEqual(missing.json())
      const entries = await auditRows(t)
      expect(entries).toContainEqual(expect.objectContaining({ action: 'denied', username: user.username, subject_ids: [target.id] }))
    }
  })

  it('answers the same for visits, reveal and the OGC item', async () => {
    for (const url of [`/api/key-persons/${target.id}/visits`, `/api/collections/key-persons/items/${target.id}`]) {
      expect((await get(otherWorker, url)).statusCode, url).toBe(404)
    }
    const reveal = await t.app.inject({
      method: 'POST',
      url: `/api/key-persons/${loner.id}/reveal`,
      headers: worker.headers,
      payload: { fields: ['idNumber'], reason: '核实身份信息' },
    })
    expect(reveal.statusCode).toBe(404)
  })
})

describe('the threshold k is a key-person setting', () => {
  it('is read with the settings and changed by an admin, and applies to the next answer', async () => {
    const settings = await get(leader, '/api/key-persons/settings')
    expect(settings.json().minAggregateCount).toBe(K)
    const refused = await t.app.inject({ method: 'PUT', url: '/api/key-persons/settings', headers: admin.headers, payload: { minAggregateCount: 1 } })
    expect(refused.statusCode).toBe(400)
    const changed = await t.app.inject({ method: 'PUT', url: '/api/key-persons/settings', headers: admin.headers, payload: { minAggregateCount: 3 } })
    expect(changed.statusCode, changed.body).toBe(200)
    const answer = await summary(leader, `groupBy=village`)
    expect(answer.groups.find((g) => g.key === spots[0].villageId)?.total).toBe(12)
    await t.app.inject({ method: 'PUT', url: '/api/key-persons/settings', headers: admin.headers, payload: { minAggregateCount: K } })
  })
})
