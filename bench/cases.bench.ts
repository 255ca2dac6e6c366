import { sql, type CompiledQuery } from 'kysely'
import type { FastifyInstance } from 'fastify'
import type { DbEngine } from '../server/core/db/engine.ts'
import { findCase, findCasePage, countCases } from '../server/features/cases/cases.repository.ts'
import { findUserById, type UserRecord } from '../server/core/auth/users.repository.ts'
import { registerCase, type CaseRegistration } from '../server/features/cases/registration.service.ts'
import { createUser } from '../server/features/users/users.service.ts'
import { issueApiToken } from '../server/features/users/tokens.service.ts'
import { seedSampleActivity } from '../server/seed/sample-activity.ts'
import { BENCH_BBOX } from './items.bench.ts'
import { listenOnce } from './listen-once.ts'
import { captureStatements, replayStatements } from './sql-capture.ts'
import { summarise, timeInterleaved, timeRuns, type Timing } from './stats.ts'
import { vacuumAnalyse } from './bench-database.ts'

/** Cases loaded for the benchmark (issue 3: "with 100k cases"). */
export const CASES_BENCH_VOLUME = 100_000

/** One measured request beside the SQL it runs. */
export interface CasesBenchRow {
  label: string
  api: Timing
  sql: Timing
  /** How many statements the SQL baseline replays. */
  statements: number
}

/** Size and decode time of GeoJSON as the map would receive it. */
export interface PayloadFigure {
  features: number
  bytes: number
  /** `JSON.parse` of the whole text (stand-in for the client's decode). */
  parse: Timing
}

/** Figures of {@link benchCases}. */
export interface CasesBench {
  loaded: number
  loadMs: number
  total: number
  rows: CasesBenchRow[]
  /** Requests that could not be measured, with why. */
  skipped: string[]
  page?: PayloadFigure
  /** Every case in the database as one FeatureCollection, estimated from the page's features. */
  all?: PayloadFigure
}

const PASSWORD = 'bench-password-123'

async function benchUser(engine: DbEngine): Promise<{ user: UserRecord; token: string }> {
  const created = await engine.db.transaction().execute((trx) =>
    createUser(trx, { username: `bench-dispatcher-${Date.now()}`, password: PASSWORD, role: 'dispatcher' }, null),
  )
  const { token } = await issueApiToken(engine.db, created.id, 'bench')
  return { user: (await findUserById(engine.db, created.id))!, token }
}

async function interiorPoints(engine: DbEngine): Promise<Array<[number, number]>> {
  const { rows } = await sql<{ lon: number; lat: number }>`
    SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat
    FROM current_areas WHERE level = 'fine_grid' ORDER BY area_id`.execute(engine.db)
  return rows.map((row) => [row.lon, row.lat])
}

function hazardProperties(index: number) {
  return { category: 'fire', severity: 'medium', source: 'grid_worker', reporterName: '基准测试', description: `基准测试登记 #${index}` } as const
}

/** A request that must answer `expected`; keeps the last body. */
function apiCall(request: () => Promise<Response>, expected: number) {
  const call = async () => {
    const response = await request()
    call.body = await response.text()
    if (response.status !== expected) throw new Error(`API answered ${response.status}: ${call.body.slice(0, 300)}`)
  }
  call.body = ''
  return call
}

/** The recorded statements on the driver: those of `transactional` in one transaction, then `statements`. */
function sqlCall(engine: DbEngine, statements: CompiledQuery[], transactional: CompiledQuery[] = []) {
  return async () => {
    if (transactional.length > 0) await replayStatements(engine.db, transactional, true)
    await replayStatements(engine.db, statements)
  }
}

/** API and SQL timed in turns. */
async function pair(label: string, runs: number, api: () => Promise<void>, direct: () => Promise<void>, statements: number): Promise<CasesBenchRow> {
  const [apiSamples, sqlSamples] = await timeInterleaved([api, direct], runs)
  return { label, api: summarise(apiSamples), sql: summarise(sqlSamples), statements }
}

