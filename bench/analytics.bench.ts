import { availableParallelism } from 'node:os'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql, type CompiledQuery } from 'kysely'
import type { FastifyInstance } from 'fastify'
import type { DbEngine } from '../server/core/db/engine.ts'
import type { TimeWindow } from '../server/core/time/time-window.ts'
import { findUserById, type UserRecord } from '../server/core/auth/users.repository.ts'
import { findBins } from '../server/features/analytics/bins/bins.repository.ts'
import { runWithDbScope, SYSTEM_SCOPE, type DbScope } from '../server/core/db/db-scope.ts'
import { dbScopeOf } from '../server/core/auth/auth.plugin.ts'
import { requestedTown } from '../server/features/analytics/town-filter.ts'
import { findRiskSettings } from '../server/features/analytics/settings.repository.ts'
import { countProtectionFor } from '../server/features/key-persons/index.ts'
import { findDisputeClusters } from '../server/features/analytics/dispute-clusters/clustering.ts'
import { findClusterTile } from '../server/features/analytics/tiles/cluster-tiles.repository.ts'
import { mvtEncoderFor } from '../server/core/postgis/mvt.ts'
import type { TileAddress } from '../server/features/analytics/tiles/tiles.repository.ts'
import { computeRisk } from '../server/features/analytics/risk/risk.service.ts'
import { createUser } from '../server/features/users/users.service.ts'
import { issueApiToken } from '../server/features/users/tokens.service.ts'
import { keptAliveGet, type GetClient } from './http-get.ts'
import { listenOnce } from './listen-once.ts'
import { captureStatements } from './sql-capture.ts'
import { summarise, timeInterleaved, type Timing } from './stats.ts'
import { MAX_IN_FLIGHT as BACKGROUND_SOCKETS, timeQuietAndLoaded, type UnderLoadTiming } from './under-load.ts'

const DAY_MS = 86_400_000

/** Days of the analytics window (issue 4: "90 days"). */
export const ANALYTICS_WINDOW_DAYS = 90
/** Hexagon edge of the heatmap bins (issue 4: "250 m"). */
export const HEX_CELL_METERS = 250
/** Zoom of the vector tile (issue 4: "a z14 vector tile"). */
export const TILE_ZOOM = 14

/**
 * Share of the machine's cores the background of the bins-under-load figure
 * keeps busy (`BENCH_BINS_LOAD_SHARE`, default half): its request rate is
 * this share × cores ÷ the mean time of one background request, measured
 * quietly in the same run. `BENCH_BINS_LOAD_RPS` fixes the rate instead.
 */
const BINS_LOAD_SHARE = Number(process.env.BENCH_BINS_LOAD_SHARE ?? 0.5)
const BINS_LOAD_RPS = process.env.BENCH_BINS_LOAD_RPS ? Number(process.env.BENCH_BINS_LOAD_RPS) : undefined

/** Time allowed to each analytic's timed turns (API and SQL): slow ones get fewer turns, but at least {@link MIN_TURNS}. */
const TURN_BUDGET_MS = Number(process.env.BENCH_ANALYTICS_BUDGET_MS ?? 60_000)
/** Fewest turns of an analytic (unless `runs` asks for fewer): the dispute clusters' SQL side takes ~1.5 s a turn. */
const MIN_TURNS = 100

/** One analytic over HTTP beside the statements it runs, replayed on the driver. */
export interface AnalyticsBenchRow {
  label: string
  api: Timing
  sql: Timing
  /** Statements the SQL baseline replays (stages run one after another, statements of a stage at once). */
  statements: number
  /** Bytes of the answer's body. */
  payloadBytes: number
  /** Features / cells / clusters in the answer (0 for a tile). */
  items: number
}

/** The route's dispute clusters beside ST_ClusterDBSCAN on one window. */
export interface ClusterEquality {
  window: TimeWindow
  distanceMeters: number
  minPoints: number
  clusters: number
  members: number
  equal: boolean
}

/** A cached tile beside a static file of the same size served by the same server. */
export interface CachedTileRow {
  label: string
  cached: Timing
  staticFile: Timing
  bytes: number
  hits: number
}

/** Figures of {@link benchAnalytics}. */
export interface AnalyticsBench {
  cases: number
  window: TimeWindow
  tile: TileAddress & { layer: 'hazards'; cases: number }
  rows: AnalyticsBenchRow[]
  /** The hexbins request alone and under a steady background of map reads, in the same run (issue 11, item 5). */
  binsUnderLoad: UnderLoadTiming & { label: string; background: UnderLoadTiming['background'] & { requests: string[] } }
  /** The first dispute-clusters request of the server process, which reads every dispute into its snapshot. */
  clusterFirstRequestMs: number
  /** The first dispute-clusters request after a dispute was registered, which re-reads only that one (migration 0027). */
  clusterAfterWriteMs: number
  clusterEquality: ClusterEquality[]
  cachedTiles: CachedTileRow[]
}

