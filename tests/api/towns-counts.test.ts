import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { caseClient, hazardFeature } from '../support/cases.ts'
import { ENGINE_UNDER_TEST } from '../support/test-database.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { addSecondTown, sampleTownId, TOWN_USER_ROLES, type SecondTown } from '../support/second-town.ts'

/*
 * Issue 13: "A town user never sees another town's data, counts included."
 * Every count-bearing answer a town-A user gets (every parameterless GET
 * route, plus the risk scores at each level, the change view, bins and heat,
 * dispute clusters, KPIs, every OGC collection's numberMatched …) is recorded
 * while the deployment holds town A only; then town B is added with users,
 * cases, a dispute and a key person; the same answers must be unchanged for
 * the A users, while the county user's numbers grew. And the live stream: a
 * write in town B is no event on town A's streams, and is one on the county's.
 */
let t: TestApp
let townA: number
/** Town B, added by the first test (or by the live test when run alone). */
let b: SecondTown | undefined
let usersOfA: TestUser[]
let county: TestUser
let address: string
/** Fixed before the first snapshot, so both snapshots ask the same question. */
const compareTo = new Date(Date.now() - 30 * 86_400_000).toISOString()

beforeAll(async () => {
  t = await createTestApp()
  townA = await sampleTownId(t)
  usersOfA = []
  for (const role of TOWN_USER_ROLES) usersOfA.push(await t.signIn(role, { townId: townA }))
  county = await t.signIn('county_leader', { townId: null })
  address = await t.app.listen({ port: 0, host: '127.0.0.1' })
}, 120_000)

afterAll(async () => {
  await t?.close()
})

/** Count-bearing answers that need parameters (the parameterless GET routes are taken from the route table). */
async function parameterisedUrls(): Promise<string[]> {
  const collections = (await t.app.inject({ url: '/api/collections', headers: county.headers })).json().collections as Array<{ id: string }>
  return [
    ...['town', 'village', 'grid'].map((level) => `/api/analytics/risk/scores?level=${level}`),
    `/api/analytics/risk/change?level=village&compareTo=${compareTo}`,
    ...['hazards', 'disputes'].flatMap((layer) => [`/api/analytics/bins?layer=${layer}`, `/api/analytics/bins?layer=${layer}&groupBy=village`, `/api/analytics/bins?layer=${layer}&shape=square&cellMeters=100`]),
    '/api/analytics/bins?layer=key-persons&cellMeters=250',
    '/api/analytics/bins?layer=key-persons&groupBy=village',
    '/api/analytics/dispute-clusters?distanceMeters=300&minPoints=2',
    '/api/analytics/kpis?groupBy=village',
    '/api/analytics/kpis?groupBy=station',
    '/api/key-persons/heat?level=grid',
    '/api/key-persons/heat?level=village',
    ...collections.map((collection) => `/api/collections/${collection.id}/items?limit=1`),
  ]
}

/**
 * Left out on purpose, as in towns-isolation.test.ts: the directory of
 * divisions names every town's villages to every user (a dispute's party may
 * live across the town border), so it grows when a town arrives. It carries
 * names and codes only (tests/api/cross-town-disputes.test.ts).
 */
const REFERENCE_ROUTES = new Set(['/api/towns/villages'])

/** The GET routes without path parameters (streams excluded: they never end). */
function parameterlessUrls(): string[] {
  return t.app.routeAccess
    .filter((route) => route.method === 'GET' && route.url.startsWith('/api/') && !route.url.includes(':') && !route.url.endsWith('/stream'))
    .filter((route) => !REFERENCE_ROUTES.has(route.url))
    .map((route) => route.url)
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/

/** Instants (windows ending now, "generated at") differ between the two snapshots; every number and name must not. */
function normalised(value: unknown): unknown {
  if (typeof value === 'string') return ISO_TIME.test(value) ? '<instant>' : value
  if (Array.isArray(value)) return value.map(normalised)
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, normalised(inner)]))
  return value
}

const maskInstants = (text: string) => text.replace(/\d{4}-\d{2}-\d{2}[T ][\d:.]+Z?/g, '<instant>')

/** The cell values of a workbook, sheet by sheet (an .xlsx's bytes hold its creation time). */
async function workbookValues(payload: Buffer): Promise<unknown> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(payload as unknown as ArrayBuffer)
  return workbook.worksheets.map((sheet) => {
    const rows: unknown[] = []
    sheet.eachRow((row) => rows.push(normalised((row.values as unknown[]).map((value) => (value instanceof Date ? '<instant>' : value)))))
    return { name: sheet.name, rows }
  })
}

