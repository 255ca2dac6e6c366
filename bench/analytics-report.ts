import type { AnalyticsBench } from './analytics.bench.ts'
import { ms } from './stats.ts'

/** Issue 4's targets on PostgreSQL + PostGIS; issue 11: bins p95 under load within `loadedRatio` of the quiet p95, cached tiles within `cachedTileMultiple` of a static file. */
export const ANALYTICS_TARGETS = { ratio: 1.3, p95Ms: 300, tileP95Ms: 50, loadedRatio: 1.3, cachedTileMultiple: 3 }

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - [...text].length))
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`

/**
 * Prints the analytics benchmark as a table; with `targets` (PostGIS), marks
 * each row against them (ratio of p95s, absolute p95; tiles: p95 only) and
 * returns true when every row meets them.
 */
export function printAnalyticsBench(label: string, result: AnalyticsBench, runs: number, targets?: typeof ANALYTICS_TARGETS): boolean {
  const window = `${result.window.from!.toISOString()} – ${result.window.to.toISOString()}`
  console.log(`\n[${label}] analytics: ${result.cases.toLocaleString('en')} cases in the database; window ${window}; up to ${runs} turns of API and SQL each (fewer for slow ones)`)
  console.log(`  busiest z${result.tile.z} tile ${result.tile.x}/${result.tile.y}: ${result.tile.cases.toLocaleString('en')} hazards in the window`)
  console.log(`  ${pad('request', 46)}${pad('API p50', 13)}${pad('API p95', 13)}${pad('SQL p50', 13)}${pad('SQL p95', 13)}${pad('ratio', 7)}${pad('payload', 13)}${pad('items', 8)}${pad('turns', 7)}${targets ? 'target' : ''}`)
  let ok = true
  for (const row of result.rows) {
    const ratio = row.api.p95 / row.sql.p95
    const isTile = row.label.includes('/api/tiles/')
    // Dispute clusters: the baseline is ST_ClusterDBSCAN itself, which the route replaces (issue 11: p95 < 300 ms).
    const isClusters = row.label.includes('dispute-clusters')
    const met = isTile ? row.api.p95 <= (targets?.tileP95Ms ?? Infinity) : isClusters ? row.api.p95 < (targets?.p95Ms ?? Infinity) : ratio <= (targets?.ratio ?? Infinity) && row.api.p95 <= (targets?.p95Ms ?? Infinity)
    const verdict = !targets ? '' : isTile ? `p95 ≤ ${targets.tileP95Ms} ms ${met ? 'MET' : 'MISSED'}` : isClusters ? `p95 < ${targets.p95Ms} ms ${met ? 'MET' : 'MISSED'}` : `≤ ${targets.ratio}× and ≤ ${targets.p95Ms} ms ${met ? 'MET' : 'MISSED'}`
    ok &&= met
    console.log(
      `  ${pad(row.label, 46)}${pad(ms(row.api.p50), 13)}${pad(ms(row.api.p95), 13)}${pad(ms(row.sql.p50), 13)}${pad(ms(row.sql.p95), 13)}${pad(ratio.toFixed(2), 7)}${pad(kib(row.payloadBytes), 13)}${pad(String(row.items || '–'), 8)}${pad(String(row.api.n), 7)}${verdict}`,
    )
  }
  for (const row of result.cachedTiles) {
    const multiple = row.cached.p95 / row.staticFile.p95
    const met = multiple <= (targets?.cachedTileMultiple ?? Infinity)
    ok &&= met
    console.log(
      `  ${pad(row.label, 46)}p50 ${ms(row.cached.p50)}, p95 ${ms(row.cached.p95)} beside a static file of the same ${kib(row.bytes)} from the same server: p50 ${ms(row.staticFile.p50)}, p95 ${ms(row.staticFile.p95)}; ` +
        `${multiple.toFixed(2)}× (${row.hits} of ${row.cached.n} hits)${targets ? ` target ≤ ${targets.cachedTileMultiple}× ${met ? 'MET' : 'MISSED'}` : ''}`,
    )
  }
  console.log(`  GET /api/analytics/dispute-clusters, first request of the server process (reads every dispute into its snapshot): ${ms(result.clusterFirstRequestMs)}`)
  console.log(`  GET /api/analytics/dispute-clusters, first request after a dispute was registered (re-reads that one): ${ms(result.clusterAfterWriteMs)}`)
  for (const check of result.clusterEquality) {
    ok &&= check.equal
    console.log(
      `  dispute clusters ${check.window.from!.toISOString().slice(0, 10)} – ${check.window.to.toISOString().slice(0, 10)}, ${check.distanceMeters} m, ${check.minPoints} points: ` +
        `${check.clusters} clusters, ${check.members.toLocaleString('en')} members; route (from memory and from the database) vs ST_ClusterDBSCAN: ${check.equal ? 'equal' : 'NOT EQUAL'}`,
    )
  }
  ok = printBinsUnderLoad(result.binsUnderLoad, targets) && ok
  console.log('  API = HTTP on a local port (app.listen; node:http kept alive on a thread of its own, timed there from sending to the last byte; bearer token); SQL = the statements the route runs, recorded from its repository/service calls and replayed on the driver in the database scope and town of the request (row-level security); ratio = API p95 / SQL p95.')
  return ok
}

/**
 * Prints the bins quiet and under load with MET/MISSED against the ratio of
 * issue 11 (on both engines); true when met, or when no targets are checked.
 */
function printBinsUnderLoad(figures: AnalyticsBench['binsUnderLoad'], targets?: typeof ANALYTICS_TARGETS): boolean {
  const ratio = figures.loaded.p95 / figures.quiet.p95
  const met = ratio <= ANALYTICS_TARGETS.loadedRatio
  const background = figures.background
  console.log(`  ${figures.label} under load: ${background.ratePerSecond.toFixed(1)} background requests/s (${background.requests.join(', ')}; ${background.done} done, ${background.failed} failed; the rate keeps about half the cores busy by the quiet mean of those requests, BENCH_BINS_LOAD_SHARE / BENCH_BINS_LOAD_RPS change it), in 5 alternating blocks of quiet and loaded`)
  console.log(`    quiet  p50 ${ms(figures.quiet.p50)}   p95 ${ms(figures.quiet.p95)}   (${figures.quiet.n} requests)`)
  console.log(`    loaded p50 ${ms(figures.loaded.p50)}   p95 ${ms(figures.loaded.p95)}   (${figures.loaded.n} requests)`)
  console.log(`    loaded p95 / quiet p95 = ${ratio.toFixed(2)}  (target ≤ ${ANALYTICS_TARGETS.loadedRatio})  ${met ? 'MET' : 'MISSED'}`)
  return met || !targets
}