async function benchRegistration(app: FastifyInstance, engine: DbEngine, base: string, auth: { user: UserRecord; token: string }, runs: number): Promise<CasesBenchRow | string> {
  if (!app.hasRoute({ method: 'POST', url: '/api/collections/hazards/items' })) return 'POST /api/collections/hazards/items is not there yet: registration not measured'
  const points = await interiorPoints(engine)
  const [lon, lat] = points[0]
  const registration: CaseRegistration = { kind: 'hazard', lon, lat, properties: hazardProperties(0) }
  let id = 0
  const inTransaction = await captureStatements(engine.db, (spy) => spy.transaction().execute(async (trx) => (id = await registerCase(trx, auth.user, registration))))
  const after = await captureStatements(engine.db, (spy) => findCase(spy, 'hazard', id))
  let n = 0
  const api = apiCall(() => {
    const [x, y] = points[n++ % points.length]
    return fetch(`${base}/api/collections/hazards/items`, {
      method: 'POST',
      headers: { authorization: `Bearer ${auth.token}`, 'content-type': 'application/geo+json' },
      body: JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: [x, y] }, properties: hazardProperties(n) }),
    })
  }, 201)
  const statements = inTransaction.statements.length + after.statements.length
  return pair('POST …/hazards/items (register)', runs, api, sqlCall(engine, after.statements, inTransaction.statements), statements)
}

async function benchPayload(text: string, runs: number): Promise<PayloadFigure> {
  let features = 0
  const parse = summarise(await timeRuns(async () => (features = (JSON.parse(text) as { features: unknown[] }).features.length), runs, 2))
  return { features, bytes: Buffer.byteLength(text), parse }
}

/**
 * A FeatureCollection text of `count` features made by repeating the
 * features of a real page: what the map would decode if it loaded every case.
 */
function repeatedCollection(pageText: string, count: number): string {
  const features = (JSON.parse(pageText) as { features: unknown[] }).features.map((feature) => JSON.stringify(feature))
  if (features.length === 0) return '{"type":"FeatureCollection","features":[]}'
  const parts: string[] = []
  for (let i = 0; i < count; i++) parts.push(features[i % features.length])
  return `{"type":"FeatureCollection","features":[${parts.join(',')}]}`
}

/**
 * Loads {@link CASES_BENCH_VOLUME} sample cases (bulk ledger) and measures,
 * over HTTP with a bearer token, registration, a bbox page of 1000 hazards
 * and the legend counts, each beside the very statements it runs (recorded
 * from the repository calls and replayed on the driver); then the size and
 * `JSON.parse` time of that page and, estimated by repeating its features,
 * of every case in the database as one FeatureCollection.
 */
export async function benchCases(app: FastifyInstance, engine: DbEngine, options: { runs: number; volume?: number; estimateAll?: boolean }): Promise<CasesBench> {
  const volume = options.volume ?? CASES_BENCH_VOLUME
  const started = performance.now()
  const report = await engine.db.transaction().execute((trx) => seedSampleActivity(trx, { asOf: new Date(), cases: volume, keyPersons: 0, leads: 0 }))
  await vacuumAnalyse(engine, ['cases', 'case_parties', 'case_events'])
  const loadMs = performance.now() - started
  const auth = await benchUser(engine)
  const base = await listenOnce(app)
  const headers = { authorization: `Bearer ${auth.token}` }
  const rows: CasesBenchRow[] = []
  const skipped: string[] = []
  const registration = await benchRegistration(app, engine, base, auth, options.runs)
  if (typeof registration === 'string') skipped.push(registration)
  else rows.push(registration)

  const page = apiCall(() => fetch(`${base}/api/collections/hazards/items?bbox=${BENCH_BBOX.join(',')}&limit=1000`, { headers }), 200)
  const pageSql = await captureStatements(engine.db, (spy) => findCasePage(spy, auth.user, { kind: 'hazard', bbox: BENCH_BBOX, limit: 1000, offset: 0 }))
  rows.push(await pair('GET …/hazards/items?bbox=…&limit=1000', options.runs, page, sqlCall(engine, pageSql.statements), pageSql.statements.length))

  if (app.hasRoute({ method: 'GET', url: '/api/cases/counts' })) {
    const counts = apiCall(() => fetch(`${base}/api/cases/counts`, { headers }), 200)
    const countSql = await captureStatements(engine.db, (spy) => countCases(spy, auth.user))
    rows.push(await pair('GET /api/cases/counts (legend)', options.runs, counts, sqlCall(engine, countSql.statements), countSql.statements.length))
  } else {
    skipped.push('GET /api/cases/counts is not there: legend counts not measured')
  }

  const total = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM cases`.execute(engine.db)).rows[0].n)
  const result: CasesBench = { loaded: report.hazards + report.disputes, loadMs, total, rows, skipped, page: await benchPayload(page.body, 50) }
  if (options.estimateAll !== false) result.all = await benchPayload(repeatedCollection(page.body, total), 3)
  return result
}
