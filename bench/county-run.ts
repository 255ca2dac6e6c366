import { buildApp } from '../server/app.ts'
import { prepareDatabase } from '../server/bootstrap.ts'
import { readConfig } from '../server/config.ts'
import { getMeta } from '../server/core/db/app-meta.repository.ts'
import { openEngine, type DbEngine } from '../server/core/db/engine.ts'
import { SYSTEM_SCOPE } from '../server/core/db/db-scope.ts'
import { seedSampleActivity } from '../server/seed/sample-activity.ts'
import { countAllCases, keptDatabase, vacuumAnalyse } from './bench-database.ts'
import { benchScope, countyLeader, countyWindow, printScopeBench, scopeAccess, type BenchScope } from './county.bench.ts'
import { listenOnce } from './listen-once.ts'

/** Cases of the county benchmark (`BENCH_COUNTY_CASES`; issue 13: 1M over 8+ towns). */
const COUNTY_CASES = Number(process.env.BENCH_COUNTY_CASES ?? 1_000_000)
/** Turns of API and SQL per row, at most (`BENCH_COUNTY_RUNS`). */
const RUNS = Number(process.env.BENCH_COUNTY_RUNS ?? 30)

interface CountyMeta {
  county?: boolean
  towns?: Array<{ code: string; slug: string; name: string }>
}

/** Loads the sample county into an empty database and tops it up to `volume` cases, spread over the towns by the activity draws. */
async function ensureCounty(engine: DbEngine, volume: number): Promise<NonNullable<CountyMeta['towns']>> {
  const config = readConfig({ ...process.env, SAMPLE_COUNTY: 'on' })
  await prepareDatabase(engine, { ...config, loadSample: true, adminPassword: 'bench-password-123' })
  const meta = await getMeta<CountyMeta>(engine.db, 'sample')
  if (!meta?.county || !meta.towns) throw new Error('the benchmark database holds a sample township, not the sample county: name another one (BENCH_COUNTY_DATABASE)')
  const existing = await countAllCases(engine)
  if (existing < volume) {
    const started = performance.now()
    await engine.db.transaction().execute((trx) =>
      seedSampleActivity(trx, {
        asOf: new Date(),
        cases: volume - existing,
        keyPersons: 0,
        leads: 0,
        geodataDir: config.countyDir,
        towns: meta.towns,
        onProgress: (written, total) => {
          if (written % 100_000 === 0) console.log(`  [county] generating sample cases: ${written.toLocaleString('en')} / ${total.toLocaleString('en')}`)
        },
      }),
    )
    await vacuumAnalyse(engine, ['cases', 'case_parties', 'case_events'])
    console.log(`  [county] ${(volume - existing).toLocaleString('en')} cases generated in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  }
  return meta.towns
}

/**
 * The county benchmark on the PostgreSQL server of `url`, in a database kept
 * between runs (`gridatlas_bench_county_1m`, or BENCH_COUNTY_DATABASE): the
 * analytics and tile figures county-wide and per town, each beside its SQL,
 * with MET/MISSED. True when every target is met.
 */
export async function runCountyBench(url: string): Promise<boolean> {
  const name = process.env.BENCH_COUNTY_DATABASE ?? 'gridatlas_bench_county_1m'
  const kept = await keptDatabase(url, name)
  console.log(`\n[PostgreSQL + PostGIS] county benchmark in database ${name} (${kept.created ? 'created now' : 'kept from an earlier run'}; DROP DATABASE ${name} to reclaim it)`)
  const engine = await openEngine({ databaseUrl: kept.url, defaultScope: SYSTEM_SCOPE })
  try {
    const towns = await ensureCounty(engine, COUNTY_CASES)
    const app = await buildApp({ engine, logLevel: 'silent', login: { adminSecondFactor: 'off' } })
    try {
      const base = await listenOnce(app)
      const window = await countyWindow(engine)
      const leader = await countyLeader(engine)
      console.log(`  ${towns.length} towns; window ${window.from!.toISOString()} – ${window.to.toISOString()}; up to ${RUNS} turns of API and SQL per row (fewer for slow ones); figures vary with machine load, compare within one run`)
      const scopes: BenchScope[] = [{ kind: 'county' }, ...towns.map((town) => ({ kind: 'town' as const, code: town.code, name: town.name }))]
      let ok = true
      for (const scope of scopes) {
        ok = printScopeBench(await benchScope(app, engine, base, await scopeAccess(engine, scope, leader), scope, window, RUNS)) && ok
      }
      console.log('  API = HTTP on a local port (bearer token); SQL = the statements the route runs, recorded from its service/repository calls and replayed on the driver; ratio = API p95 / SQL p95; targets of issues 4 and 11.')
      return ok
    } finally {
      await app.close()
    }
  } finally {
    await engine.close()
  }
}
