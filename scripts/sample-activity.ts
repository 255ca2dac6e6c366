import { parseArgs } from 'node:util'
import { readConfig } from '../server/config.ts'
import { openScriptDatabase } from './open-database.ts'
import { migrate } from '../server/core/db/migrate.ts'
import { getMeta } from '../server/core/db/app-meta.repository.ts'
import { DEFAULT_ACTIVITY_CASES, DEFAULT_ACTIVITY_SEED, FULL_LEDGER_LIMIT, seedSampleActivity } from '../server/seed/sample-activity.ts'

const usage = `Usage: npm run sample:activity -- [--cases N] [--seed S] [--as-of DATE] [--key-persons N] [--leads N]
Adds a year of synthetic activity (hazards, disputes, leads, key persons and visits) before --as-of
(default now) to the sample township (or the sample county, SAMPLE_COUNTY=on) in DATABASE_URL, or else the embedded database in DATA_DIR
(stop the server first). Defaults: --cases ${DEFAULT_ACTIVITY_CASES}, --seed ${DEFAULT_ACTIVITY_SEED}; 300 key persons
and 100 leads on a database without sample activity yet, none otherwise.
Above ${FULL_LEDGER_LIMIT} cases (benchmark volumes, e.g. --cases 100000 or 1000000) each case keeps
only its registration entry in the ledger. Runs in one transaction: all or nothing.`

const { values } = parseArgs({
  options: {
    cases: { type: 'string' },
    seed: { type: 'string' },
    'as-of': { type: 'string' },
    'key-persons': { type: 'string' },
    leads: { type: 'string' },
    help: { type: 'boolean' },
  },
})

function count(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number ≥ 0, got "${text}"`)
  return value
}

if (values.help) {
  console.log(usage)
  process.exit(0)
}

const config = readConfig()
const engine = await openScriptDatabase('sample:activity', config)
try {
  const asOf = values['as-of'] ? new Date(values['as-of']) : new Date()
  if (Number.isNaN(asOf.getTime())) throw new Error(`--as-of is not a date: "${values['as-of']}"`)
  await migrate(engine)
  const again = (await getMeta(engine.db, 'sample-activity')) !== undefined
  // The county sample (SAMPLE_COUNTY=on) names its towns; their sample users act in their own towns.
  const sample = await getMeta<{ county?: boolean; towns?: Array<{ code: string; slug: string; name: string }> }>(engine.db, 'sample')
  const cases = count('cases', values.cases) ?? DEFAULT_ACTIVITY_CASES
  const started = performance.now()
  const report = await engine.db.transaction().execute((trx) =>
    seedSampleActivity(trx, {
      asOf,
      seed: count('seed', values.seed),
      cases,
      keyPersons: count('key-persons', values['key-persons']) ?? (again ? 0 : undefined),
      leads: count('leads', values.leads) ?? (again ? 0 : undefined),
      // The county's activity has no basemap features (see server/bootstrap.ts).
      geodataDir: sample?.county ? config.countyDir : config.geodataDir,
      towns: sample?.county ? sample.towns : undefined,
      onProgress: (written, total) => {
        if (total > FULL_LEDGER_LIMIT) console.log(`  ${written} / ${total} cases (${((performance.now() - started) / 1000).toFixed(0)} s)`)
      },
    }),
  )
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.log(
    `Sample activity ${report.from.toISOString()} – ${report.to.toISOString()} (seed ${report.seed}) in ${seconds} s: ` +
      `${report.hazards} hazards, ${report.disputes} disputes, ${report.leads} leads (${report.convertedLeads} converted into cases), ` +
      `${report.keyPersons} key persons with ${report.visits} visits, ${report.caseEvents} ledger entries (${report.ledger} ledger).`,
  )
} catch (error) {
  console.error(`sample:activity failed: ${(error as Error).message}`)
  process.exitCode = 1
} finally {
  await engine.close()
}
