import { readFileSync } from 'node:fs'
import { sql, type CompiledQuery } from 'kysely'
import type { FastifyInstance } from 'fastify'
import type { DbEngine } from '../server/core/db/engine.ts'
import { seedSampleActivity } from '../server/seed/sample-activity.ts'
import { saveAreaEdits } from '../server/features/areas/boundaries/edit.service.ts'
import { FINAL_CASE_STATUSES, previewBoundaryImpact, type ImpactInput } from '../server/features/areas/boundaries/impact.service.ts'
import { createUser } from '../server/features/users/users.service.ts'
import { issueApiToken } from '../server/features/users/tokens.service.ts'
import { CASES_BENCH_VOLUME } from './cases.bench.ts'
import { listenOnce } from './listen-once.ts'
import { captureStatements, replayStatements } from './sql-capture.ts'
import { ms, summarise, timeInterleaved, type Timing } from './stats.ts'
import { vacuumAnalyse } from './bench-database.ts'

/** Targets of issue 5 (on PostGIS). */
export const VALIDATION_TARGET_MS = 100
export const IMPACT_TARGET_MS = 1000

/** One measured boundary request beside its SQL floors. */
export interface BoundaryBenchRow {
  label: string
  api: Timing
  /** Every statement the route runs, replayed on the driver in one transaction. */
  statements: Timing
  statementCount: number
  /** The slowest statement alone (for the validation, the topology checks). */
  floor: Timing
  floorLabel: string
  payloadBytes: number
  /** What the last answer said (findings, cases moved). */
  detail: string
  targetMs: number
}

/** Figures of {@link benchBoundaries}. */
export interface BoundaryBench {
  cases: number
  loadedMs: number
  rows: BoundaryBenchRow[]
}

/** The parts of a validation or impact answer the benchmark reports. */
interface AnswerSummary {
  problems: unknown[]
  warnings: unknown[]
  cases?: Array<{ count: number }>
  keyPersons?: Array<{ count: number }>
}

const FIXTURE = new URL('../tests/fixtures/boundaries/shared-vertex-move.input.geojson', import.meta.url)

async function adminToken(engine: DbEngine): Promise<{ username: string; token: string }> {
  const username = `bench-admin-${Date.now()}`
  const user = await engine.db.transaction().execute((trx) => createUser(trx, { username, password: 'bench-password-123', role: 'admin' }, null))
  return { username, token: (await issueApiToken(engine.db, user.id, 'bench')).token }
}