/**
 * ST_ClusterDBSCAN over the disputes of a window in id order, each cluster
 * as its members (ascending), clusters of fewer than minPoints left out as
 * the route does: the baseline and the reference of the route's clusters.
 */
function referenceClusters(window: TimeWindow, distanceMeters: number, minPoints: number) {
  return sql<{ member_ids: string[] }>`
    SELECT array_agg(k.id ORDER BY k.id) AS member_ids FROM (
      SELECT c.id, ST_ClusterDBSCAN(ST_Transform(c.geom, 32647), eps := ${distanceMeters}::float8, minpoints := ${minPoints}::int) OVER (ORDER BY c.id) AS cid
      FROM cases c WHERE c.kind = 'dispute' AND c.reported_at >= ${window.from}::timestamptz AND c.reported_at < ${window.to}::timestamptz
    ) k WHERE k.cid IS NOT NULL GROUP BY k.cid HAVING count(*) >= ${minPoints}::int`
}

const clusterKey = (clusters: number[][]) => clusters.map((members) => members.join(',')).sort().join('|')

/**
 * The route's clusters (findDisputeClusters) and ST_ClusterDBSCAN's on a
 * window, compared member for member; both ways the route can take: from the
 * in-memory dispute snapshot (in a scope, as a request runs) and from the
 * database (outside any scope).
 */
async function compareClusters(engine: DbEngine, window: TimeWindow, distanceMeters: number, minPoints: number): Promise<ClusterEquality> {
  const params = { window, distanceMeters, minPoints }
  const fromMemory = (await runWithDbScope(SYSTEM_SCOPE, () => findDisputeClusters(engine.db, params))).map((cluster) => cluster.memberIds)
  const fromDatabase = (await findDisputeClusters(engine.db, params)).map((cluster) => cluster.memberIds)
  const { rows } = await referenceClusters(window, distanceMeters, minPoints).execute(engine.db)
  const theirs = rows.map((row) => row.member_ids.map(Number))
  const equal = clusterKey(fromMemory) === clusterKey(theirs) && clusterKey(fromDatabase) === clusterKey(theirs)
  return { window, distanceMeters, minPoints, clusters: theirs.length, members: theirs.reduce((n, members) => n + members.length, 0), equal }
}

/**
 * A tile served from the cache (after one miss) beside a static file of the
 * same bytes served by the same server (`staticDir`, served by the client
 * plugin), timed in turns.
 */
async function measureCachedTile(label: string, url: string, token: string, base: string, staticDir: string, runs: number): Promise<CachedTileRow> {
  const headers = { authorization: `Bearer ${token}` }
  const first = await fetchFresh(url, { headers })
  const body = Buffer.from(await first.arrayBuffer())
  const name = `bench-tile-${Date.now()}.mvt`
  writeFileSync(join(staticDir, name), body)
  let hits = 0
  const cached = async () => {
    const response = await fetchFresh(url, { headers })
    await response.arrayBuffer()
    if (response.headers.get('x-tile-cache') === 'hit') hits += 1
  }
  const staticFile = async () => {
    const response = await fetchFresh(`${base}/${name}`, {})
    if ((await response.arrayBuffer()).byteLength !== body.byteLength) throw new Error('static file of another size')
  }
  const [cachedSamples, staticSamples] = await timeInterleaved([cached, staticFile], runs, 20)
  return { label, cached: summarise(cachedSamples), staticFile: summarise(staticSamples), bytes: body.byteLength, hits: hits - 20 }
}

async function leaderToken(engine: DbEngine): Promise<{ user: UserRecord; token: string }> {
  const created = await engine.db.transaction().execute((trx) =>
    createUser(trx, { username: `bench-leader-${Date.now()}`, password: 'bench-password-123', role: 'leader' }, null),
  )
  const { token } = await issueApiToken(engine.db, created.id, 'bench')
  return { user: (await findUserById(engine.db, created.id))!, token }
}

/** The last `days` days of the data: [latest report − days, latest report + 1 ms). */
async function dataWindow(engine: DbEngine, days: number): Promise<TimeWindow> {
  const { rows } = await sql<{ at: Date }>`SELECT max(reported_at) AS at FROM cases`.execute(engine.db)
  const to = new Date(new Date(rows[0].at).getTime() + 1)
  return { from: new Date(to.getTime() - days * DAY_MS), to }
}

