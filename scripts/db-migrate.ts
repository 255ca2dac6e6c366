import { readConfig } from '../server/config.ts'
import { openScriptDatabase } from './open-database.ts'
import { migrate } from '../server/core/db/migrate.ts'

const config = readConfig()
const engine = await openScriptDatabase('db:migrate', config)
try {
  const report = await migrate(engine)
  console.log(
    report.applied.length > 0
      ? `Applied ${report.applied.length} migration(s): ${report.applied.join(', ')}`
      : `Schema is up to date (${report.alreadyApplied} migrations applied earlier).`,
  )
} finally {
  await engine.close()
}
