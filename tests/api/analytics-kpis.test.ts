import { sql } from 'kysely'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerCase } from '../support/analytics.ts'
import { gridPoints } from '../support/cases.ts'
import { registerPerson, gridSpots } from '../support/key-persons.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { weekStartBefore } from '../../server/features/analytics/kpis/kpi-week.ts'

/*
 * Hand-made KPI fixtures with known timestamps. Township time is UTC+8.
 * Window: FROM = Sun 2026-03-01 00:00 CST (inclusive) to TO = Wed 2026-03-11 10:00 CST (exclusive).
 * "This week" starts Mon 2026-03-09 00:00 CST = 2026-03-08T16:00Z (the Monday of the week holding TO).
 *
 *  id  village kind     reported (UTC)        finished (UTC)          deadline (UTC)        station          satisfaction
 *  H1  A       hazard   03-02 02:00           rectified 03-02 12:00   03-03 02:00           –                –        resolved in 10 h
 *  H2  A       hazard   03-09 00:00 (week)    –                       03-10 00:00           –                –        open, overdue
 *  H3  A       hazard   02-28 15:59:59        –                       04-30 00:00           –                –        open, before FROM (not new)
 *  D1  A       dispute  03-03 00:00           resolved 03-04 06:00    03-06 00:00           legal-mediation  4        resolved in 30 h
 *  D5  A       dispute  03-06 00:00           resolved 03-06 12:00    03-09 00:00           –                –        resolved in 12 h, fed back, not evaluated
 *  D2  B       dispute  03-04 00:00           resolved 03-06 20:00    03-07 00:00           legal-mediation  5        resolved in 68 h
 *  D3  B       dispute  03-10 00:00 (week)    –                       03-13 00:00           petition         –        open
 *  D4  B       dispute  03-08 15:00 (Sun 23:00 CST, last week)  –     03-11 02:00 (= TO)    –                –        open, overdue (deadline <= TO)
 *  H4  B       hazard   03-05 00:00           rectified 03-11 03:00 (after TO)  03-20 00:00  –                –        open at TO
 *  H5  B       hazard   03-11 02:00 (= TO)    –                       03-20 00:00           –                –        outside the window
 *
 * Key persons (visits due = last visit before TO, or registration, + colour interval):
 *  P1 A red (7 d), registered 02-01, visited 03-05 → due 03-12: not overdue
 *  P2 A red (7 d), registered 02-01, visited 03-01 → due 03-08: overdue
 *  P3 B green (90 d), registered 02-01, never visited → due 05-02: not overdue
 *  P4 B yellow (30 d), registered 01-15, never visited → due 02-14: overdue
 *  P5 B red, registered 03-11 03:00 (after TO): not counted
 */
const FROM = '2026-02-28T16:00:00.000Z'
const TO = '2026-03-11T02:00:00.000Z'
const WEEK_START = '2026-03-08T16:00:00.000Z'
const WINDOW = `from=${FROM}&to=${TO}`

interface Fixture {
  village: 'A' | 'B'
  kind: 'hazards' | 'disputes'
  reported: string
  deadline: string
  finished?: string
  station?: string
  satisfaction?: number
  evaluated?: string
}

const CASES: Record<string, Fixture> = {
  H1: { village: 'A', kind: 'hazards', reported: '2026-03-02T02:00:00Z', finished: '2026-03-02T12:00:00Z', deadline: '2026-03-03T02:00:00Z' },
  H2: { village: 'A', kind: 'hazards', reported: '2026-03-09T00:00:00Z', deadline: '2026-03-10T00:00:00Z' },
  H3: { village: 'A', kind: 'hazards', reported: '2026-02-28T15:59:59Z', deadline: '2026-04-30T00:00:00Z' },
  D1: {
    village: 'A', kind: 'disputes', reported: '2026-03-03T00:00:00Z', finished: '2026-03-04T06:00:00Z', deadline: '2026-03-06T00:00:00Z',
    station: 'legal-mediation', satisfaction: 4, evaluated: '2026-03-05T00:00:00Z',
  },
  D5: { village: 'A', kind: 'disputes', reported: '2026-03-06T00:00:00Z', finished: '2026-03-06T12:00:00Z', deadline: '2026-03-09T00:00:00Z' },
  D2: {
    village: 'B', kind: 'disputes', reported: '2026-03-04T00:00:00Z', finished: '2026-03-06T20:00:00Z', deadline: '2026-03-07T00:00:00Z',
    station: 'legal-mediation', satisfaction: 5, evaluated: '2026-03-07T00:00:00Z',
  },
  D3: { village: 'B', kind: 'disputes', reported: '2026-03-10T00:00:00Z', deadline: '2026-03-13T00:00:00Z', station: 'petition' },
  D4: { village: 'B', kind: 'disputes', reported: '2026-03-08T15:00:00Z', deadline: TO },
  H4: { village: 'B', kind: 'hazards', reported: '2026-03-05T00:00:00Z', finished: '2026-03-11T03:00:00Z', deadline: '2026-03-20T00:00:00Z' },
  H5: { village: 'B', kind: 'hazards', reported: TO, deadline: '2026-03-20T00:00:00Z' },
}