/** The z-`zoom` tile holding the most hazards reported in the window. */
async function busiestTile(engine: DbEngine, window: TimeWindow, zoom: number): Promise<AnalyticsBench['tile']> {
  const n = 2 ** zoom
  const { rows } = await sql<{ x: number; y: number; cases: number }>`
    SELECT floor((ST_X(geom) + 180) / 360 * ${n}::float8)::int AS x,
      floor((1 - ln(tan(radians(ST_Y(geom))) + 1 / cos(radians(ST_Y(geom)))) / pi()) / 2 * ${n}::float8)::int AS y,
      count(*)::int AS cases
    FROM cases WHERE kind = 'hazard' AND reported_at >= ${window.from}::timestamptz AND reported_at < ${window.to}::timestamptz
    GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 1`.execute(engine.db)
  return { layer: 'hazards', z: zoom, x: Number(rows[0].x), y: Number(rows[0].y), cases: Number(rows[0].cases) }
}

/** Replays stages one after another, the statements of a stage concurrently (as the route's `Promise.all`). */
function replayStages(engine: DbEngine, stages: CompiledQuery[][], scope: DbScope) {
  return () =>
    runWithDbScope(scope, async () => {
      for (const stage of stages) await Promise.all(stage.map((statement) => engine.db.executeQuery(statement)))
    })
}

/**
 * `fetch`, tried once more when the server had closed the kept-alive socket
 * meanwhile: it closes sockets idle for its connectionTimeout (60 s) while
 * advertising a longer keep-alive, and a slow SQL baseline turn can leave the
 * socket idle that long.
 */
async function fetchFresh(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init)
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET') throw error
    return fetch(url, init)
  }
}

function countItems(body: Buffer, contentType: string | null): number {
  if (!contentType?.includes('json')) return 0
  return (JSON.parse(body.toString()) as { features?: unknown[] }).features?.length ?? 0
}

async function measure(
  label: string,
  url: string | ((turn: number) => string),
  token: string,
  stages: CompiledQuery[][],
  engine: DbEngine,
  scope: DbScope,
  runs: number,
  warmup: number,
): Promise<AnalyticsBenchRow> {
  let payload: Buffer = Buffer.alloc(0)
  let contentType: string | null = null
  let turn = 0
  // node:http on a kept-alive connection on its own thread, as the items bench (see keptAliveGet): the SQL side runs on the bare driver.
  const client = keptAliveGet()
  const api = async () => {
    turn += 1
    const response = await client.get(typeof url === 'string' ? url : url(turn), { authorization: `Bearer ${token}` })
    payload = response.body
    contentType = response.contentType
    if (response.status !== 200) throw new Error(`${label}: API answered ${response.status}: ${payload.toString().slice(0, 300)}`)
    return response
  }
  const direct = replayStages(engine, stages, scope)
  // One turn of each, to share the budget by what a turn of both costs (the SQL side can be the slow one).
  const probeStart = performance.now()
  await api()
  await direct()
  const turns = Math.max(Math.min(MIN_TURNS, runs), Math.min(runs, Math.floor(TURN_BUDGET_MS / (performance.now() - probeStart))))
  const [apiSamples, sqlSamples] = await timeInterleaved([api, direct], turns, Math.min(warmup, turns)).finally(() => client.close())
  return {
    label,
    api: summarise(apiSamples),
    sql: summarise(sqlSamples),
    statements: stages.flat().length,
    payloadBytes: payload.byteLength,
    items: countItems(payload, contentType),
  }
}

/**
 * Issue 4's analytics over HTTP (`app.listen`, bearer token of a leader),
 * each beside the very statements its route runs — recorded from the same
 * repository/service calls and replayed on the driver — timed in turns:
 * risk of every base grid, 250 m hexbins of hazards, dispute clusters (the
 * route's defaults: 300 m, 3 points) and the z14 hazard tile holding the most
 * cases, all over the last 90 days of the data.
 */
