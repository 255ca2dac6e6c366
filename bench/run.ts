import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { buildApp } from '../server/app.ts'
import { SYSTEM_SCOPE } from '../server/core/db/db-scope.ts'
import { dbScopeOf } from '../server/core/auth/auth.plugin.ts'
import { openEngine, type DbEngine } from '../server/core/db/engine.ts'
import { prepareDatabase } from '../server/bootstrap.ts'
import { createUser } from '../server/features/users/users.service.ts'
import { issueApiToken } from '../server/features/users/tokens.service.ts'
import { benchItems } from './items.bench.ts'
import { benchCrs, printCrsBench } from './crs.bench.ts'
import { benchCases } from './cases.bench.ts'
import { printCasesBench } from './cases-report.ts'
import { benchStartup, printStartupBench } from './startup.bench.ts'
import { ms } from './stats.ts'
import { PGLITE_ANALYTICS_CASES, runAnalyticsBench, runServerAnalyticsBench } from './analytics-run.ts'
import { benchBoundaries, printBoundaryBench } from './boundaries.bench.ts'
import { benchBoundaryImport, printBoundaryImportBench } from './boundaries-import.bench.ts'
import { benchLoad, printLoadBench } from './load.bench.ts'
import { benchFirstMap, printFirstMapBench } from './first-map.bench.ts'
import { benchFilter, printFilterBench } from './filter.bench.ts'
import { runCountyBench } from './county-run.ts'

const GEODATA_DIR = new URL('../geodata/xizhou', import.meta.url).pathname
const RUNS = Number(process.env.BENCH_RUNS ?? 300)
const CASE_RUNS = Number(process.env.BENCH_CASE_RUNS ?? 100)
const BOUNDARY_RUNS = Number(process.env.BENCH_BOUNDARY_RUNS ?? 50)
const IMPORT_RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 5)
/** API p95 over the same SQL's p95 (issue 11: ≤ 1.3×). */
const TARGET_RATIO = 1.3
/** Mixed load: connections and seconds (BENCH_LOAD_SECONDS=5 for a quick run). */
const LOAD_CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 100)
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60)
/** `--only startup,items,filter,crs,cases,analytics,boundaries,boundary-import,load,client,first-map` runs just those benchmarks (default: all); `partitioning` and `county` (kept 10M/1M databases) run only when named. */
/** `--rebuild` refills the kept database of the partitioning benchmark. */
/** `--engine embedded` or `--engine server` runs the engine benchmarks on that engine only (default: both). */
const ARGS = parseArgs({ options: { only: { type: 'string' }, engine: { type: 'string' }, rebuild: { type: 'boolean' } } }).values
const ONLY = ARGS.only?.split(',').map((name) => name.trim())
const selected = (name: string) => !ONLY || ONLY.includes(name)
const onEngine = (name: 'embedded' | 'server') => !ARGS.engine || ARGS.engine === name

