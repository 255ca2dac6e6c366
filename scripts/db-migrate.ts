import { readConfig } from '../server/config.ts'
import { openEngine } from '../server/core/db/engine.ts'
import { SYSTEM_SCOPE } from '../server/core/db/db-scope.ts'
import { migrate } from '../server/core/db/migrate.ts'

const config = readConfig()
const engine = await openEngine({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, defaultScope: SYSTEM_SCOPE })
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
