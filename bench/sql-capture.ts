import type { CompiledQuery } from 'kysely'
import type { Db } from '../server/core/db/database.ts'
import { currentDbScope, SYSTEM_SCOPE, type DbScope } from '../server/core/db/db-scope.ts'

/**
 * A handle on `db` that records every statement executed through it, compiled
 * exactly as the driver receives it (SQL text and parameters), so that the
 * same statements can be timed on the driver without the API around them;
 * `scopes` holds the database scope each ran in (row-level security: a
 * baseline replays them in the same scope, so it pays the same policies).
 */
export function recordingDb(db: Db): { spy: Db; recorded: CompiledQuery[]; scopes: DbScope[] } {
  const recorded: CompiledQuery[] = []
  const scopes: DbScope[] = []
  const compiled = new Map<unknown, CompiledQuery>()
  const executor = db.getExecutor()
  const spy = db.withPlugin({
    // Kysely also transforms subqueries as they are built; only executed queries reach transformResult.
    transformQuery(args) {
      compiled.set(args.queryId, executor.compileQuery(args.node, args.queryId))
      return args.node
    },
    async transformResult(args) {
      const statement = compiled.get(args.queryId)
      if (statement) {
        recorded.push(statement)
        scopes.push(currentDbScope() ?? SYSTEM_SCOPE)
      }
      return args.result
    },
  })
  return { spy, recorded, scopes }
}

/** Runs `body` on a {@link recordingDb} handle and returns what it executed. */
export async function captureStatements<T>(db: Db, body: (spy: Db) => Promise<T>): Promise<{ result: T; statements: CompiledQuery[] }> {
  const { spy, recorded } = recordingDb(db)
  const result = await body(spy)
  return { result, statements: recorded }
}

/** Executes recorded statements one after the other, in a transaction when asked. */
export async function replayStatements(db: Db, statements: readonly CompiledQuery[], transaction = false): Promise<void> {
  if (transaction) {
    await db.transaction().execute(async (trx) => {
      for (const statement of statements) await trx.executeQuery(statement)
    })
    return
  }
  for (const statement of statements) await db.executeQuery(statement)
}