async function withServerDatabase<T>(url: string, body: (databaseUrl: string) => Promise<T>): Promise<T> {
  const name = `gridatlas_bench_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  try {
    const target = new URL(url)
    target.pathname = `/${name}`
    return await body(target.toString())
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.end()
  }
}

async function benchEngine(label: string, engine: DbEngine, options: { estimateAll: boolean }): Promise<boolean> {
  await prepareDatabase(engine, { geodataDir: GEODATA_DIR, loadSample: true, adminPassword: 'bench-password-123' })
  const user = await engine.db.transaction().execute((trx) =>
    createUser(trx, { username: `bench-${Date.now()}`, password: 'bench-password-123', role: 'leader' }, null),
  )
  const { token } = await issueApiToken(engine.db, user.id, 'bench')
  const app = await buildApp({ engine, logLevel: 'silent', login: { adminSecondFactor: 'off' } })
  try {
    let ok = true
    if (selected('items')) {
      const result = await benchItems(app, engine, token, RUNS, dbScopeOf(user))
      const ratio = result.api.p95 / result.sql.p95
      console.log(`\n[${label}] GET /api/collections/fine-grids/items?bbox=…&limit=1000  (${result.features} features, ${(result.payloadBytes / 1024).toFixed(0)} KiB, ${RUNS} requests)`)
      console.log(`  API over HTTP   p50 ${ms(result.api.p50)}   p95 ${ms(result.api.p95)}`)
      console.log(`  same SQL direct p50 ${ms(result.sql.p50)}   p95 ${ms(result.sql.p95)}`)
      console.log(`  API p95 / SQL p95 = ${ratio.toFixed(2)}  (target ≤ ${TARGET_RATIO})  ${ratio <= TARGET_RATIO ? 'MET' : 'MISSED'}`)
      ok = ratio <= TARGET_RATIO
    }
    if (selected('filter')) ok = printFilterBench(label, await benchFilter(app, engine, token, RUNS, dbScopeOf(user)), RUNS, TARGET_RATIO) && ok
    if (selected('crs')) ok = printCrsBench(label, await benchCrs(app, token, RUNS), RUNS) && ok
    if (selected('cases')) {
      const cases = await benchCases(app, engine, { runs: CASE_RUNS, estimateAll: options.estimateAll })
      ok = printCasesBench(label, cases, CASE_RUNS, TARGET_RATIO) && ok
    }
    if (selected('boundaries')) {
      const boundaries = await benchBoundaries(app, engine, { runs: BOUNDARY_RUNS })
      ok = printBoundaryBench(label, boundaries, BOUNDARY_RUNS) && ok
    }
    if (selected('boundary-import')) printBoundaryImportBench(label, await benchBoundaryImport(app, engine, { runs: IMPORT_RUNS }))
    if (selected('load')) ok = printLoadBench(label, await benchLoad(app, engine, { connections: LOAD_CONNECTIONS, seconds: LOAD_SECONDS })) && ok
    return ok
  } finally {
    await app.close()
  }
}

console.log('GridAtlas benchmarks (figures vary with machine load; compare within one run)')
if (selected('startup')) {
  printStartupBench(await benchStartup())
}

const embedded = onEngine('embedded') ? await openEngine({ defaultScope: SYSTEM_SCOPE }) : undefined
if (embedded) {
  try {
    if (selected('items') || selected('filter') || selected('crs') || selected('cases') || selected('boundaries') || selected('boundary-import') || selected('load')) await benchEngine('embedded PGlite', embedded, { estimateAll: true })
    if (selected('analytics')) await runAnalyticsBench('embedded PGlite', embedded, PGLITE_ANALYTICS_CASES)
  } finally {
    await embedded.close()
  }
}

const serverUrl = onEngine('server') ? (process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL) : undefined
if (serverUrl && (selected('items') || selected('filter') || selected('crs') || selected('cases') || selected('boundaries') || selected('boundary-import') || selected('load'))) {
  await withServerDatabase(serverUrl, async (databaseUrl) => {
    const engine = await openEngine({ databaseUrl, defaultScope: SYSTEM_SCOPE })
    try {
      await benchEngine('PostgreSQL + PostGIS', engine, { estimateAll: false })
    } finally {
      await engine.close()
    }
  })
}
if (serverUrl && selected('analytics')) await runServerAnalyticsBench(serverUrl)
// PostgreSQL only (declarative partitioning of 10M cases; PGlite is one process's embedded database), and
// only when named (`--only partitioning`): its first fill takes most of an hour on 2 cores.
if (ONLY?.includes('partitioning') && onEngine('embedded') && !serverUrl) console.log('\n(partitioning: skipped on the embedded database (PGlite); it runs on PostgreSQL: set BENCH_DATABASE_URL=postgres://…)')
if (serverUrl && ONLY?.includes('partitioning')) await (await import('./partitioning.bench.ts')).runPartitioningBench(serverUrl, { rebuild: ARGS.rebuild ?? false })
// The county (8 towns, 1M cases) only when named: `--only county`.
if (serverUrl && ONLY?.includes('county')) await runCountyBench(serverUrl)
// Imported only when chosen: it needs Chromium and the test helpers.
if (selected('client')) await (await import('./client-decode.bench.ts')).runClientDecodeBench(serverUrl)
if (selected('first-map') && onEngine('embedded')) printFirstMapBench(await benchFirstMap())
if (!serverUrl && onEngine('server')) {
  console.log('\n(set BENCH_DATABASE_URL=postgres://… to benchmark a PostgreSQL + PostGIS server too)')
}
