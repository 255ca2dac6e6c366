import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type CompiledQuery } from 'kysely'
import type pg from 'pg'
import type { Database } from '../server/core/db/database.ts'
import type { UserRecord } from '../server/core/auth/users.repository.ts'
import { findDisputePoints } from '../server/features/analytics/dispute-clusters/clusters.repository.ts'
import { findTile } from '../server/features/analytics/tiles/tiles.repository.ts'
import { findCaseKpis } from '../server/features/analytics/kpis/kpis.repository.ts'
import { weekStartBefore } from '../server/features/analytics/kpis/kpi-week.ts'
import { findCaseById, insertCase, selectCases } from '../server/features/cases/cases.repository.ts'
import { captureStatements } from './sql-capture.ts'
import { LAYOUTS } from './partitioning-fill.ts'
import { splitKpisByTown } from './partitioning-kpi-split.ts'

/** One statement of the app as the driver receives it, with one or more parameter sets used in turn. */
export interface BenchStatement {
  name: string
  sql: string
  parameterSets: ReadonlyArray<readonly unknown[]>
  /** A write: each turn runs in a transaction that is rolled back, so the fill stays as it is. */
  write?: boolean
  /** Not an app statement today: what a partition-aware variant would run (printed as such). */
  variant?: boolean
  /** The name of the app statement whose answer this variant must equal (checked by the benchmark). */
  sameAnswerAs?: string
}

const DAY_MS = 86_400_000

/**
 * A Kysely that compiles like the app's (PostgreSQL dialect) and executes
 * nothing: the repositories run on it and {@link captureStatements} keeps
 * the SQL and parameters they would send.
 */
function compilingDb(): Kysely<Database> {
  return new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  })
}

/** The statement `body` sends (the first one), as the app compiles it. */
export async function capture(body: (db: Kysely<Database>) => Promise<unknown>): Promise<CompiledQuery> {
  const { statements } = await captureStatements(compilingDb(), async (db) => {
    // The dummy driver answers no rows: a repository that insists on one throws after sending.
    await body(db).catch(() => undefined)
  })
  if (statements.length === 0) throw new Error('the repository sent no statement')
  return statements[0]
}

/** The first instant of the month holding `at` in China time (UTC+8, no DST), as a Date. */
function chinaMonthStart(at: Date, monthsBack = 0): Date {
  const local = new Date(at.getTime() + 8 * 3_600_000)
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - monthsBack, 1) - 8 * 3_600_000)
}

/**
 * The KPI statement grouped by town: `findCaseKpis` grouped by village with
 * `town_id` as the key (the county KPI table's question on today's SQL).
 */
export function kpisByTown(kpiSql: string): string {
  if (!kpiSql.includes('c.village_id::text')) throw new Error('the KPI statement no longer groups by c.village_id::text; update the by-town rewrite')
  return kpiSql.replaceAll('c.village_id::text', 'c.town_id::text')
}

/**
 * The case insert with the town (`town_id` = 1) when the app's insert names
 * none: the bench tables carry the county's town as a plain column (in the
 * app a trigger fills it, issue 13).
 */
