import pg from 'pg'
import { openEngine } from '../server/core/db/engine.ts'
import { SYSTEM_SCOPE } from '../server/core/db/db-scope.ts'
import { migrate } from '../server/core/db/migrate.ts'
import { ensureAdmin } from '../server/seed/admin.ts'
import { keptDatabase } from './bench-database.ts'
import { planFacts, type PlanFacts } from './explain.ts'
import { fillLayouts, keptFill, LAYOUTS, TOWNS, type FillInfo, type Layout } from './partitioning-fill.ts'
import { appStatements, type BenchStatement } from './partitioning-statements.ts'
import { summarise, type Timing } from './stats.ts'

/** Cases of the fill (`BENCH_PARTITIONING_CASES`; issue 13: 10M). */
const VOLUME = Number(process.env.BENCH_PARTITIONING_CASES ?? 10_000_000)
/** Timed turns per statement and layout at most, and the time one statement may take in all (both layouts). */
const MAX_TURNS = Number(process.env.BENCH_PARTITIONING_RUNS ?? 200)
const BUDGET_MS = Number(process.env.BENCH_PARTITIONING_BUDGET_MS ?? 30_000)
const MIN_TURNS = 3
/** Partitioned p95 may cost this much more than plain on an app statement (the target). */
const TARGET_RATIO = 1.3

/** Figures of one statement on one layout. */
interface LayoutFigures {
  timing: Timing
  plan: PlanFacts
}

/** Figures of one statement on both layouts. */
interface StatementFigures {
  statement: BenchStatement
  plain: LayoutFigures
  monthly: LayoutFigures
  /** For a variant with `sameAnswerAs`: whether its rows equal that statement's on both layouts. */
  sameAnswer?: boolean
}

/** Whether two answers hold the same rows (numbers equal to 1e-9, as parallel sums may round differently). */
function sameRows(a: Array<Record<string, unknown>>, b: Array<Record<string, unknown>>): boolean {
  const close = (x: unknown, y: unknown) => {
    if (x === y) return true
    const [p, q] = [Number(x), Number(y)]
    return x !== null && y !== null && Number.isFinite(p) && Number.isFinite(q) && Math.abs(p - q) <= 1e-9 * Math.max(1, Math.abs(p))
  }
  return a.length === b.length && a.every((row, i) => Object.keys(row).length === Object.keys(b[i]).length && Object.keys(row).every((key) => close(row[key], b[i][key])))
}

/** Figures of archiving the oldest month on each layout (both rolled back). */
interface RetentionFigures {
  rows: number
  deleteMs: number
  detachMs: number
}

/** A connection whose `cases` is the table of `layout`. */
async function layoutClient(url: string, layout: Layout): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  await client.query(`SET search_path = ${LAYOUTS[layout]}, public`)
  return client
}

/** Runs `statement` once with its `turn`-th parameter set; a write is rolled back. */
async function runOnce(client: pg.Client, statement: BenchStatement, turn: number, prefix = ''): Promise<pg.QueryResult> {
  const parameters = statement.parameterSets[turn % statement.parameterSets.length] as unknown[]
  if (!statement.write) return client.query(prefix + statement.sql, parameters)
  await client.query('BEGIN')
  try {
    return await client.query(prefix + statement.sql, parameters)
  } finally {
    await client.query('ROLLBACK')
  }
}

/** Milliseconds of the statement itself (a write's BEGIN/ROLLBACK are outside the timing). */
async function timeOnce(client: pg.Client, statement: BenchStatement, turn: number): Promise<number> {
  const parameters = statement.parameterSets[turn % statement.parameterSets.length] as unknown[]
  if (statement.write) await client.query('BEGIN')
  const started = performance.now()
  await client.query(statement.sql, parameters)
  const elapsed = performance.now() - started
  if (statement.write) await client.query('ROLLBACK')
  return elapsed
}

/**
 * Times `statement` on both layouts in turns (plain, monthly, plain, …) so
 * that background load weighs on both alike, within {@link BUDGET_MS}, then
 * explains one execution on each.
 */