/** What an answer says, for comparing: status and normalised JSON, text or workbook cells with instants masked, or a binary's size. */
async function answer(user: TestUser, url: string): Promise<string> {
  const response = await t.app.inject({ url, headers: user.headers })
  const type = String(response.headers['content-type'] ?? '')
  if (type.includes('json')) return `${response.statusCode} ${JSON.stringify(normalised(response.json()))}`
  if (type.startsWith('text/')) return `${response.statusCode} ${maskInstants(response.body)}`
  if (type.includes('spreadsheetml')) return `${response.statusCode} ${maskInstants(JSON.stringify(await workbookValues(response.rawPayload)))}`
  return `${response.statusCode} ${type} ${response.rawPayload.byteLength} bytes`
}

/**
 * The audit log grows with the snapshots' own requests (each refused route is
 * an entry). It is unchanged when every entry it showed before is shown the
 * same, and every newer entry is by one of town A's users.
 */
function auditUnchanged(before: string, after: string, ownUserIds: Set<number>): boolean {
  if (before.slice(0, 4) !== after.slice(0, 4) || !before.startsWith('200 ')) return before === after
  type Log = { entries: Array<{ id: number; userId: number | null }>; total: number; limit: number }
  const [was, now] = [JSON.parse(before.slice(4)) as Log, JSON.parse(after.slice(4)) as Log]
  const earlier = new Map(was.entries.map((entry) => [entry.id, JSON.stringify(entry)]))
  const newest = Math.max(0, ...earlier.keys())
  const added = now.entries.filter((entry) => entry.id > newest)
  const sameOld = now.entries.every((entry) => entry.id > newest || !earlier.has(entry.id) || earlier.get(entry.id) === JSON.stringify(entry))
  const addedByA = added.every((entry) => entry.userId !== null && ownUserIds.has(entry.userId))
  // The total counts only what was added by A (when the page holds every new entry, the difference is exact).
  const totalOk = now.entries.length >= now.limit ? now.total >= was.total : now.total - was.total === added.length
  return sameOld && addedByA && totalOk
}

async function snapshot(users: TestUser[], urls: string[]): Promise<Map<string, string>> {
  const answers = new Map<string, string>()
  for (const url of urls) {
    await Promise.all(users.map(async (user) => answers.set(`${user.role} ${url}`, await answer(user, url))))
  }
  return answers
}

/** A number inside an answer (OGC numberMatched, a bins total, the length of a list). */
async function figure(user: TestUser, url: string, read: (body: Record<string, unknown>) => number): Promise<number> {
  const response = await t.app.inject({ url, headers: user.headers })
  expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(200)
  return read(response.json())
}

const COUNTY_FIGURES: Array<[string, (body: Record<string, unknown>) => number]> = [
  ['/api/collections/hazards/items?limit=1', (body) => Number(body.numberMatched)],
  ['/api/collections/disputes/items?limit=1', (body) => Number(body.numberMatched)],
  ['/api/analytics/risk/scores?level=town', (body) => (body.areas as unknown[]).length],
  ['/api/analytics/bins?layer=hazards', (body) => Number(body.total)],
  ['/api/analytics/bins?layer=disputes', (body) => Number(body.total)],
  ['/api/county/kpis', (body) => (body.towns as unknown[]).length],
  ['/api/towns', (body) => (body.towns as unknown[]).length],
]

describe(`counts included: adding town B changes no answer of a town-A user (${ENGINE_UNDER_TEST})`, () => {
  let countyBefore: number[]

  it('every count-bearing answer of every town-A role is the same after town B arrives; the county user\'s figures grew', async () => {
    const urls = [...new Set([...parameterlessUrls(), ...(await parameterisedUrls())])]
    expect(urls.length).toBeGreaterThan(40)
    const before = await snapshot(usersOfA, urls)
    countyBefore = []
    for (const [url, read] of COUNTY_FIGURES) countyBefore.push(await figure(county, url, read))

    b = await addSecondTown(t)
    // More of town B, so that even counts rounded to k (key persons) would move if B leaked into them.
    const cases = caseClient(t)
    for (let i = 0; i < 5; i += 1) {
      const hazard = await cases.register(b.users.dispatcher!, 'hazards', hazardFeature(b.point, { description: `乙镇隐患 ${i}` }))
      expect(hazard.statusCode, hazard.body).toBe(201)
    }

    const after = await snapshot(usersOfA, urls)
    const ownUserIds = new Set(usersOfA.map((user) => user.id))
    const unchanged = (key: string, value: string) =>
      key.includes(' /api/audit') ? auditUnchanged(value, after.get(key)!, ownUserIds) : after.get(key) === value
    const changed = [...before].filter(([key, value]) => !unchanged(key, value)).map(([key]) => key)
    // What the snapshots asked, so a reader sees the scope of the check (and a route that stopped answering 200 shows up).
    const answered = [...before.values()].filter((value) => value.startsWith('200 ')).length
    expect(answered, 'most of the questions are answered (200) to some role').toBeGreaterThan(urls.length)
    expect(changed, changed.map((key) => `${key}\n  before: ${before.get(key)?.slice(0, 400)}\n  after:  ${after.get(key)?.slice(0, 400)}`).join('\n')).toEqual([])

    const countyAfter: number[] = []
    for (const [url, read] of COUNTY_FIGURES) countyAfter.push(await figure(county, url, read))
    COUNTY_FIGURES.forEach(([url], index) => expect(countyAfter[index], url).toBeGreaterThan(countyBefore[index]))
  }, 900_000)
})

