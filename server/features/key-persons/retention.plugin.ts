import fp from 'fastify-plugin'
import { archiveReleasedPersons } from './retention.service.ts'
import { runWithDbScope, SYSTEM_SCOPE } from '../../core/db/db-scope.ts'

/** How often the retention job runs while the server is up. */
const RETENTION_INTERVAL_MS = 6 * 60 * 60 * 1000

/**
 * Archives released key persons past the retention period when the server
 * starts, then every few hours.
 */
export default fp(
  async (app) => {
    let timer: NodeJS.Timeout | undefined
    const run = async () => {
      try {
        // A sweep over every town: the system scope (row-level security, migration 0019).
        const report = await runWithDbScope(SYSTEM_SCOPE, () => archiveReleasedPersons(app.db, new Date()))
        if (report.archivedIds.length > 0) app.log.info({ archived: report.archivedIds.length }, 'key persons archived')
      } catch (error) {
        app.log.error({ err: error }, 'key-person retention run failed')
      }
    }
    app.addHook('onReady', async () => {
      await run()
      timer = setInterval(() => void run(), RETENTION_INTERVAL_MS)
      timer.unref()
    })
    app.addHook('onClose', async () => {
      if (timer) clearInterval(timer)
    })
  },
  { name: 'key-person-retention', dependencies: ['database'] },
)