/** Loads sample cases until there are at least {@link CASES_BENCH_VOLUME} (reuses those of the cases benchmark). */
async function ensureCases(engine: DbEngine): Promise<{ cases: number; loadedMs: number }> {
  const count = async () => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM cases`.execute(engine.db)).rows[0].n)
  const started = performance.now()
  if ((await count()) < CASES_BENCH_VOLUME) {
    await engine.db.transaction().execute((trx) => seedSampleActivity(trx, { asOf: new Date(), cases: CASES_BENCH_VOLUME, keyPersons: 0, leads: 0 }))
    await vacuumAnalyse(engine, ['cases', 'case_parties', 'case_events'])
  }
  return { cases: await count(), loadedMs: performance.now() - started }
}

/** A fine-grid edit: the first owner of the shared-vertex fixture with its vertex moved 3 m east, 2 m north. */
async function vertexEdit(engine: DbEngine): Promise<{ areaId: number; geometry: unknown }> {
  const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { features: Array<{ geometry: unknown; properties: { code: string } }> }
  const first = fixture.features[0]
  const row = await engine.db.selectFrom('current_areas').select('area_id').where('code', '=', first.properties.code).executeTakeFirstOrThrow()
  return { areaId: Number(row.area_id), geometry: first.geometry }
}

/**
 * The edit of the impact test at scale: two fine grids of one base grid with
 * the longest shared edge (both over 20 ha); B takes the strip of A within
 * 30 m of it, so open cases near the edge change grid.
 */
async function edgeEdit(engine: DbEngine): Promise<Array<{ areaId: number; geometry: unknown }>> {
  const { rows } = await sql<{ a: number; b: number; new_a: string; new_b: string }>`
    WITH pairs AS (
      SELECT a.area_id AS a, b.area_id AS b, a.geom AS ga, b.geom AS gb,
        ST_Length(ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom))::geography) AS shared
      FROM current_areas a JOIN current_areas b ON a.parent_id = b.parent_id AND a.area_id < b.area_id
      WHERE a.level = 'fine_grid' AND b.level = 'fine_grid' AND ST_Touches(a.geom, b.geom)
        AND ST_Area(a.geom::geography) > 200000 AND ST_Area(b.geom::geography) > 200000
      ORDER BY shared DESC, a.area_id LIMIT 1
    ), strip AS (SELECT p.*, ST_Intersection(p.ga, ST_Buffer(p.gb::geography, 30)::geometry) AS s FROM pairs p)
    SELECT a, b,
      ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_Difference(ga, s), 3)), 9) AS new_a,
      ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_Union(gb, s), 3)), 9) AS new_b
    FROM strip`.execute(engine.db)
  const row = rows[0]
  return [{ areaId: Number(row.a), geometry: JSON.parse(row.new_a) }, { areaId: Number(row.b), geometry: JSON.parse(row.new_b) }]
}

/** A split of the fine grid with the most open cases along the latitude of its centroid: every open case in it changes grid. */
async function densestSplit(engine: DbEngine): Promise<{ areaId: number; line: unknown }> {
  const { rows } = await sql<{ id: number; x0: number; x1: number; y: number }>`
    WITH densest AS (
      SELECT fine_grid_id AS id FROM cases WHERE status NOT IN (${sql.join(FINAL_CASE_STATUSES)}) AND fine_grid_id IS NOT NULL
      GROUP BY fine_grid_id ORDER BY count(*) DESC, fine_grid_id LIMIT 1
    )
    SELECT c.area_id AS id, ST_XMin(c.geom) - 0.001 AS x0, ST_XMax(c.geom) + 0.001 AS x1, ST_Y(ST_Centroid(c.geom)) AS y
    FROM current_areas c JOIN densest d ON d.id = c.area_id`.execute(engine.db)
  const row = rows[0]
  return { areaId: Number(row.id), line: { type: 'LineString', coordinates: [[Number(row.x0), Number(row.y)], [Number(row.x1), Number(row.y)]] } }
}

/** The statement that takes longest on the driver (best of three runs each), and what it is. */
async function slowest(engine: DbEngine, statements: CompiledQuery[]): Promise<{ label: string; statement: CompiledQuery }> {
  let worst = { ms: -1, statement: statements[0] }
  for (const statement of statements) {
    let best = Infinity
    for (let i = 0; i < 3; i++) {
      const started = performance.now()
      await replayStatements(engine.db, [statement])
      best = Math.min(best, performance.now() - started)
    }
    if (best > worst.ms) worst = { ms: best, statement }
  }
  const ctes = [...worst.statement.sql.matchAll(/(\w+) AS \(/g)].map((match) => match[1]).filter((name) => name !== 'input')
  return { label: `slowest statement alone (${ctes.slice(0, 2).join(', ') || worst.statement.sql.slice(0, 20)}…)`, statement: worst.statement }
}

async function measure(
  label: string,
  runs: number,
  call: () => Promise<Response>,
  statements: CompiledQuery[],
  floor: { label: string; statement: CompiledQuery },
  engine: DbEngine,
  targetMs: number,
  describe: (body: AnswerSummary) => string,
): Promise<BoundaryBenchRow> {
  let payloadBytes = 0
  let last = ''
  const api = async () => {
    const response = await call()
    const text = await response.text()
    if (response.status !== 200) throw new Error(`${label}: ${response.status} ${text.slice(0, 300)}`)
    payloadBytes = Buffer.byteLength(text)
    last = text
  }
  const all = () => replayStatements(engine.db, statements, true)
  const one = () => replayStatements(engine.db, [floor.statement])
  const [apiSamples, allSamples, oneSamples] = await timeInterleaved([api, all, one], runs, 5)
  return {
    label, api: summarise(apiSamples), statements: summarise(allSamples), statementCount: statements.length,
    floor: summarise(oneSamples), floorLabel: floor.label, payloadBytes, detail: describe(JSON.parse(last) as AnswerSummary), targetMs,
  }
}

/**
 * Issue 5 performance: (a) POST /api/boundaries/validate of a fine-grid edit
 * (one vertex moved a few metres) and (b) POST /api/boundaries/impact of a
 * shared-edge move and of a split of the fine grid with most open cases,
 * with {@link CASES_BENCH_VOLUME} cases loaded, over HTTP
 * with a bearer token, each beside two SQL floors recorded from the service
 * call: every statement the route runs replayed in one transaction, and the
 * slowest one alone (for the validation, the topology checks).
 */
export async function benchBoundaries(app: FastifyInstance, engine: DbEngine, options: { runs: number }): Promise<BoundaryBench> {
  const { cases, loadedMs } = await ensureCases(engine)
  const { username, token } = await adminToken(engine)
  const base = await listenOnce(app)
  const post = (url: string, body: unknown) => () =>
    fetch(`${base}${url}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const rows: BoundaryBenchRow[] = []

  const edit = await vertexEdit(engine)
  const dryRunOptions = { by: username, reason: 'validation', lang: 'zh' as const, dryRun: true }
  const validation = await captureStatements(engine.db, (spy) => spy.transaction().execute((trx) => saveAreaEdits(trx, [edit], dryRunOptions)))
  rows.push(await measure(
    'POST /api/boundaries/validate (fine grid, 1 vertex moved 3.6 m)', options.runs,
    post('/api/boundaries/validate', { areas: [edit] }), validation.statements,
    await slowest(engine, validation.statements), engine, VALIDATION_TARGET_MS,
    (body) => `${body.problems.length} problem(s), ${body.warnings.length} warning(s)`,
  ))

  const previews: Array<{ label: string; input: ImpactInput }> = [
    { label: 'shared edge moved 30 m', input: { edit: { areas: await edgeEdit(engine) } } },
    { label: 'split of the grid with most open cases', input: { split: await densestSplit(engine) } },
  ]
  for (const preview of previews) {
    const impact = await captureStatements(engine.db, (spy) => spy.transaction().execute((trx) => previewBoundaryImpact(trx, preview.input, username, 'zh')))
    rows.push(await measure(
      `POST /api/boundaries/impact (${preview.label}, ${cases.toLocaleString('en')} cases)`, options.runs,
      post('/api/boundaries/impact', preview.input), impact.statements,
      await slowest(engine, impact.statements), engine, IMPACT_TARGET_MS,
      (body) => `${(body.cases ?? []).reduce((n, c) => n + c.count, 0)} open cases and ${(body.keyPersons ?? []).reduce((n, c) => n + c.count, 0)} key persons would change grid`,
    ))
  }
  return { cases, loadedMs, rows }
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - [...text].length))

