import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import type { DbEngine } from '../server/core/db/engine.ts'
import { TOWN_MARGIN_M } from '../server/features/areas/boundaries/limits.ts'
import { IMPORT_CHUNK_FEATURES, UNCHANGED_HAUSDORFF_DEG } from '../server/features/areas/io/limits.ts'
import { checkImportChunk } from '../server/features/areas/io/io.repository.ts'
import { createUser } from '../server/features/users/users.service.ts'
import { issueApiToken } from '../server/features/users/tokens.service.ts'
import { ms, summarise, timeInterleaved, type Timing } from './stats.ts'

/** Features in the benchmark file. */
export const IMPORT_BENCH_FEATURES = 5000

/** Figures of {@link benchBoundaryImport}. */
export interface BoundaryImportBench {
  features: number
  fileBytes: number
  /** The whole import over the API: upload, job, polling until the report. */
  api: Timing
  /** The same checks of the same geometries as one SQL statement. */
  sql: Timing
  /** The import's own check statements (chunks of {@link IMPORT_CHUNK_FEATURES}) run directly on the driver. */
  chunks: Timing
  /** What the last report said. */
  detail: string
}

/**
 * A 5,000-polygon GeoJSON file built from the current fine grids: each grid
 * as it is under its own code (reported unchanged), then copies of the grids
 * under distinct codes whose base grid does not exist (sequence 900+ of each
 * village, refused: unknown parent), until 5,000. Every feature goes through every
 * per-feature check (structure, validity, inside the township, match by
 * code); nothing is written, so each turn starts from the same state.
 */
async function buildFile(engine: DbEngine): Promise<string> {
  const { rows } = await sql<{ code: string; g: string }>`
    SELECT code, ST_AsGeoJSON(geom, 9) AS g FROM current_areas WHERE level = 'fine_grid' ORDER BY code`.execute(engine.db)
  const features = rows.map((row) => ({ type: 'Feature', properties: { code: row.code }, geometry: JSON.parse(row.g) }))
  const perVillage = new Map<string, number>()
  for (let i = 0; features.length < IMPORT_BENCH_FEATURES; i++) {
    const source = rows[i % rows.length]
    const village = source.code.slice(0, 12)
    const n = perVillage.get(village) ?? 0
    perVillage.set(village, n + 1)
    const code = `${village}${String(900 + Math.floor(n / 999)).padStart(3, '0')}${String((n % 999) + 1).padStart(3, '0')}`
    features.push({ type: 'Feature', properties: { code }, geometry: JSON.parse(source.g) })
  }
  if (new Set(features.map((feature) => feature.properties.code)).size !== features.length) throw new Error('duplicate codes in the bench file')
  return JSON.stringify({ type: 'FeatureCollection', features })
}

/**
 * Times `POST /api/boundaries/imports` of a 5,000-polygon file (through
 * `app.inject`, polling the job until its report) against two floors: the
 * same geometries checked in one SQL statement (validity, vertices inside
 * the town, matching area by code and whether the geometry is the same), and
 * the import's own chunked check statements run directly, each floor in one
 * transaction as the import is; in turns so that
 * machine load weighs on all alike.
 */
export async function benchBoundaryImport(app: FastifyInstance, engine: DbEngine, options: { runs: number }): Promise<BoundaryImportBench> {
  const admin = await engine.db.transaction().execute((trx) =>
    createUser(trx, { username: `bench-import-${Date.now()}`, password: 'bench-password-123', role: 'admin' }, null),
  )
  const { token } = await issueApiToken(engine.db, admin.id, 'bench-import')
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }
  const file = await buildFile(engine)
  const parsed = JSON.parse(file) as { features: Array<{ properties: { code: string }; geometry: unknown }> }
  const inputs = parsed.features.map((feature, i) => ({ index: i + 1, code: feature.properties.code, geometry: JSON.stringify(feature.geometry) }))
  let detail = ''
  const runImport = async () => {
    const started = await app.inject({ method: 'POST', url: '/api/boundaries/imports?level=fine-grids&sourceCrs=wgs84&reason=bench', headers, payload: Buffer.from(file) })
    if (started.statusCode !== 202) throw new Error(`import answered ${started.statusCode}: ${started.body.slice(0, 300)}`)
    let job = started.json()
    while (job.status === 'running') {
      await new Promise((resolve) => setImmediate(resolve))
      job = (await app.inject({ url: `/api/boundaries/imports/${job.id}`, headers: { authorization: headers.authorization } })).json()
    }
    if (job.status !== 'done') throw new Error(`import failed: ${JSON.stringify(job.error)}`)
    const report = job.report
    detail = `${report.unchanged.length} unchanged, ${report.refused.length} refused, ${report.changed.length} changed, ${report.created.length} created`
  }
  const runSql = () =>
    engine.db.transaction().execute((trx) => checkImportChunk(trx, inputs, 'fine_grid', 'base_grid', TOWN_MARGIN_M, UNCHANGED_HAUSDORFF_DEG))
  const runChunks = () =>
    engine.db.transaction().execute(async (trx) => {
      for (let start = 0; start < inputs.length; start += IMPORT_CHUNK_FEATURES) {
        await checkImportChunk(trx, inputs.slice(start, start + IMPORT_CHUNK_FEATURES), 'fine_grid', 'base_grid', TOWN_MARGIN_M, UNCHANGED_HAUSDORFF_DEG)
      }
    })
  const [api, floor, chunks] = await timeInterleaved([runImport, runSql, runChunks], options.runs, 1)
  return { features: parsed.features.length, fileBytes: Buffer.byteLength(file), api: summarise(api), sql: summarise(floor), chunks: summarise(chunks), detail }
}

/** Prints the figures of {@link benchBoundaryImport}: p50, total and the ratio to the SQL floor. */
export function printBoundaryImportBench(label: string, result: BoundaryImportBench): void {
  const total = (timing: Timing) => ms(timing.mean * timing.n)
  console.log(`\n[${label}] boundary import of ${result.features.toLocaleString('en')} polygons (${(result.fileBytes / 1024 / 1024).toFixed(1)} MiB GeoJSON, ${result.api.n} turns): ${result.detail}`)
  console.log(`  API (upload, job, polling)                 p50 ${ms(result.api.p50)}   total ${total(result.api)}`)
  console.log(`  same checks as one SQL statement           p50 ${ms(result.sql.p50)}   total ${total(result.sql)}`)
  console.log(`  the import's check statements, direct       p50 ${ms(result.chunks.p50)}   total ${total(result.chunks)}`)
  console.log(`  API p50 / one-statement p50 = ${(result.api.p50 / result.sql.p50).toFixed(2)}   API p50 / its statements p50 = ${(result.api.p50 / result.chunks.p50).toFixed(2)}`)
}
