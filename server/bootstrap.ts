import type { AppConfig } from './config.ts'
import { openEngine, type DbEngine } from './core/db/engine.ts'
import { runWithDbScope, SYSTEM_SCOPE } from './core/db/db-scope.ts'
import { migrate } from './core/db/migrate.ts'
import { withStartupLock } from './core/db/startup-lock.ts'
import { ensureAdmin, type AdminSeedResult } from './seed/admin.ts'
import { seedSampleTownship, type SampleSeedReport } from './seed/sample-township.ts'
import { seedSampleActivity, type SampleActivityReport } from './seed/sample-activity.ts'
import { COUNTY_ACTIVITY, seedSampleCounty } from './seed/sample-county.ts'

/** What {@link prepareDatabase} did. */
export interface PrepareReport {
  migrationsApplied: string[]
  sample?: SampleSeedReport
  /** The year of sample activity loaded with the sample township. */
  activity?: SampleActivityReport
  admin: AdminSeedResult
}

/**
 * A step of {@link openEngineAndPrepare}, announced before it starts, so a slow
 * first start shows where it is (issue 11: a progress line per step).
 */
export type PrepareStep = 'migrations' | 'sample' | 'activity' | 'admin'

/** Called before each step; `npm start` prints a line. */
export type OnPrepareStep = (step: PrepareStep) => void

/** What {@link prepareDatabase} is asked to do. */
export interface PrepareOptions {
  geodataDir: string
  loadSample: boolean
  adminPassword?: string
  sampleCounty?: boolean
  countyDir?: string
  /** A smaller (or larger) year for the county, for tests and benchmarks; default {@link COUNTY_ACTIVITY}. */
  countyActivity?: Partial<typeof COUNTY_ACTIVITY>
}

/**
 * Migrates, loads the sample township with a year of sample activity up to
 * now into an empty database (if wanted) and ensures `admin`. Server
 * processes starting together on one PostgreSQL do this one at a time
 * (before, two could both find the database empty and load the sample twice).
 */
export async function prepareDatabase(
  engine: DbEngine,
  options: PrepareOptions,
  onStep: OnPrepareStep = () => {},
): Promise<PrepareReport> {
  // Migrations, the sample and the first administrator are system work over every town.
  return withStartupLock(engine, () => runWithDbScope(SYSTEM_SCOPE, () => prepareUnscoped(engine, options, onStep)))
}

async function prepareUnscoped(
  engine: DbEngine,
  options: PrepareOptions,
  onStep: OnPrepareStep,
): Promise<PrepareReport> {
  onStep('migrations')
  const { applied } = await migrate(engine)
  const countyDir = options.sampleCounty ? options.countyDir : undefined
  if (options.sampleCounty && !countyDir) throw new Error('SAMPLE_COUNTY=on needs the folder of the sample county')
  const county = countyDir ? { dir: countyDir, activity: { ...COUNTY_ACTIVITY, ...options.countyActivity } } : undefined
  const loaded = options.loadSample ? await seedIfEmpty(engine, options.geodataDir, onStep, county) : undefined
  onStep('admin')
  const admin = await ensureAdmin(engine.db, options.adminPassword)
  return { migrationsApplied: applied, sample: loaded?.sample, activity: loaded?.activity, admin }
}

async function seedIfEmpty(
  engine: DbEngine,
  geodataDir: string,
  onStep: OnPrepareStep,
  county?: { dir: string; activity: Partial<typeof COUNTY_ACTIVITY> },
): Promise<{ sample: SampleSeedReport; activity: SampleActivityReport } | undefined> {
  const row = await engine.db
    .selectFrom('areas')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  if (Number(row.n) > 0) return undefined
  return engine.db.transaction().execute(async (trx) => {
    onStep('sample')
    if (county) {
      const sample = await seedSampleCounty(trx, county.dir)
      onStep('activity')
      // The county folder has no basemap: activity follows population and dedicated grids in every town alike.
      // (With Xizhou's hillside and road, PGlite's findActivityGrids returned no grid for the county; PostgreSQL did.)
      const activity = await seedSampleActivity(trx, { asOf: new Date(), geodataDir: county.dir, towns: sample.towns, ...county.activity })
      return { sample, activity }
    }
    const sample = await seedSampleTownship(trx, geodataDir)
    onStep('activity')
    const activity = await seedSampleActivity(trx, { asOf: new Date(), geodataDir })
    return { sample, activity }
  })
}

/**
 * Opens the configured database and starts preparing it, without waiting: the
 * embedded database opens in its own thread, so the caller can build the app on
 * the main thread meanwhile (a warm `npm start` overlaps the two, issue 11).
 * On a failed preparation the engine is closed before `prepared` rejects.
 */
export async function openEngineAndPrepare(
  config: AppConfig,
  onStep?: OnPrepareStep,
): Promise<{ engine: DbEngine; prepared: Promise<PrepareReport> }> {
  const engine = await openEngine({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, deferOpen: true })
  const prepared = prepareDatabase(engine, config, onStep).catch(async (error: unknown) => {
    await engine.close().catch(() => {})
    throw error
  })
  // Awaited by the caller; this keeps a failure seen before that from being "unhandled".
  prepared.catch(() => {})
  return { engine, prepared }
}