/** Prints the boundary benchmark; true when every API p95 is within its target. */
export function printBoundaryBench(label: string, result: BoundaryBench, runs: number): boolean {
  console.log(`\n[${label}] boundaries (issue 5): ${result.cases.toLocaleString('en')} cases in the database (ready in ${(result.loadedMs / 1000).toFixed(1)} s); ${runs} turns each`)
  let ok = true
  for (const row of result.rows) {
    const met = row.api.p95 <= row.targetMs
    ok &&= met
    console.log(`  ${row.label}: ${(row.payloadBytes / 1024).toFixed(1)} KiB answer; ${row.detail}`)
    console.log(`    ${pad('API over HTTP', 52)}p50 ${pad(ms(row.api.p50), 12)}p95 ${pad(ms(row.api.p95), 12)}target p95 ≤ ${row.targetMs} ms  ${met ? 'OK' : 'MISSED'}`)
    console.log(`    ${pad(`its ${row.statementCount} statements replayed (one transaction)`, 52)}p50 ${pad(ms(row.statements.p50), 12)}p95 ${pad(ms(row.statements.p95), 12)}API/SQL p95 ${(row.api.p95 / row.statements.p95).toFixed(2)}`)
    console.log(`    ${pad(row.floorLabel, 52)}p50 ${pad(ms(row.floor.p50), 12)}p95 ${pad(ms(row.floor.p95), 12)}API/SQL p95 ${(row.api.p95 / row.floor.p95).toFixed(2)}`)
  }
  return ok
}
