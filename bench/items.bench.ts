import type { FastifyInstance } from 'fastify'
import type { DbEngine } from '../server/core/db/engine.ts'
import { runWithDbScope, type DbScope } from '../server/core/db/db-scope.ts'
import { areaFeaturesQuery } from '../server/features/areas/areas.repository.ts'
import type { Bbox } from '../server/core/postgis/envelope.ts'
import { summarise, timeInterleaved, type Timing } from './stats.ts'
import { keptAliveGet } from './http-get.ts'

/** A bbox over the centre of the sample township. */
export const BENCH_BBOX: Bbox = [100.08, 25.8, 100.19, 25.9]

/** API vs raw SQL for one fine-grid bbox page of up to 1000 items. */
export interface ItemsBench {
  api: Timing
  sql: Timing
  payloadBytes: number
  features: number
}

/**
 * Times `GET /api/collections/fine-grids/items?bbox=…&limit=1000` over HTTP
 * (Node's HTTP client on a kept-alive connection, on a thread of its own, see http-get.ts) against the same SQL statement run directly on the driver, in turns. The
 * statement runs in `scope`, the database scope of the token's user, like the
 * request's (the same row-level security policies; and with one scope on both
 * sides neither pays for switching a connection's scope back and forth).
 */
export async function benchItems(app: FastifyInstance, engine: DbEngine, token: string, runs: number, scope: DbScope): Promise<ItemsBench> {
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const url = `${address}/api/collections/fine-grids/items?bbox=${BENCH_BBOX.join(',')}&limit=1000`
  const headers = { authorization: `Bearer ${token}` }
  const client = keptAliveGet()
  let payloadBytes = 0
  let features = 0
  const api = async () => {
    const response = await client.get(url, headers)
    if (response.status !== 200) throw new Error(`API answered ${response.status}: ${response.body.toString()}`)
    payloadBytes = response.body.byteLength
    return response
  }
  const statement = areaFeaturesQuery(engine.db, { level: 'fine_grid', bbox: BENCH_BBOX, limit: 1000, offset: 0 }).compile()
  const direct = async () => {
    const result = await runWithDbScope(scope, () => engine.db.executeQuery(statement))
    features = Number((result.rows[0] as { returned: number }).returned)
  }
  // In turns (API, SQL, API, SQL…): on a shared machine, load that comes and goes then weighs on both alike.
  const [apiSamples, sqlSamples] = await timeInterleaved([api, direct], runs).finally(client.close)
  return { api: summarise(apiSamples), sql: summarise(sqlSamples), payloadBytes, features }
}