export function insertWithTown(insertSql: string): string {
  if (insertSql.includes('"town_id"')) return insertSql
  const withTown = insertSql.replace(/^insert into "cases" \(/, 'insert into "cases" ("town_id", ').replace(/ values \(/, ' values (1, ')
  if (!withTown.startsWith('insert into "cases" ("town_id", ') || !withTown.includes(' values (1, ')) throw new Error(`unexpected insert statement shape: ${insertSql.slice(0, 80)}`)
  return withTown
}

/** A reader who sees every case (a leader): `visibleCases` adds no condition. */
const LEADER: UserRecord = { id: 1, username: 'bench-leader', displayName: null, role: 'leader', stationKey: null, disabled: false, gridIds: [], townId: 1 }

/**
 * The statements the app runs most, compiled by the app's own repositories
 * (so they are the real SQL, naming `cases` and resolved through
 * `search_path`), with parameters chosen on the fill:
 * - the 90-day dispute window read by dispute clusters (`findDisputePoints`);
 * - the busiest z14 hazard tile of the last 90 days (`findTile`, PostGIS encoder);
 * - KPIs of the last full month grouped by town (`findCaseKpis` grouped by
 *   village, with `town_id` as the key: the county KPI table's question);
 * - one case by id (`findCaseById`), ids spread over the five years, and the
 *   same with the case's month given (a partition-aware variant);
 * - the insert of a case (`insertCase`), rolled back each turn.
 */
export async function appStatements(client: pg.Client, asOf: Date): Promise<BenchStatement[]> {
  const window = { from: new Date(asOf.getTime() - 90 * DAY_MS), to: asOf }
  const busiest = await client.query<{ key: number }>(`
    SELECT tile14_key(geom) AS key FROM ${LAYOUTS.plain}.cases
    WHERE kind = 'hazard' AND reported_at >= $1 AND reported_at < $2 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`, [window.from, window.to])
  const key = Number(busiest.rows[0].key)
  const tile = { z: 14, x: Math.floor(key / 16384), y: key % 16384 }
  const month = { from: chinaMonthStart(asOf, 1), to: chinaMonthStart(asOf) }
  const statements: BenchStatement[] = []

  const disputes = await capture((db) => findDisputePoints(db, window))
  statements.push({ name: 'dispute window 90 d (clusters input)', sql: disputes.sql, parameterSets: [disputes.parameters] })

  const tileQuery = await capture((db) => findTile(db, 'postgis', 'hazards', tile, LEADER, window))
  statements.push({ name: `busiest z14 hazard tile 14/${tile.x}/${tile.y}, 90 d`, sql: tileQuery.sql, parameterSets: [tileQuery.parameters] })

  const kpis = await capture((db) => findCaseKpis(db, 'village', month, weekStartBefore(month.to)))
  const kpiName = `KPIs of ${month.from.toISOString().slice(0, 7)} by town`
  statements.push({ name: kpiName, sql: kpisByTown(kpis.sql), parameterSets: [kpis.parameters] })
  const split = splitKpisByTown(compilingDb(), month, weekStartBefore(month.to))
  statements.push({ name: 'the same KPIs, split: month + open cases', sql: split.sql, parameterSets: [split.parameters], variant: true, sameAnswerAs: kpiName })

  // Ids spread evenly over the fill (ids ascend with the reported time), each with its month.
  const { rows: picks } = await client.query<{ id: string; reported_at: Date }>(`
    SELECT id, reported_at FROM ${LAYOUTS.plain}.cases
    WHERE id IN (SELECT (1 + (max(id) - 1) * g / 49)::int8 FROM ${LAYOUTS.plain}.cases, generate_series(0, 49) g GROUP BY g)`)
  const byId = await capture((db) => findCaseById(db, 1))
  statements.push({ name: 'one case by id', sql: byId.sql, parameterSets: picks.map((pick) => byId.parameters.map((value) => (value === 1 ? Number(pick.id) : value))) })
  const byIdMonth = selectCases(compilingDb()).where('c.id', '=', 1).where('c.reported_at', '>=', new Date(0)).where('c.reported_at', '<', new Date(1)).compile()
  statements.push({
    name: 'one case by id, its month given',
    sql: byIdMonth.sql,
    variant: true,
    parameterSets: picks.map((pick) => {
      const from = chinaMonthStart(pick.reported_at)
      const to = chinaMonthStart(new Date(from.getTime() + 40 * DAY_MS))
      return byIdMonth.parameters.map((value) => (value === 1 ? Number(pick.id) : value instanceof Date ? (value.getTime() === 0 ? from : to) : value))
    }),
  })

  const { rows: sample } = await client.query<{ village_id: string; base_grid_id: string; fine_grid_id: string; registered_by: string }>(
    `SELECT village_id, base_grid_id, fine_grid_id, registered_by FROM ${LAYOUTS.plain}.cases ORDER BY id DESC LIMIT 1`,
  )
  const place = sample[0]
  const insert = await capture((db) =>
    insertCase(db, {
      kind: 'hazard', status: 'reported', category: 'fire', description: '基准测试：新登记的消防隐患', severity: 'high', tier: null,
      source: 'grid_worker', reporterName: '杨某', reporterPhone: '13800001234', photos: [], leadId: null, crossVillage: false,
      lon: 100.13, lat: 25.85, reportedAt: new Date(asOf.getTime() - 3_600_000), registeredBy: Number(place.registered_by),
      village: { areaId: Number(place.village_id), version: 1 },
      baseGrid: { areaId: Number(place.base_grid_id), version: 1 },
      fineGrid: { areaId: Number(place.fine_grid_id), version: 1 },
      deadlineAt: new Date(asOf.getTime() + 71 * 3_600_000),
    }),
  )
  statements.push({ name: 'insert one case (rolled back)', sql: insertWithTown(insert.sql), parameterSets: [insert.parameters], write: true })
  return statements
}
