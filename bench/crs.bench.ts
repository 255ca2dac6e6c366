import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { BENCH_BBOX } from './items.bench.ts'
import { ms, summarise, timeInterleaved, type Timing } from './stats.ts'

/** A page answered in CRS84 (the baseline) and in EPSG:4490 and EPSG:4542, timed in turns. */
export interface CrsBench {
  crs84: Timing
  cgcs2000: Timing
  gaussKruger: Timing
  features: number
}

/** A reprojected page may cost at most this many times the CRS84 page (p95 over p95). */
export const CRS_TARGET_RATIO = 2

/**
 * Times `GET /api/collections/fine-grids/items?bbox=…&limit=1000` over HTTP
 * in CRS84 and with `crs` = EPSG:4490 and EPSG:4542 (the transform by PostGIS
 * after the page is rendered), in turns so the machine's load weighs on all alike.
 */
export async function benchCrs(app: FastifyInstance, token: string, runs: number): Promise<CrsBench> {
  // The items benchmark may have started the server already.
  const address = app.server.listening
    ? `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    : await app.listen({ port: 0, host: '127.0.0.1' })
  const url = `${address}/api/collections/fine-grids/items?bbox=${BENCH_BBOX.join(',')}&limit=1000`
  const headers = { authorization: `Bearer ${token}` }
  let features = 0
  const get = (crs?: string) => async () => {
    const response = await fetch(crs ? `${url}&crs=${encodeURIComponent(crs)}` : url, { headers })
    const body = await response.text()
    if (!response.ok) throw new Error(`API answered ${response.status}: ${body}`)
    features = (JSON.parse(body) as { numberReturned: number }).numberReturned
  }
  const [crs84, cgcs2000, gaussKruger] = await timeInterleaved(
    [get(), get('http://www.opengis.net/def/crs/EPSG/0/4490'), get('http://www.opengis.net/def/crs/EPSG/0/4542')],
    runs,
  )
  return { crs84: summarise(crs84), cgcs2000: summarise(cgcs2000), gaussKruger: summarise(gaussKruger), features }
}

/** Prints {@link CrsBench} and says MET or MISSED; answers whether met. */
export function printCrsBench(label: string, result: CrsBench, runs: number): boolean {
  const ratio4490 = result.cgcs2000.p95 / result.crs84.p95
  const ratio4542 = result.gaussKruger.p95 / result.crs84.p95
  const met = Math.max(ratio4490, ratio4542) <= CRS_TARGET_RATIO
  console.log(`\n[${label}] fine-grids bbox page of ${result.features} features in another CRS (${runs} requests each, in turns)`)
  console.log(`  CRS84 (baseline) p50 ${ms(result.crs84.p50)}   p95 ${ms(result.crs84.p95)}`)
  console.log(`  EPSG:4490        p50 ${ms(result.cgcs2000.p50)}   p95 ${ms(result.cgcs2000.p95)}   ×${ratio4490.toFixed(2)}`)
  console.log(`  EPSG:4542        p50 ${ms(result.gaussKruger.p50)}   p95 ${ms(result.gaussKruger.p95)}   ×${ratio4542.toFixed(2)}`)
  console.log(`  reprojected p95 / CRS84 p95 ≤ ${CRS_TARGET_RATIO}  ${met ? 'MET' : 'MISSED'}`)
  return met
}
