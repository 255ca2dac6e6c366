import type { FastifyInstance } from 'fastify'
import type { DbEngine } from '../server/core/db/engine.ts'
import { runWithDbScope, type DbScope } from '../server/core/db/db-scope.ts'
import { areaFeaturesQuery } from '../server/features/areas/areas.repository.ts'
import { AREA_QUERYABLES } from '../server/features/areas/queryables.ts'
import { compileFilterParameters } from '../server/core/ogc/cql2/filter.ts'
import { summarise, timeInterleaved, ms, type Timing } from './stats.ts'
import { BENCH_BBOX } from './items.bench.ts'
import { listenOnce } from './listen-once.ts'
import { keptAliveGet } from './http-get.ts'

/** A CQL2 filter of the kind a GIS client sends: a spatial window and two attribute conditions. */
export const BENCH_FILTER = `S_INTERSECTS(geometry, BBOX(${BENCH_BBOX.join(', ')})) AND households >= 20 AND NOT kind IN ('scenic', 'enterprise')`

/** Filtered items over HTTP vs the same compiled SQL run directly. */
export interface FilterBench {
  api: Timing
  sql: Timing
  features: number
}

/**
 * Times `GET /api/collections/fine-grids/items?filter=…&limit=1000` (parse,
 * compile, query, send) against the statement that filter compiles to, run
 * directly on the driver, in turns: the ratio is the cost of the filter layer
 * and HTTP over the database's own work. The statement runs in `scope`, the
 * database scope of the token's user, like the request's.
 */
export async function benchFilter(app: FastifyInstance, engine: DbEngine, token: string, runs: number, scope: DbScope): Promise<FilterBench> {
  const address = await listenOnce(app)
  const url = `${address}/api/collections/fine-grids/items?limit=1000&filter=${encodeURIComponent(BENCH_FILTER)}`
  const headers = { authorization: `Bearer ${token}` }
  const client = keptAliveGet()
  let features = 0
  let apiFeatures = 0
  let lastBody: Buffer = Buffer.alloc(0)
  const api = async () => {
    const response = await client.get(url, headers)
    if (response.status !== 200) throw new Error(`API answered ${response.status}: ${response.body.toString()}`)
    lastBody = response.body
    return response
  }
  const filter = compileFilterParameters({ filter: BENCH_FILTER }, AREA_QUERYABLES)
  const statement = areaFeaturesQuery(engine.db, { level: 'fine_grid', filter, limit: 1000, offset: 0 }).compile()
  const direct = async () => {
    const result = await runWithDbScope(scope, () => engine.db.executeQuery(statement))
    features = Number((result.rows[0] as { returned: number }).returned)
  }
  const [apiSamples, sqlSamples] = await timeInterleaved([api, direct], runs).finally(client.close)
  // Checked once after timing: the SQL side does not parse its answer either.
  apiFeatures = (JSON.parse(lastBody.toString()) as { numberReturned: number }).numberReturned
  if (apiFeatures !== features) throw new Error(`the API returned ${apiFeatures} features, the SQL ${features}`)
  return { api: summarise(apiSamples), sql: summarise(sqlSamples), features }
}

/** Prints the figures beside their baseline; true when the ratio is met. */
export function printFilterBench(label: string, result: FilterBench, runs: number, targetRatio: number): boolean {
  const ratio = result.api.p95 / result.sql.p95
  console.log(`\n[${label}] GET /api/collections/fine-grids/items?filter=<CQL2>&limit=1000  (${result.features} features, ${runs} requests)`)
  console.log(`  filter: ${BENCH_FILTER}`)
  console.log(`  API over HTTP   p50 ${ms(result.api.p50)}   p95 ${ms(result.api.p95)}`)
  console.log(`  same SQL direct p50 ${ms(result.sql.p50)}   p95 ${ms(result.sql.p95)}`)
  console.log(`  API p95 / SQL p95 = ${ratio.toFixed(2)}  (target ≤ ${targetRatio})  ${ratio <= targetRatio ? 'MET' : 'MISSED'}`)
  return ratio <= targetRatio
}
