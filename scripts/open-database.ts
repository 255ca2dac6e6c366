import { openEngine, type DbEngine } from '../server/core/db/engine.ts'
import { SYSTEM_SCOPE } from '../server/core/db/db-scope.ts'
import type { readConfig } from '../server/config.ts'

/**
 * The database of a command-line script, in the system scope; or, when it
 * cannot be opened (the embedded folder open in the running server, a server
 * that does not answer), `<script> failed: <why>` on stderr and exit code 1,
 * not a stack trace.
 */
export async function openScriptDatabase(script: string, config: ReturnType<typeof readConfig>): Promise<DbEngine> {
  try {
    return await openEngine({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, defaultScope: SYSTEM_SCOPE })
  } catch (error) {
    console.error(`${script} failed: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  }
}