async function measure(clients: Record<Layout, pg.Client>, statement: BenchStatement): Promise<StatementFigures> {
  const samples: Record<Layout, number[]> = { plain: [], monthly: [] }
  // Warm-up: two turns, or one when a turn takes seconds (the KPI scan of all history).
  const warmStarted = performance.now()
  for (let turn = 0; turn < 2; turn += 1) {
    if (turn > 0 && performance.now() - warmStarted > 4_000) break
    for (const layout of ['plain', 'monthly'] as const) await runOnce(clients[layout], statement, turn)
  }
  const started = performance.now()
  // A statement of tens of seconds a turn (the KPIs over all history at 10M) gets the turns the budget allows, at least one.
  const minTurns = performance.now() - warmStarted > BUDGET_MS ? 1 : MIN_TURNS
  for (let turn = 0; turn < MAX_TURNS; turn += 1) {
    if (turn >= minTurns && performance.now() - started > BUDGET_MS) break
    for (const layout of ['plain', 'monthly'] as const) samples[layout].push(await timeOnce(clients[layout], statement, turn))
  }
  const explain = async (layout: Layout): Promise<PlanFacts> => {
    const { rows } = await runOnce(clients[layout], statement, 0, 'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ')
    return planFacts(rows[0]['QUERY PLAN'], (name) => /^cases_y\d{4}m\d{2}$/.test(name))
  }
  return {
    statement,
    plain: { timing: summarise(samples.plain), plan: await explain('plain') },
    monthly: { timing: summarise(samples.monthly), plan: await explain('monthly') },
  }
}

/**
 * Archiving the oldest full month: `DELETE` of its rows from the plain table
 * against `DETACH PARTITION` of its partition, each in a transaction rolled
 * back (the fill stays whole).
 */