export async function benchAnalytics(app: FastifyInstance, engine: DbEngine, options: { runs: number; warmup?: number; staticDir?: string }): Promise<AnalyticsBench> {
  const warmup = options.warmup ?? 3
  const { user, token } = await leaderToken(engine)
  // The SQL side runs in the database scope of the request (the same row-level security) and with
  // the town the route filters by (a town user's own): the very statements, where they ran.
  const scope = dbScopeOf(user)
  const townId = await requestedTown(engine.db, user, undefined)
  const base = await listenOnce(app)
  const window = await dataWindow(engine, ANALYTICS_WINDOW_DAYS)
  const tile = await busiestTile(engine, window, TILE_ZOOM)
  const range = `from=${window.from!.toISOString()}&to=${window.to.toISOString()}`
  const rows: AnalyticsBenchRow[] = []
  const inScope = <T>(body: (spy: DbEngine['db']) => Promise<T>) => runWithDbScope(scope, () => captureStatements(engine.db, body))
  const sequential = (statements: CompiledQuery[]) => statements.map((statement) => [statement])
  const measureRow = (label: string, url: string | ((turn: number) => string), stages: CompiledQuery[][]) => measure(label, url, token, stages, engine, scope, options.runs, warmup)

  // The risk routes: protection, town and settings together (riskInputs), then areas, sums and key persons together.
  const riskStages = async (withGeometry: boolean) => {
    const first = await inScope((spy) => Promise.all([countProtectionFor(spy, user), findRiskSettings(spy)]))
    const [protection, settings] = first.result
    const second = await inScope((spy) => computeRisk(spy, 'base_grid', window, { withGeometry, protection, settings, townId }))
    return [first.statements, second.statements]
  }
  rows.push(await measureRow('GET /api/analytics/risk (GeoJSON, all base grids)', `${base}/api/analytics/risk?level=grid&${range}`, await riskStages(true)))
  // What the map requests: the scores by area id, joined to the outlines it already holds.
  rows.push(await measureRow('GET /api/analytics/risk/scores (map)', `${base}/api/analytics/risk/scores?level=grid&${range}`, await riskStages(false)))
  const filter = { window, statuses: undefined, category: undefined, townId }
  const bins = await inScope((spy) => findBins(spy, 'hazards', 'hex', HEX_CELL_METERS, filter))
  rows.push(await measureRow(`GET /api/analytics/bins (hex ${HEX_CELL_METERS} m, hazards)`, `${base}/api/analytics/bins?layer=hazards&shape=hex&cellMeters=${HEX_CELL_METERS}&${range}`, sequential(bins.statements)))
  // Dispute clusters: the baseline is the plain ST_ClusterDBSCAN query (what the route ran before, members only).
  // The first request of the process reads every dispute into its snapshot (dispute-snapshot.ts): timed on its own,
  // so that the turns (and their number, set by the first turn's time) time the requests at one revision.
  const clustersUrl = `${base}/api/analytics/dispute-clusters?${range}`
  const firstStart = performance.now()
  await (await fetchFresh(clustersUrl, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer()
  const clusterFirstRequestMs = performance.now() - firstStart
  // Then a dispute registered (by statement: a copy of the newest one, with its parties) and the next
  // request, which re-reads only that dispute into the snapshot (migration 0027).
  await runWithDbScope(SYSTEM_SCOPE, () => sql`
    WITH copied AS (
      INSERT INTO cases (kind, status, category, description, tier, source, reporter_name, geom, reported_at, registered_by,
        village_id, village_version, base_grid_id, base_grid_version, fine_grid_id, fine_grid_version, deadline_at)
      SELECT c.kind, c.status, c.category, c.description, c.tier, c.source, c.reporter_name, c.geom, c.reported_at, c.registered_by,
        c.village_id, c.village_version, c.base_grid_id, c.base_grid_version, c.fine_grid_id, c.fine_grid_version, c.deadline_at
      FROM cases c WHERE c.kind = 'dispute' ORDER BY c.id DESC LIMIT 1
      RETURNING id
    )
    INSERT INTO case_parties (case_id, seq, name, home_village_id)
    SELECT copied.id, 1, '当事人', c.village_id FROM copied, cases c WHERE c.id = copied.id`.execute(engine.db))
  const afterWriteStart = performance.now()
  await (await fetchFresh(clustersUrl, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer()
  const clusterAfterWriteMs = performance.now() - afterWriteStart
  rows.push(
    await measureRow('GET /api/analytics/dispute-clusters (vs DBSCAN SQL)', clustersUrl, [[referenceClusters(window, 300, 3).compile(engine.db)]]),
  )
  // Tiles cold: each turn ends the window 1 ms later than the last, a new cache key, so every
  // request is computed (a cache miss); the SQL replays the statements of the fixed window.
  // (The two rows are the same clustered tile, so the second row's window ends start 10 s later: no key of the first row repeats.)
  const coldRange = (turn: number) => `from=${window.from!.toISOString()}&to=${new Date(window.to.getTime() + turn).toISOString()}`
  const tilePath = `/api/tiles/hazards/${tile.z}/${tile.x}/${tile.y}.mvt`
  const tileLabel = `GET /api/tiles/hazards/z${tile.z} cold (${engine.kind === 'postgres' ? 'ST_AsMVT' : 'server-encoded'})`
  const tileStatements = await inScope((spy) => findClusterTile(spy, mvtEncoderFor(engine.kind), 'hazards', tile, user, window))
  rows.push(await measureRow(tileLabel, (turn) => `${base}${tilePath}?${coldRange(turn)}`, sequential(tileStatements.statements)))
  const clusteredStatements = await inScope((spy) => findClusterTile(spy, mvtEncoderFor(engine.kind), 'hazards', tile, user, window))
  rows.push(
    await measureRow(`GET /api/tiles/hazards/z${tile.z}?cluster=16 cold (map)`, (turn) => `${base}${tilePath}?cluster=16&${coldRange(10_000 + turn)}`,
      sequential(clusteredStatements.statements)),
  )
  const cachedTiles = options.staticDir
    ? [await measureCachedTile(`GET /api/tiles/hazards/z${tile.z}?cluster=16 cached`, `${base}${tilePath}?cluster=16&${range}`, token, base, options.staticDir, Math.max(options.runs, 100))]
    : []
  // Exactness of the dispute clusters on a sample of windows (the route's defaults, and two other settings).
  const clusterEquality: ClusterEquality[] = []
  for (const [days, endDaysAgo, distanceMeters, minPoints] of [[90, 0, 300, 3], [30, 0, 100, 5], [30, 45, 300, 3], [7, 10, 50, 3], [60, 120, 150, 4]] as const) {
    const to = new Date(window.to.getTime() - endDaysAgo * DAY_MS)
    clusterEquality.push(await compareClusters(engine, { from: new Date(to.getTime() - days * DAY_MS), to }, distanceMeters, minPoints))
  }
  // PGlite answers one statement at a time: one "core" of database work, whatever the machine has.
  const cores = engine.kind === 'postgres' ? availableParallelism() : 1
  const binsUnderLoad = await benchBinsUnderLoad(base, token, range, [`${tilePath}?${range}`, `${tilePath}?cluster=16&${range}`], options.runs, cores)
  const total = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM cases`.execute(engine.db)).rows[0].n)
  return { cases: total, window, tile, rows, clusterFirstRequestMs, clusterAfterWriteMs, clusterEquality, cachedTiles, binsUnderLoad }
}

/**
 * The 250 m hexbins of hazards alone and while map reads (the busiest tiles,
 * plain and clustered, the risk scores and a page of hazards) arrive at a
 * steady rate that keeps {@link BINS_LOAD_SHARE} of the cores busy, in
 * alternating blocks.
 */
async function benchBinsUnderLoad(base: string, token: string, range: string, tilePaths: string[], runs: number, cores: number): Promise<AnalyticsBench['binsUnderLoad']> {
  // Two clients on threads of their own (see keptAliveGet): the measured request on one connection,
  // the background on as many as it may have in flight.
  const measured = keptAliveGet()
  const others = keptAliveGet({ maxSockets: BACKGROUND_SOCKETS })
  const get = (client: GetClient, path: string) => async () => {
    const response = await client.get(`${base}${path}`, { authorization: `Bearer ${token}` })
    if (response.status !== 200) throw new Error(`${path}: API answered ${response.status}: ${response.body.toString().slice(0, 300)}`)
    return response
  }
  const binsPath = `/api/analytics/bins?layer=hazards&shape=hex&cellMeters=${HEX_CELL_METERS}&${range}`
  const requests = [...tilePaths, `/api/analytics/risk/scores?level=grid&${range}`, '/api/collections/hazards/items?limit=100']
  const background = requests.map((path) => get(others, path))
  const timing = await (async () => {
    const ratePerSecond = BINS_LOAD_RPS ?? (BINS_LOAD_SHARE * cores * 1000) / (await meanMs(background, 3))
    return timeQuietAndLoaded(get(measured, binsPath), background, { turns: Math.max(20, runs), blocks: 5, ratePerSecond, warmup: 3 })
  })().finally(() => Promise.all([measured.close(), others.close()]))
  const shown = requests.map((path) => path.replace(/[?&](from|to)=[^&]*/g, '').replace(/\?$/, ''))
  return { ...timing, label: `GET /api/analytics/bins (hex ${HEX_CELL_METERS} m, hazards)`, background: { ...timing.background, requests: shown } }
}

/** Mean time of one of `requests` in ms, each run `rounds` times one after another (after one untimed round). */
async function meanMs(requests: ReadonlyArray<() => Promise<unknown>>, rounds: number): Promise<number> {
  for (const request of requests) await request()
  const start = performance.now()
  for (let round = 0; round < rounds; round += 1) for (const request of requests) await request()
  return (performance.now() - start) / (rounds * requests.length)
}
