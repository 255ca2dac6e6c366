import type { AppConfig } from './config.ts'
import { openEngine, type DbEngine } from './core/db/engine.ts'
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
 * Migrates, loads the sample township with a year of sample activity up to
 * now into an empty database (if wanted) and ensures `admin`.
 */
export async function prepareDatabase(
  engine: DbEngine,
  options: { geodataDir: string; loadSample: boolean; adminPassword?: string },
): Promise<PrepareReport> {
  const { applied } = await migrate(engine)
  const loaded = options.loadSample ? await seedIfEmpty(engine, options.geodataDir) : undefined
  const admin = await ensureAdmin(engine.db, options.adminPassword)
  return { migrationsApplied: applied, sample: loaded?.sample, activity: loaded?.activity, admin }
}

async function seedIfEmpty(
  engine: DbEngine,
  geodataDir: string,
): Promise<{ sample: SampleSeedReport; activity: SampleActivityReport } | undefined> {
  const row = await engine.db
    .selectFrom('areas')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  if (Number(row.n) > 0) return undefined
  return engine.db.transaction().execute(async (trx) => {
    const sample = await seedSampleTownship(trx, geodataDir)
    const activity = await seedSampleActivity(trx, { asOf: new Date(), geodataDir })
    return { sample, activity }
  })
}

/** Opens the configured database and prepares it. */
export async function openPreparedEngine(config: AppConfig): Promise<{ engine: DbEngine; report: PrepareReport }> {
  const engine = await openEngine({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  try {
    const report = await prepareDatabase(engine, config)
    return { engine, report }
  } catch (error) {
    await engine.close()
    throw error
  }
}
