import { sql, type CompiledQuery } from 'kysely'
import type { FastifyInstance } from 'fastify'
import type { Db } from '../server/core/db/database.ts'
import type { DbEngine } from '../server/core/db/engine.ts'
import { runWithDbScope, type DbScope } from '../server/core/db/db-scope.ts'
import type { TimeWindow } from '../server/core/time/time-window.ts'
import { findUserById, type UserRecord } from '../server/core/auth/users.repository.ts'
import { mvtEncoderFor } from '../server/core/postgis/mvt.ts'
import { findBins } from '../server/features/analytics/bins/bins.repository.ts'
import { computeKpis } from '../server/features/analytics/kpis/kpis.service.ts'
import { computeRisk } from '../server/features/analytics/risk/risk.service.ts'
import { findClusterTile } from '../server/features/analytics/tiles/cluster-tiles.repository.ts'
import { createUser } from '../server/features/users/users.service.ts'
import { issueApiToken } from '../server/features/users/tokens.service.ts'
import { ANALYTICS_TARGETS } from './analytics-report.ts'
import { ANALYTICS_WINDOW_DAYS, HEX_CELL_METERS, TILE_ZOOM } from './analytics.bench.ts'
import { captureStatements } from './sql-capture.ts'
import { ms, summarise, timeInterleaved, type Timing } from './stats.ts'

const DAY_MS = 86_400_000
/** Time allowed to each row's timed turns: slow ones get fewer turns (at least {@link MIN_TURNS}). */
const TURN_BUDGET_MS = Number(process.env.BENCH_COUNTY_BUDGET_MS ?? 20_000)
const MIN_TURNS = 5

/** Whose figures: the whole county, or one town (issue 13: per town and county-wide). */
export type BenchScope = { kind: 'county' } | { kind: 'town'; code: string; name: string }

/**
 * How a scope calls the API (bearer token of its user) and runs the SQL
 * baseline: on `db` with the database scope of that user (`dbScope`, the
 * session settings row-level security reads), so the baseline sees the rows
 * the route sees. The county is a county leader; a town is a leader of that
 * town (`townId`), whom the routes hold to their own town.
 */
export interface ScopeAccess {
  token: string
  user: UserRecord
  db: Db
  dbScope: DbScope
  /** The town of a town scope (the routes' own-town filter), undefined for the county. */
  townId: number | undefined
}

/** One analytic over HTTP beside the same statements replayed on the driver. */
export interface CountyBenchRow {
  label: string
  api: Timing
  sql: Timing
  payloadBytes: number
  /** `tile`: absolute p95 target; `clusters`: p95 target against DBSCAN; `ratio`: ratio and p95. */
  target: 'ratio' | 'tile' | 'clusters'
}

/** The figures of one scope. */
export interface ScopeBench {
  scope: BenchScope
  cases: number
  tile: { z: number; x: number; y: number; hazards: number }
  rows: CountyBenchRow[]
}

/** A bench user with an API token: a county leader (no town) or a leader of one town. */
async function benchUser(engine: DbEngine, role: 'county_leader' | 'leader', townId: number | null, label: string): Promise<{ user: UserRecord; token: string }> {
  const created = await engine.db.transaction().execute((trx) =>
    createUser(trx, { username: `bench-${label}-${Date.now()}`, password: 'bench-password-123', role, townId }, null),
  )
  const { token } = await issueApiToken(engine.db, created.id, `bench ${label}`)
  return { user: (await findUserById(engine.db, created.id))!, token }
}

/** The county leader (县领导) of the county-wide rows. */
export function countyLeader(engine: DbEngine): Promise<{ user: UserRecord; token: string }> {
  return benchUser(engine, 'county_leader', null, 'county')
}

/** See {@link ScopeAccess}: the county leader county-wide, a new leader of the town for each town. */
export async function scopeAccess(engine: DbEngine, scope: BenchScope, county: { user: UserRecord; token: string }): Promise<ScopeAccess> {
  if (scope.kind === 'county') return { ...county, db: engine.db, dbScope: { kind: 'county' }, townId: undefined }
  const { rows } = await sql<{ id: number }>`SELECT area_id AS id FROM current_areas WHERE level = 'town' AND code = ${scope.code}`.execute(engine.db)
  if (rows.length === 0) throw new Error(`no town with code ${scope.code} in the county database`)
  const townId = Number(rows[0].id)
  const leader = await benchUser(engine, 'leader', townId, `town-${scope.code}`)
  return { ...leader, db: engine.db, dbScope: { kind: 'town', townId }, townId }
}

/** SQL condition "the case lies in the scope's town" (by its village's code), or true for the county. */
function inScope(scope: BenchScope) {
  if (scope.kind === 'county') return sql`true`
  return sql`c.village_id IN (SELECT area_id FROM current_areas WHERE level = 'village' AND code LIKE ${`${scope.code.slice(0, 9)}%`})`
}