async function measureRetention(client: pg.Client): Promise<RetentionFigures> {
  const { rows } = await client.query<{ name: string; bound: string }>(`
    SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = '${LAYOUTS.monthly}.cases'::regclass ORDER BY c.relname`)
  // The second partition: the first one holds only the tail of a month.
  const oldest = rows[1]
  const [, from, to] = /FROM \('([^']+)'\) TO \('([^']+)'\)/.exec(oldest.bound) ?? []
  const counted = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${LAYOUTS.monthly}.${oldest.name}`)
  const inTransaction = async (statement: string, parameters: unknown[] = []) => {
    await client.query('BEGIN')
    const started = performance.now()
    try {
      await client.query(statement, parameters)
      return performance.now() - started
    } finally {
      await client.query('ROLLBACK')
    }
  }
  return {
    rows: Number(counted.rows[0].n),
    deleteMs: await inTransaction(`DELETE FROM ${LAYOUTS.plain}.cases WHERE reported_at >= $1 AND reported_at < $2`, [from, to]),
    detachMs: await inTransaction(`ALTER TABLE ${LAYOUTS.monthly}.cases DETACH PARTITION ${LAYOUTS.monthly}.${oldest.name}`),
  }
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - [...text].length))
const msText = (value: number) => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(2)} ms`)
const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`

/** Prints the figures; true when no app statement costs more than {@link TARGET_RATIO}× plain on the partitioned layout. */
function printPartitioningBench(fill: FillInfo, reused: boolean, figures: StatementFigures[], retention: RetentionFigures): boolean {
  const label = '[PostgreSQL + PostGIS]'
  console.log(`\n${label} partitioning: ${fill.cases.toLocaleString('en')} synthetic cases of a county of ${TOWNS} towns over 5 years to ${fill.asOf.toISOString().slice(0, 10)}; ` +
    `cases as today (plain) vs partitioned by month of reported_at (monthly, ${fill.partitions} partitions)`)
  console.log(`  fill ${reused ? 'kept from an earlier run (--rebuild to refill); it took' : 'made now:'} ${fill.steps.map((s) => `${s.step} ${s.seconds.toFixed(0)} s`).join(', ')}`)
  console.log(`  size with indexes: plain ${gib(fill.bytes.plain)}, monthly ${gib(fill.bytes.monthly)}`)
  console.log(`  ${pad('statement', 44)}${pad('layout', 9)}${pad('p50', 12)}${pad('p95', 12)}${pad('pages', 10)}${pad('plan', 22)}${pad('partitions', 16)}${pad('turns', 7)}verdict`)
  let ok = true
  for (const { statement, plain, monthly } of figures) {
    const ratio = monthly.timing.p95 / plain.timing.p95
    const winner = ratio < 0.9 ? 'partitioned wins' : ratio > 1.1 ? 'plain wins' : 'even (within 10 %)'
    const met = ratio <= TARGET_RATIO
    if (!statement.variant) ok &&= met
    if (statement.sameAnswerAs) ok &&= figures.find((f) => f.statement === statement)?.sameAnswer === true
    const same = statement.sameAnswerAs ? `; answer ${figures.find((f) => f.statement === statement)?.sameAnswer ? 'equals' : 'DIFFERS FROM'} "${statement.sameAnswerAs}"` : ''
    const verdict = `monthly/plain p95 ${ratio.toFixed(2)}×: ${winner}${statement.variant ? ` (variant, not checked${same})` : `; ≤ ${TARGET_RATIO}× ${met ? 'MET' : 'MISSED'}`}`
    const row = (layout: Layout, f: LayoutFigures, last: string) =>
      console.log(`  ${pad(layout === 'plain' ? statement.name : '', 44)}${pad(layout, 9)}${pad(msText(f.timing.p50), 12)}${pad(msText(f.timing.p95), 12)}${pad(f.plan.pages.toLocaleString('en'), 10)}` +
        `${pad(`${f.plan.planningMs.toFixed(2)} ms, ${f.plan.planningPages} pg`, 22)}${pad(layout === 'plain' || statement.write ? '–' : `${f.plan.partitionsScanned} of ${fill.partitions} read`, 16)}${pad(String(f.timing.n), 7)}${last}`)
    row('plain', plain, '')
    row('monthly', monthly, verdict)
  }
  console.log(`  archive the oldest month (${retention.rows.toLocaleString('en')} cases, rolled back): plain DELETE ${msText(retention.deleteMs)} (and vacuum after); monthly DETACH PARTITION ${msText(retention.detachMs)}`)
  console.log('  pages = shared buffers touched by one execution (EXPLAIN ANALYZE BUFFERS, 8 KiB each); plan = planning time and catalogue pages; partitions = partitions the execution read (the rest pruned).')
  console.log(`  Statements compiled by the app's repositories, run through search_path on each layout; the busy machine makes times noisy, compare the two layouts of one row. Target: no app statement's monthly p95 above ${TARGET_RATIO}× plain.`)
  return ok
}

/**
 * The partitioning benchmark (issue 13 item 7) on the PostgreSQL server of
 * `url`: in the kept database `gridatlas_bench_partitioning` (migrated like
 * the app's), both layouts filled once with {@link VOLUME} cases (reused
 * while the schema of `cases` is unchanged; `rebuild` refills), then the
 * app's most frequent statements timed and explained on each.
 */
export async function runPartitioningBench(url: string, options: { rebuild: boolean }): Promise<boolean> {
  const name = process.env.BENCH_PARTITIONING_DATABASE ?? 'gridatlas_bench_partitioning'
  const kept = await keptDatabase(url, name)
  console.log(`\n[PostgreSQL + PostGIS] partitioning in database ${name} (${kept.created ? 'created now' : 'kept from an earlier run'}; DROP DATABASE ${name} to reclaim it)`)
  const engine = await openEngine({ databaseUrl: kept.url, defaultScope: SYSTEM_SCOPE })
  try {
    await migrate(engine)
    await ensureAdmin(engine.db, 'bench-password-123')
  } finally {
    await engine.close()
  }
  const admin = new pg.Client({ connectionString: kept.url })
  await admin.connect()
  const clients = { plain: await layoutClient(kept.url, 'plain'), monthly: await layoutClient(kept.url, 'monthly') }
  try {
    let fill = options.rebuild ? undefined : await keptFill(admin, VOLUME)
    const reused = fill !== undefined
    if (!fill) {
      console.log(`  filling both layouts with ${VOLUME.toLocaleString('en')} cases (once; kept for later runs)…`)
      const asOf = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000)
      fill = await fillLayouts(kept.url, VOLUME, asOf, (line) => console.log(line))
    }
    const figures: StatementFigures[] = []
    const statements = await appStatements(admin, fill.asOf)
    for (const statement of statements) {
      const measured = await measure(clients, statement)
      const reference = statements.find((other) => other.name === statement.sameAnswerAs)
      if (reference) {
        // On one layout: the two statements hold the same data either way.
        const [mine, theirs] = [await runOnce(clients.plain, statement, 0), await runOnce(clients.plain, reference, 0)]
        measured.sameAnswer = sameRows(mine.rows, theirs.rows)
      }
      figures.push(measured)
    }
    return printPartitioningBench(fill, reused, figures, await measureRetention(admin))
  } finally {
    await clients.plain.end()
    await clients.monthly.end()
    await admin.end()
  }
}