let t: TestApp
let leader: TestUser
/** Who reads the KPIs: a dispatcher sees every key person, so visits overdue are exact (a leader's are protected, see the last test). */
let reader: TestUser
const villageIds = { A: 0, B: 0 }

async function get(path: string, lang = 'zh', user = reader) {
  return t.app.inject({ method: 'GET', url: path, headers: { ...user.headers, 'accept-language': lang } })
}

/** Status and state columns of a fixture, as the workflow would have left them. */
function stateOf(fixture: Fixture) {
  const at = (iso?: string) => (iso ? new Date(iso) : null)
  if (fixture.kind === 'hazards') {
    return fixture.finished
      ? { status: 'rectified', rectified_at: at(fixture.finished), verified_at: at(fixture.reported) }
      : { status: 'reported' }
  }
  if (!fixture.finished) return { status: fixture.station ? 'dispatched' : 'registered', dispatched_at: fixture.station ? at(fixture.reported) : null }
  return fixture.evaluated
    ? { status: 'evaluated', resolved_at: at(fixture.finished), fed_back_at: at(fixture.finished), evaluated_at: at(fixture.evaluated), closed_at: at(fixture.evaluated), satisfaction: fixture.satisfaction }
    : { status: 'fed_back', resolved_at: at(fixture.finished), fed_back_at: at(fixture.finished) }
}

beforeAll(async () => {
  t = await createTestApp()
  const db = t.database.engine.db
  const dispatcher = await t.signIn('dispatcher')
  leader = await t.signIn('leader')
  reader = dispatcher
  const points = await gridPoints(db)
  const a = points[0]
  const b = points.find((point) => point.villageId !== a.villageId)!
  villageIds.A = a.villageId
  villageIds.B = b.villageId
  for (const fixture of Object.values(CASES)) {
    const point = fixture.village === 'A' ? a : b
    const properties = fixture.kind === 'hazards' ? { severity: 'low', reportedAt: fixture.reported } : { tier: 'general', reportedAt: fixture.reported }
    const id = await registerCase(t, dispatcher, fixture.kind, point, properties, fixture.kind === 'disputes' ? [point.villageId] : [])
    await db
      .updateTable('cases')
      .set({ deadline_at: new Date(fixture.deadline), station_key: fixture.station ?? null, village_center_id: null, ...stateOf(fixture) })
      .where('id', '=', id)
      .execute()
  }
  const spots = await gridSpots(t, 60)
  const spotA = spots.find((spot) => spot.villageId === villageIds.A)!
  const spotB = spots.find((spot) => spot.villageId === villageIds.B)!
  const persons: Array<{ spot: typeof spotA; colour: string; created: string; visited?: string }> = [
    { spot: spotA, colour: 'red', created: '2026-02-01T00:00:00Z', visited: '2026-03-05T00:00:00Z' },
    { spot: spotA, colour: 'red', created: '2026-02-01T00:00:00Z', visited: '2026-03-01T00:00:00Z' },
    { spot: spotB, colour: 'green', created: '2026-02-01T00:00:00Z' },
    { spot: spotB, colour: 'yellow', created: '2026-01-15T00:00:00Z' },
    { spot: spotB, colour: 'red', created: '2026-03-11T03:00:00Z' },
  ]
  for (const person of persons) {
    const { id } = await registerPerson(t, dispatcher, person.spot, { colour: person.colour })
    await sql`UPDATE key_persons SET created_at = ${new Date(person.created)}::timestamptz, village_id = ${person.spot.villageId} WHERE id = ${id}`.execute(db)
    await sql`DELETE FROM key_person_visits WHERE person_id = ${id}`.execute(db)
    if (person.visited) {
      await sql`INSERT INTO key_person_visits (person_id, visitor_user_id, visited_at, kind, colour, next_due)
        VALUES (${id}, ${dispatcher.id}, ${new Date(person.visited)}::timestamptz, 'home', ${person.colour},
                ${new Date(person.visited)}::timestamptz + interval '7 days')`.execute(db)
    }
  }
}, 120_000)
afterAll(() => t?.close())