/** The last `days` days of the data: [latest report − days, latest report + 1 ms). */
export async function countyWindow(engine: DbEngine, days = ANALYTICS_WINDOW_DAYS): Promise<TimeWindow> {
  const { rows } = await sql<{ at: Date }>`SELECT max(reported_at) AS at FROM cases`.execute(engine.db)
  const to = new Date(new Date(rows[0].at).getTime() + 1)
  return { from: new Date(to.getTime() - days * DAY_MS), to }
}

async function scopeCases(engine: DbEngine, scope: BenchScope): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases c WHERE ${inScope(scope)}`.execute(engine.db)
  return Number(rows[0].n)
}

/** The z-`zoom` tile holding the most hazards of the scope reported in the window. */
async function busiestTile(engine: DbEngine, scope: BenchScope, window: TimeWindow, zoom: number): Promise<ScopeBench['tile']> {
  const n = 2 ** zoom
  const { rows } = await sql<{ x: number; y: number; cases: number }>`
    SELECT floor((ST_X(c.geom) + 180) / 360 * ${n}::float8)::int AS x,
      floor((1 - ln(tan(radians(ST_Y(c.geom))) + 1 / cos(radians(ST_Y(c.geom)))) / pi()) / 2 * ${n}::float8)::int AS y,
      count(*)::int AS cases
    FROM cases c WHERE c.kind = 'hazard' AND c.reported_at >= ${window.from}::timestamptz AND c.reported_at < ${window.to}::timestamptz AND ${inScope(scope)}
    GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 1`.execute(engine.db)
  return { z: zoom, x: Number(rows[0].x), y: Number(rows[0].y), hazards: Number(rows[0].cases) }
}

/** The plain ST_ClusterDBSCAN of the window's disputes: the dispute clusters' baseline (as in the analytics bench). */
function referenceClusters(window: TimeWindow, distanceMeters: number, minPoints: number) {
  return sql<{ member_ids: string[] }>`
    SELECT array_agg(k.id ORDER BY k.id) AS member_ids FROM (
      SELECT c.id, ST_ClusterDBSCAN(ST_Transform(c.geom, 32647), eps := ${distanceMeters}::float8, minpoints := ${minPoints}::int) OVER (ORDER BY c.id) AS cid
      FROM cases c WHERE c.kind = 'dispute' AND c.reported_at >= ${window.from}::timestamptz AND c.reported_at < ${window.to}::timestamptz
    ) k WHERE k.cid IS NOT NULL GROUP BY k.cid HAVING count(*) >= ${minPoints}::int`
}

/** Replays the statements stage by stage with the scope's database scope (the baseline sees what the route sees). */
function replayStages(access: ScopeAccess, stages: CompiledQuery[][]) {
  return () =>
    runWithDbScope(access.dbScope, async () => {
      for (const stage of stages) await Promise.all(stage.map((statement) => access.db.executeQuery(statement)))
    })
}

async function measure(
  label: string,
  target: CountyBenchRow['target'],
  url: string | ((turn: number) => string),
  access: ScopeAccess,
  stages: CompiledQuery[][],
  runs: number,
): Promise<CountyBenchRow> {
  let payload = Buffer.alloc(0)
  let turn = 0
  const api = async () => {
    turn += 1
    const response = await fetch(typeof url === 'string' ? url : url(turn), { headers: { authorization: `Bearer ${access.token}` } })
    payload = Buffer.from(await response.arrayBuffer())
    if (response.status !== 200) throw new Error(`${label}: API answered ${response.status}: ${payload.toString().slice(0, 300)}`)
  }
  const probeStart = performance.now()
  await api()
  const turns = Math.max(MIN_TURNS, Math.min(runs, Math.floor(TURN_BUDGET_MS / (2 * (performance.now() - probeStart)))))
  const [apiSamples, sqlSamples] = await timeInterleaved([api, replayStages(access, stages)], turns, Math.min(3, turns))
  return { label, target, api: summarise(apiSamples), sql: summarise(sqlSamples), payloadBytes: payload.byteLength }
}

/**
 * The analytics and tile figures of one scope over HTTP (`base`) as that
 * scope's user, each beside the statements its route runs (recorded from the
 * same service and repository calls with the route's own-town filter, under
 * the scope's row-level security, replayed the same way): risk scores of
 * every base grid, the KPI table by village, 250 m hexbins of hazards,
 * dispute clusters (beside plain ST_ClusterDBSCAN, which row-level security
 * keeps to the town) and the z14 hazard tile holding the scope's most
 * hazards, cold. Over the last 90 days of the data.
 */
export async function benchScope(app: FastifyInstance, engine: DbEngine, base: string, access: ScopeAccess, scope: BenchScope, window: TimeWindow, runs: number): Promise<ScopeBench> {
  const range = `from=${window.from!.toISOString()}&to=${window.to.toISOString()}`
  const rows: CountyBenchRow[] = []
  const sequential = (statements: CompiledQuery[]) => statements.map((statement) => [statement])
  const captured = async (body: (spy: Db) => Promise<unknown>) => (await runWithDbScope(access.dbScope, () => captureStatements(access.db, body))).statements
  const townId = access.townId
  const risk = await captured((spy) => computeRisk(spy, 'base_grid', window, { townId }))
  rows.push(await measure('risk scores (base grids)', 'ratio', `${base}/api/analytics/risk/scores?level=grid&${range}`, access, [risk.slice(0, 1), risk.slice(1)], runs))
  // computeKpis: groups, total and labels at once, then the visits overdue one after another.
  const kpis = await captured((spy) => computeKpis(spy, 'village', window, 'zh'))
  rows.push(await measure('KPI table by village', 'ratio', `${base}/api/analytics/kpis?groupBy=village&${range}`, access, [kpis.slice(0, 3), ...sequential(kpis.slice(3))], runs))
  const bins = await captured((spy) => findBins(spy, 'hazards', 'hex', HEX_CELL_METERS, { window, statuses: undefined, category: undefined, townId }))
  rows.push(await measure(`hexbins ${HEX_CELL_METERS} m (hazards)`, 'ratio', `${base}/api/analytics/bins?layer=hazards&shape=hex&cellMeters=${HEX_CELL_METERS}&${range}`, access, sequential(bins), runs))
  rows.push(await measure('dispute clusters (vs DBSCAN SQL)', 'clusters', `${base}/api/analytics/dispute-clusters?${range}`, access, [[referenceClusters(window, 300, 3).compile(access.db)]], runs))
  const tile = await busiestTile(engine, scope, window, TILE_ZOOM)
  const tileStatements = await captured((spy) => findClusterTile(spy, mvtEncoderFor(engine.kind), 'hazards', tile, access.user, window))
  // Cold: each turn ends the window 1 ms later (a new cache key), so every request computes the tile.
  const coldRange = (turn: number) => `from=${window.from!.toISOString()}&to=${new Date(window.to.getTime() + turn).toISOString()}`
  rows.push(
    await measure(`tile hazards z${tile.z}/${tile.x}/${tile.y} cold`, 'tile', (turn) => `${base}/api/tiles/hazards/${tile.z}/${tile.x}/${tile.y}.mvt?${coldRange(turn)}`, access, sequential(tileStatements), runs),
  )
  return { scope, cases: await scopeCases(engine, scope), tile, rows }
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - [...text].length))

/** Prints one scope's rows with MET/MISSED against issue 11's targets; true when all are met. */
export function printScopeBench(result: ScopeBench, targets = ANALYTICS_TARGETS): boolean {
  const name = result.scope.kind === 'county' ? 'county-wide' : `${result.scope.name} ${result.scope.code}`
  console.log(
    `\n  [${name}] ${result.cases.toLocaleString('en')} cases; busiest z${result.tile.z} tile ${result.tile.x}/${result.tile.y}: ${result.tile.hazards} hazards in the window` +
      (result.scope.kind === 'town' ? '; as a leader of this town (the routes and row-level security hold it to the town)' : '; as the county leader'),
  )
  let ok = true
  for (const row of result.rows) {
    const ratio = row.api.p95 / row.sql.p95
    const met =
      row.target === 'tile' ? row.api.p95 <= targets.tileP95Ms : row.target === 'clusters' ? row.api.p95 < targets.p95Ms : ratio <= targets.ratio && row.api.p95 <= targets.p95Ms
    const verdict =
      row.target === 'tile' ? `p95 ≤ ${targets.tileP95Ms} ms` : row.target === 'clusters' ? `p95 < ${targets.p95Ms} ms` : `≤ ${targets.ratio}× and ≤ ${targets.p95Ms} ms`
    ok &&= met
    console.log(
      `    ${pad(row.label, 34)}API p50 ${pad(ms(row.api.p50), 10)} p95 ${pad(ms(row.api.p95), 10)} SQL p50 ${pad(ms(row.sql.p50), 10)} p95 ${pad(ms(row.sql.p95), 10)} ` +
        `ratio ${pad(ratio.toFixed(2), 6)} ${pad(`${(row.payloadBytes / 1024).toFixed(1)} KiB`, 11)} n ${pad(String(row.api.n), 4)} ${verdict} ${met ? 'MET' : 'MISSED'}`,
    )
  }
  return ok
}
