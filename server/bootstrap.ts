import type { AppConfig } from './config.ts'
import { openEngine, type DbEngine } from './core/db/engine.ts'
import { runWithDbScope, SYSTEM_SCOPE } from './core/db/db-scope.ts'
import { migrate } from './core/db/migrate.ts'
import { ensureAdmin, type AdminSeedResult } from './seed/admin.ts'
import { seedSampleTownship, type SampleSeedReport } from './seed/sample-township.ts'
import { seedSampleActivity, type SampleActivityReport } from './seed/sample-activity.ts'

/** What {@link prepareDatabase} did. */
export interface PrepareReport {
  migrationsApplied: string[]
  sample?: SampleSeedReport
  /** The year of sample activity loaded with the sample township. */
  activity?: SampleActivityReport
  admin: AdminSeedResult
}

/**
 * A step of {@link openPreparedEngine}, announced before it starts, so a slow
 * first start shows where it is (issue 11: a progress line per step).
 */
export type PrepareStep = 'migrations' | 'sample' | 'activity' | 'admin'

/** Called before each step; `npm start` prints a line. */
export type OnPrepareStep = (step: PrepareStep) => void

/**
 * Migrates, loads the sample township with a year of sample activity up to
 * now into an empty database (if wanted) and ensures `admin`.
 */
export async function prepareDatabase(
  engine: DbEngine,
  options: { geodataDir: string; loadSample: boolean; adminPassword?: string },
  onStep: OnPrepareStep = () => {},
): Promise<PrepareReport> {
  // Migrations, the sample and the first administrator are system work over every town.
  return runWithDbScope(SYSTEM_SCOPE, () => prepareUnscoped(engine, options, onStep))
}

async function prepareUnscoped(
  engine: DbEngine,
  options: { geodataDir: string; loadSample: boolean; adminPassword?: string },
  onStep: OnPrepareStep,
): Promise<PrepareReport> {
  onStep('migrations')
  const { applied } = await migrate(engine)
  const loaded = options.loadSample ? await seedIfEmpty(engine, options.geodataDir, onStep) : undefined
  onStep('admin')
  const admin = await ensureAdmin(engine.db, options.adminPassword)
  return { migrationsApplied: applied, sample: loaded?.sample, activity: loaded?.activity, admin }
}

async function seedIfEmpty(
  engine: DbEngine,
  geodataDir: string,
  onStep: OnPrepareStep,
): Promise<{ sample: SampleSeedReport; activity: SampleActivityReport } | undefined> {
  const row = await engine.db
    .selectFrom('areas')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  if (Number(row.n) > 0) return undefined
  return engine.db.transaction().execute(async (trx) => {
    onStep('sample')
    const sample = await seedSampleTownship(trx, geodataDir)
    onStep('activity')
    const activity = await seedSampleActivity(trx, { asOf: new Date(), geodataDir })
    return { sample, activity }
  })
}

/** Opens the configured database and prepares it, calling `onStep` before each step. */
export async function openPreparedEngine(
  config: AppConfig,
  onStep?: OnPrepareStep,
): Promise<{ engine: DbEngine; report: PrepareReport }> {
  const engine = await openEngine({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  try {
    const report = await prepareDatabase(engine, config, onStep)
    return { engine, report }
  } catch (error) {
    await engine.close()
    throw error
  }
}
