import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '../server/app.ts'
import { prepareDatabase } from '../server/bootstrap.ts'
import { SYSTEM_SCOPE } from '../server/core/db/db-scope.ts'
import { openEngine, type DbEngine } from '../server/core/db/engine.ts'
import { benchAnalytics } from './analytics.bench.ts'
import { ANALYTICS_TARGETS, printAnalyticsBench } from './analytics-report.ts'
import { benchDatabaseName, ensureCases, keptDatabase } from './bench-database.ts'

const GEODATA_DIR = new URL('../geodata/xizhou', import.meta.url).pathname
/**
 * Turns of API and SQL per analytic at most (`BENCH_ANALYTICS_RUNS`; slow ones get fewer, see
 * TURN_BUDGET_MS): 300, as the items benchmark. A p95 of 100 turns is the 5th-slowest, and moved
 * the ratio more than its margin: the risk GeoJSON gave 0.81× and 1.58× in two runs of the same code.
 */
const RUNS = Number(process.env.BENCH_ANALYTICS_RUNS ?? 300)
/** Cases for the analytics on PostgreSQL (`BENCH_PG_ANALYTICS_CASES`; issue 4: 1M) and on PGlite (`BENCH_PGLITE_ANALYTICS_CASES`; 100k). */
export const PG_ANALYTICS_CASES = Number(process.env.BENCH_PG_ANALYTICS_CASES ?? 1_000_000)
export const PGLITE_ANALYTICS_CASES = Number(process.env.BENCH_PGLITE_ANALYTICS_CASES ?? 100_000)

/**
 * Prepares `engine` (schema, sample township), tops it up to `volume` cases
 * and runs the analytics benchmark on it; true when the targets (if given) are met.
 */
export async function runAnalyticsBench(label: string, engine: DbEngine, volume: number, targets?: typeof ANALYTICS_TARGETS): Promise<boolean> {
  await prepareDatabase(engine, { geodataDir: GEODATA_DIR, loadSample: true, adminPassword: 'bench-password-123' })
  const progress = (written: number, total: number) => {
    if (written % 100_000 === 0) console.log(`  [${label}] generating sample cases: ${written.toLocaleString('en')} / ${total.toLocaleString('en')}`)
  }
  const loaded = await ensureCases(engine, volume, progress)
  if (loaded.added > 0) console.log(`\n[${label}] ${loaded.added.toLocaleString('en')} sample cases generated and analysed in ${(loaded.ms / 1000).toFixed(1)} s`)
  // A folder served by the client plugin, for the static file beside the cached tile.
  const staticDir = mkdtempSync(join(tmpdir(), 'gridatlas-bench-static-'))
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html>')
  const app = await buildApp({ engine, logLevel: 'silent', login: { adminSecondFactor: 'off' }, clientDir: staticDir, geodataDir: GEODATA_DIR })
  try {
    return printAnalyticsBench(label, await benchAnalytics(app, engine, { runs: RUNS, staticDir }), RUNS, targets)
  } finally {
    await app.close()
    rmSync(staticDir, { recursive: true, force: true })
  }
}

/**
 * The analytics benchmark on the PostgreSQL server of `url`, in a database
 * kept between runs (`gridatlas_bench_1m` for a million cases; generated on
 * the first run, reused after).
 */
export async function runServerAnalyticsBench(url: string): Promise<boolean> {
  // BENCH_ANALYTICS_DATABASE (or BENCH_PG_ANALYTICS_DB) names another kept database (e.g. one per branch, when branches add different migrations).
  const name = process.env.BENCH_ANALYTICS_DATABASE ?? process.env.BENCH_PG_ANALYTICS_DB ?? benchDatabaseName(PG_ANALYTICS_CASES)
  const kept = await keptDatabase(url, name)
  console.log(`\n[PostgreSQL + PostGIS] analytics in database ${name} (${kept.created ? 'created now' : 'kept from an earlier run'}; DROP DATABASE ${name} to reclaim it)`)
  const engine = await openEngine({ databaseUrl: kept.url, defaultScope: SYSTEM_SCOPE })
  try {
    return await runAnalyticsBench('PostgreSQL + PostGIS', engine, PG_ANALYTICS_CASES, ANALYTICS_TARGETS)
  } finally {
    await engine.close()
  }
}
