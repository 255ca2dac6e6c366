import { sql } from 'kysely'
import pg from 'pg'
import type { DbEngine } from '../server/core/db/engine.ts'
import { seedSampleActivity } from '../server/seed/sample-activity.ts'

/** Cases in the database. */
export async function countAllCases(engine: DbEngine): Promise<number> {
  return Number((await sql<{ n: number }>`SELECT count(*) AS n FROM cases`.execute(engine.db)).rows[0].n)
}

/**
 * Adds sample cases (registration-only ledger) until the database holds at
 * least `volume`, puts `cases` in tile order as the monthly maintenance
 * leaves it (`CLUSTER cases`, README "Operations at county scale"; the
 * generator writes cases in no order of place or time), then analyses the
 * case tables; returns how many were added and how long it took (0 when
 * there were enough already).
 */
export async function ensureCases(engine: DbEngine, volume: number, onProgress?: (written: number, total: number) => void): Promise<{ added: number; ms: number }> {
  const existing = await countAllCases(engine)
  if (existing >= volume) return { added: 0, ms: 0 }
  const started = performance.now()
  const added = volume - existing
  await engine.db.transaction().execute((trx) => seedSampleActivity(trx, { asOf: new Date(), cases: added, keyPersons: 0, leads: 0, onProgress }))
  await engine.exec('CLUSTER cases')
  await vacuumAnalyse(engine, ['cases', 'case_parties', 'case_events'])
  return { added, ms: performance.now() - started }
}

/**
 * `VACUUM ANALYZE` of `tables` as their owner: the app role the engine's
 * statements run as may not vacuum (PostgreSQL skips the table with a
 * warning), and VACUUM cannot run in the transaction `engine.exec` opens.
 * The visibility map it writes is what lets index-only scans skip the table.
 */
export async function vacuumAnalyse(engine: DbEngine, tables: string[]): Promise<void> {
  if (engine.kind === 'postgres') {
    const client = new pg.Client({ connectionString: engine.connectionString })
    await client.connect()
    try {
      for (const table of tables) await client.query(`VACUUM ANALYZE ${table}`)
    } finally {
      await client.end()
    }
    return
  }
  const pglite = engine.pglite!
  await pglite.exec('RESET ROLE')
  for (const table of tables) await pglite.exec(`VACUUM ANALYZE ${table}`)
  // The pool forgets what it set on the connection (role and scope) and sets them again.
  await engine.exec('SELECT 1')
}

/** The name of the kept benchmark database for `volume` cases, e.g. `gridatlas_bench_1m`. */
export function benchDatabaseName(volume: number): string {
  const size = volume % 1_000_000 === 0 ? `${volume / 1_000_000}m` : `${Math.round(volume / 1000)}k`
  return `gridatlas_bench_${size}`
}

/**
 * The URL of database `name` on the server of `url`, created when missing.
 * It is kept between runs (generating a million cases takes minutes);
 * `DROP DATABASE <name>` to reclaim the space.
 */
export async function keptDatabase(url: string, name: string): Promise<{ url: string; created: boolean }> {
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    if (!rowCount) await admin.query(`CREATE DATABASE ${name}`)
    const target = new URL(url)
    target.pathname = `/${name}`
    return { url: target.toString(), created: !rowCount }
  } finally {
    await admin.end()
  }
}