describe('KPI correctness on hand-made cases', () => {
  it('states the week boundary: Monday 00:00 township time of the week holding `to`', async () => {
    expect(weekStartBefore(new Date(TO)).toISOString()).toBe(WEEK_START)
    // A window ending Monday 00:00 CST counts the whole week just ended.
    expect(weekStartBefore(new Date('2026-03-08T16:00:00Z')).toISOString()).toBe('2026-03-01T16:00:00.000Z')
    // Sunday 23:59 CST still belongs to the week that started the Monday before.
    expect(weekStartBefore(new Date('2026-03-08T15:59:00Z')).toISOString()).toBe('2026-03-01T16:00:00.000Z')
    const body = (await get(`/api/analytics/kpis?${WINDOW}`)).json()
    expect(body.weekStart).toBe(WEEK_START)
  })

  it('computes the township totals exactly', async () => {
    const response = await get(`/api/analytics/kpis?${WINDOW}`)
    expect(response.statusCode).toBe(200)
    expect(response.json().total).toEqual({
      key: 'all',
      label: '全镇',
      open: 5, // H2, H3, D3, D4, H4 (H4 is rectified only after TO; H5 is reported at TO)
      new: 8, // H1 H2 D1 D5 D2 D3 D4 H4 (H3 before FROM, H5 at TO: both out)
      newThisWeek: 2, // H2, D3 (D4 is Sunday 23:00 CST, the week before)
      overdue: 2, // H2 (deadline passed), D4 (deadline = TO counts as overdue)
      resolved: 4, // H1 10 h, D1 30 h, D5 12 h, D2 68 h
      resolvedRate: 0.5,
      meanHoursToResolve: 30, // (10 + 30 + 12 + 68) / 4
      satisfactionMean: 4.5, // D1 4, D2 5 (D5 not evaluated)
      visitsOverdue: 2, // P2, P4
      visitsOverdueSuppressed: false,
    })
  })

  it('computes each village exactly', async () => {
    const body = (await get(`/api/analytics/kpis?groupBy=village&${WINDOW}`)).json()
    const a = body.groups.find((group: { key: string }) => group.key === String(villageIds.A))
    const b = body.groups.find((group: { key: string }) => group.key === String(villageIds.B))
    expect(a).toMatchObject({ open: 2, new: 4, newThisWeek: 1, overdue: 1, resolved: 3, resolvedRate: 0.75, meanHoursToResolve: 17.33, satisfactionMean: 4, visitsOverdue: 1 })
    expect(b).toMatchObject({ open: 3, new: 4, newThisWeek: 1, overdue: 1, resolved: 1, resolvedRate: 0.25, meanHoursToResolve: 68, satisfactionMean: 5, visitsOverdue: 1 })
    const others = body.groups.filter((group: { key: string }) => group.key !== String(villageIds.A) && group.key !== String(villageIds.B))
    expect(others).toEqual([])
  })

  it('computes each station exactly ("" = not dispatched)', async () => {
    const body = (await get(`/api/analytics/kpis?groupBy=station&${WINDOW}`, 'en')).json()
    const byKey = Object.fromEntries(body.groups.map((group: { key: string }) => [group.key, group]))
    expect(byKey['legal-mediation']).toMatchObject({ new: 2, resolved: 2, resolvedRate: 1, meanHoursToResolve: 49, satisfactionMean: 4.5, open: 0, visitsOverdue: null })
    expect(byKey.petition).toMatchObject({ new: 1, open: 1, overdue: 0, newThisWeek: 1, resolved: 0, resolvedRate: 0 })
    expect(byKey['']).toMatchObject({ label: 'Not dispatched to a station', new: 5, open: 4, overdue: 2, resolved: 2, meanHoursToResolve: 11 })
  })

  it('filters by village, station and kind', async () => {
    const village = (await get(`/api/analytics/kpis?${WINDOW}&villageId=${villageIds.A}`)).json()
    expect(village.groups.map((group: { key: string }) => group.key)).toEqual([String(villageIds.A)])
    expect(village.total).toMatchObject({ label: village.groups[0].label, open: 2, new: 4, resolved: 3, meanHoursToResolve: 17.33, visitsOverdue: 1 })
    const station = (await get(`/api/analytics/kpis?${WINDOW}&stationKey=legal-mediation`)).json()
    expect(station.total).toMatchObject({ new: 2, resolved: 2, resolvedRate: 1, satisfactionMean: 4.5, visitsOverdue: null })
    const undispatched = (await get(`/api/analytics/kpis?${WINDOW}&stationKey=`)).json()
    expect(undispatched.total).toMatchObject({ new: 5, open: 4 })
    const disputes = (await get(`/api/analytics/kpis?${WINDOW}&layer=disputes`)).json()
    expect(disputes.total).toMatchObject({ new: 5, resolved: 3, meanHoursToResolve: 36.67, satisfactionMean: 4.5, open: 2, overdue: 1, visitsOverdue: null })
    const hazards = (await get(`/api/analytics/kpis?${WINDOW}&layer=hazards&villageId=${villageIds.B}`)).json()
    expect(hazards.total).toMatchObject({ new: 1, open: 1, resolved: 0, resolvedRate: 0, meanHoursToResolve: null, satisfactionMean: null })
  })

  it('refuses bad filters and changes nothing', async () => {
    expect((await get(`/api/analytics/kpis?${WINDOW}&villageId=abc`)).statusCode).toBe(400)
    expect((await get(`/api/analytics/kpis?${WINDOW}&stationKey=DROP%20TABLE`)).statusCode).toBe(400)
    expect((await get(`/api/analytics/kpis?from=${TO}&to=${FROM}`)).statusCode).toBe(400)
    expect((await get(`/api/analytics/kpis?${WINDOW}`)).json().total.new).toBe(8)
  })

  it('gives weekly trend steps cut at Monday 00:00 CST that agree with the KPIs', async () => {
    const body = (await get(`/api/analytics/trend?step=week&${WINDOW}`)).json()
    expect(body.series.map((step: { start: string; end: string }) => [step.start, step.end])).toEqual([
      [FROM, '2026-03-01T16:00:00.000Z'],
      ['2026-03-01T16:00:00.000Z', WEEK_START],
      [WEEK_START, TO],
    ])
    expect(body.series.map((step: { new: number }) => step.new)).toEqual([0, 6, 2])
    expect(body.series.map((step: { resolved: number }) => step.resolved)).toEqual([0, 4, 0])
    expect(body.series.at(-1)).toMatchObject({ openAtEnd: 5, overdueAtEnd: 2 })
    const village = (await get(`/api/analytics/trend?step=day&${WINDOW}&villageId=${villageIds.A}`)).json()
    expect(village.series.reduce((sum: number, step: { new: number }) => sum + step.new, 0)).toBe(4)
    expect(village.series.reduce((sum: number, step: { resolved: number }) => sum + step.resolved, 0)).toBe(3)
    expect(village.series.at(-1)).toMatchObject({ openAtEnd: 2, overdueAtEnd: 1 })
  })

  it('exports the same figures as .xlsx with the filters applied', async () => {
    const response = await get(`/api/analytics/kpis.xlsx?${WINDOW}&villageId=${villageIds.B}`)
    expect(response.statusCode).toBe(200)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(response.rawPayload as never)
    const sheet = workbook.worksheets[0]
    expect(sheet.name).toBe('考核指标')
    expect(sheet.getRow(1).getCell(4).value).toBe('本周新增（周一起）')
    const last = sheet.getRow(sheet.rowCount)
    expect([2, 3, 4, 5, 6, 7, 8, 9, 10].map((column) => last.getCell(column).value)).toEqual([3, 4, 1, 1, 1, 0.25, 68, 5, 1])
  })

  it('gives a leader the same case figures but visits overdue below k suppressed ("<5" in the sheet), never 0', async () => {
    const body = (await get(`/api/analytics/kpis?groupBy=village&${WINDOW}`, 'zh', leader)).json()
    expect(body.total).toMatchObject({ open: 5, new: 8, overdue: 2, visitsOverdue: null, visitsOverdueSuppressed: true })
    const a = body.groups.find((group: { key: string }) => group.key === String(villageIds.A))
    expect(a).toMatchObject({ open: 2, new: 4, visitsOverdue: null, visitsOverdueSuppressed: true })
    const station = (await get(`/api/analytics/kpis?${WINDOW}&stationKey=legal-mediation`, 'zh', leader)).json()
    expect(station.total).toMatchObject({ visitsOverdue: null, visitsOverdueSuppressed: false })
    const response = await get(`/api/analytics/kpis.xlsx?${WINDOW}&villageId=${villageIds.B}`, 'zh', leader)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(response.rawPayload as never)
    const sheet = workbook.worksheets[0]
    const last = sheet.getRow(sheet.rowCount)
    expect([2, 3, 4, 5, 6, 7, 8, 9, 10].map((column) => last.getCell(column).value)).toEqual([3, 4, 1, 1, 1, 0.25, 68, 5, '<5'])
  })
})