interface Received {
  event: string
  data: Record<string, unknown>
}

/** An open SSE connection of `user` that collects events until a condition holds. */
async function listen(user: TestUser) {
  const controller = new AbortController()
  const response = await fetch(`${address}/api/events/stream`, { headers: user.headers, signal: controller.signal })
  expect(response.status).toBe(200)
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  const received: Received[] = []
  let buffer = ''
  return {
    async until(done: (events: Received[]) => boolean) {
      while (!done(received)) {
        const { value, done: ended } = await reader.read()
        if (ended) break
        buffer += decoder.decode(value, { stream: true })
        let split: number
        while ((split = buffer.indexOf('\n\n')) >= 0) {
          const lines = buffer.slice(0, split).split('\n')
          buffer = buffer.slice(split + 2)
          const event = lines.find((line) => line.startsWith('event: '))?.slice(7)
          const data = lines.find((line) => line.startsWith('data: '))?.slice(6)
          if (event && data) received.push({ event, data: JSON.parse(data) })
        }
      }
      return received
    },
    async close() {
      controller.abort()
      await reader.cancel().catch(() => {})
    },
  }
}

describe(`live events per town (${ENGINE_UNDER_TEST})`, () => {
  it("a write in town B is no event on town A's streams, and one on the county user's", async () => {
    b ??= await addSecondTown(t)
    const townB = b
    const dispatcherA = usersOfA.find((user) => user.role === 'dispatcher')!
    const leaderA = usersOfA.find((user) => user.role === 'leader')!
    const streams = { dispatcherA: await listen(dispatcherA), leaderA: await listen(leaderA), county: await listen(county) }
    const cases = caseClient(t)
    const inB = await cases.register(townB.users.dispatcher!, 'hazards', hazardFeature(townB.point, { description: '乙镇实时' }))
    expect(inB.statusCode, inB.body).toBe(201)
    const personUrl = `/api/key-persons/${townB.personId}`
    const current = await t.app.inject({ url: personUrl, headers: townB.users.dispatcher!.headers })
    expect(current.statusCode, current.body).toBe(200)
    const person = await t.app.inject({
      method: 'PATCH',
      url: personUrl,
      headers: { ...townB.users.dispatcher!.headers, 'if-match': String(current.headers.etag) },
      payload: { status: 'away' },
    })
    expect(person.statusCode, person.body).toBe(200)
    // A write in town A afterwards: once a stream has it, anything of B before it would have arrived already.
    const inA = await cases.register(dispatcherA, 'hazards', hazardFeature(await pointOfTownA()))
    expect(inA.statusCode, inA.body).toBe(201)
    const idA = inA.json().id as number
    const idB = inB.json().id as number
    const sentinel = (events: Received[]) => events.some((event) => event.event === 'case' && event.data.id === idA)

    for (const name of ['dispatcherA', 'leaderA'] as const) {
      const events = await streams[name].until(sentinel)
      expect(events.filter((event) => event.event === 'case').map((event) => event.data.id), name).toEqual([idA])
      // Nothing of B's key person either: neither its id nor a "counts may have changed".
      expect(events.filter((event) => event.event !== 'case'), name).toEqual([])
    }
    const countyEvents = await streams.county.until(sentinel)
    expect(countyEvents.filter((event) => event.event === 'case').map((event) => event.data.id)).toEqual([idB, idA])
    expect(countyEvents.some((event) => event.event.startsWith('key_person'))).toBe(true)
    await Promise.all(Object.values(streams).map((stream) => stream.close()))
  }, 120_000)
})

/** A point inside a fine grid of town A (its first grid's interior point). */
async function pointOfTownA(): Promise<{ lon: number; lat: number }> {
  const { rows } = await sql<{ lon: number; lat: number }>`
    SELECT ST_X(ST_PointOnSurface(f.geom)) AS lon, ST_Y(ST_PointOnSurface(f.geom)) AS lat
    FROM current_areas f JOIN current_areas town ON town.area_id = ${townA}
    WHERE f.level = 'fine_grid' AND left(f.code, 9) = left(town.code, 9) ORDER BY f.code LIMIT 1`.execute(t.database.engine.db)
  return { lon: Number(rows[0].lon), lat: Number(rows[0].lat) }
}
