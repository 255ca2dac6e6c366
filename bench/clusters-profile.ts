/**
 * Where the time of a dispute-clusters request goes, stage by stage, on a
 * kept benchmark database (not part of `npm run bench`; a diagnostic):
 *
 *   BENCH_DATABASE_URL=postgres://…/gridatlas_bench_1m npx tsx bench/clusters-profile.ts [runs]
 *
 * Times, in turns, in one town's scope (what a town leader's request runs
 * with): the points statement, the parties statement, DBSCAN, the whole
 * findDisputeClusters, the service (villages and towns resolved), and the
 * plain ST_ClusterDBSCAN query; prints p50/p95 of each and the load average.
 */
import { loadavg } from 'node:os'
import { sql } from 'kysely'
import { openEngine } from '../server/core/db/engine.ts'
import { runWithDbScope, SYSTEM_SCOPE } from '../server/core/db/db-scope.ts'
import { findDisputePoints, findWindowParties } from '../server/features/analytics/dispute-clusters/clusters.repository.ts'
import { findDisputeClusters } from '../server/features/analytics/dispute-clusters/clustering.ts'
import { disputeClusters } from '../server/features/analytics/dispute-clusters/clusters.service.ts'
import { dbscan } from '../server/features/analytics/dispute-clusters/dbscan.ts'
import { summarise, timeInterleaved } from './stats.ts'

const url = process.env.BENCH_DATABASE_URL
if (!url) throw new Error('BENCH_DATABASE_URL names the kept benchmark database')
const runs = Number(process.argv[2] ?? 15)
const engine = await openEngine({ databaseUrl: url, defaultScope: SYSTEM_SCOPE })
try {
  const { rows } = await sql<{ at: Date; town: number }>`SELECT max(reported_at) AS at, min(town_id) AS town FROM cases`.execute(engine.db)
  const to = new Date(new Date(rows[0].at).getTime() + 1)
  const window = { from: new Date(to.getTime() - 90 * 86_400_000), to }
  const townId = Number(rows[0].town)
  const params = { window, distanceMeters: 300, minPoints: 3, townId }
  const inTown = <T>(work: () => Promise<T>) => runWithDbScope({ kind: 'town', townId }, work)
  const points = await inTown(() => findDisputePoints(engine.db, window, townId))
  const clusters = await inTown(() => findDisputeClusters(engine.db, params))
  console.log(`${points.ids.length} disputes in the window, ${clusters.length} clusters, ${clusters.reduce((n, c) => n + c.size, 0)} members`)
  const stages: Array<[string, () => Promise<unknown>]> = [
    ['points statement (+ unpack)', () => inTown(() => findDisputePoints(engine.db, window, townId))],
    ['parties statement (+ unpack)', () => inTown(() => findWindowParties(engine.db, window, townId))],
    ['dbscan (server)', async () => dbscan(points.x, points.y, 300, 3)],
    ['findDisputeClusters', () => inTown(() => findDisputeClusters(engine.db, params))],
    ['disputeClusters (service)', () => inTown(() => disputeClusters(engine.db, params))],
    ['ST_ClusterDBSCAN SQL', () => inTown(() => sql`
      SELECT array_agg(k.id ORDER BY k.id) FROM (
        SELECT c.id, ST_ClusterDBSCAN(ST_Transform(c.geom, 32647), eps := 300::float8, minpoints := 3) OVER (ORDER BY c.id) AS cid
        FROM cases c WHERE c.kind = 'dispute' AND c.reported_at >= ${window.from}::timestamptz AND c.reported_at < ${window.to}::timestamptz
      ) k WHERE k.cid IS NOT NULL GROUP BY k.cid`.execute(engine.db))],
  ]
  const samples = await timeInterleaved(stages.map(([, fn]) => fn), runs, 2)
  for (const [index, [label]] of stages.entries()) {
    const t = summarise(samples[index])
    console.log(`${label.padEnd(32)} p50 ${t.p50.toFixed(1).padStart(8)} ms  p95 ${t.p95.toFixed(1).padStart(8)} ms`)
  }
  console.log(`load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}`)
} finally {
  await engine.close()
}
