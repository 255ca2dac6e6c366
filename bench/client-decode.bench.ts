import { sql } from 'kysely'
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../server/app.ts'
import { prepareDatabase } from '../server/bootstrap.ts'
import { SYSTEM_SCOPE } from '../server/core/db/db-scope.ts'
import { openEngine, type DbEngine } from '../server/core/db/engine.ts'
import { createUser } from '../server/features/users/users.service.ts'
import { issueApiToken } from '../server/features/users/tokens.service.ts'
import { launchBrowser } from '../tests/support/browser.ts'
import { benchDatabaseName, countAllCases, ensureCases, keptDatabase } from './bench-database.ts'
import { listenOnce } from './listen-once.ts'
import { ms, summarise, type Timing } from './stats.ts'

const GEODATA_DIR = new URL('../geodata/xizhou', import.meta.url).pathname
/** Cases loaded (issue 3: "responsive with 100k cases loaded"); `BENCH_CLIENT_CASES`. */
export const CLIENT_BENCH_CASES = Number(process.env.BENCH_CLIENT_CASES ?? 100_000)
const PASSWORD = 'bench-password-123'
/** The tile query the map sends (server-side clusters below zoom 16, see client case-layer.util.ts). */
const MAP_TILE_QUERY = 'cluster=16'

/** What the map would receive and decode for one way of loading the cases. */
export interface TransferFigure {
  label: string
  requests: number
  features: number
  bytes: number
  /** Wall time to fetch it all over HTTP, one request after another. */
  fetchMs: number
  /** Client-side decode (JSON.parse, or protobuf + every geometry and property). */
  decode: Timing
}

/** `fetch`, retried once when a kept-alive socket was closed under it (after the long JSON.parse runs). */
async function fetchRetry(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init)
  } catch {
    return fetch(url, init)
  }
}

/** Tiles of zoom `z` covering a lon/lat box. */
function tilesCovering([west, south, east, north]: number[], z: number): Array<{ x: number; y: number }> {
  const n = 2 ** z
  const x = (lon: number) => Math.floor(((lon + 180) / 360) * n)
  const y = (lat: number) => {
    const rad = (lat * Math.PI) / 180
    return Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)
  }
  const tiles: Array<{ x: number; y: number }> = []
  for (let tx = x(west); tx <= x(east); tx++) for (let ty = y(north); ty <= y(south); ty++) tiles.push({ x: tx, y: ty })
  return tiles
}

function decodeTiles(buffers: Uint8Array[]): number {
  let features = 0
  for (const buffer of buffers) {
    const tile = new VectorTile(new PbfReader(buffer))
    for (const layer of Object.values(tile.layers)) {
      for (let i = 0; i < layer.length; i++) {
        const feature = layer.feature(i)
        feature.loadGeometry()
        void feature.properties
        features++
      }
    }
  }
  return features
}

function timeSync(fn: () => unknown, runs: number): Timing {
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    fn()
    samples.push(performance.now() - started)
  }
  return summarise(samples)
}

async function geojsonFigure(base: string, headers: Record<string, string>, runs: number): Promise<TransferFigure> {
  const started = performance.now()
  const features: string[] = []
  let requests = 0
  let bytes = 0
  for (const collection of ['hazards', 'disputes']) {
    let next: string | undefined = `${base}/api/collections/${collection}/items?limit=10000`
    while (next) {
      const response = await fetchRetry(next, { headers })
      const text = await response.text()
      requests++
      bytes += Buffer.byteLength(text)
      const page = JSON.parse(text) as { features: unknown[]; links?: Array<{ rel: string; href: string }> }
      for (const feature of page.features) features.push(JSON.stringify(feature))
      const link = page.links?.find((candidate) => candidate.rel === 'next')?.href
      next = page.features.length > 0 && link ? new URL(link, base).href : undefined
    }
  }
  const fetchMs = performance.now() - started
  const whole = `{"type":"FeatureCollection","features":[${features.join(',')}]}`
  return { label: 'GeoJSON, every case (OGC items pages)', requests, features: features.length, bytes, fetchMs, decode: timeSync(() => JSON.parse(whole), runs) }
}

async function tileFigure(base: string, headers: Record<string, string>, bbox: number[], z: number, query: string, runs: number): Promise<TransferFigure> {
  const started = performance.now()
  const buffers: Uint8Array[] = []
  let requests = 0
  for (const layer of ['hazards', 'disputes']) {
    for (const { x, y } of tilesCovering(bbox, z)) {
      const response = await fetchRetry(`${base}/api/tiles/${layer}/${z}/${x}/${y}.mvt${query ? `?${query}` : ''}`, { headers })
      requests++
      if (response.status === 200) buffers.push(new Uint8Array(await response.arrayBuffer()))
    }
  }
  const fetchMs = performance.now() - started
  const features = decodeTiles(buffers)
  const bytes = buffers.reduce((sum, buffer) => sum + buffer.byteLength, 0)
  return { label: `MVT z${z} township${query ? ` ?${query}` : ' (every case)'}`, requests, features, bytes, fetchMs, decode: timeSync(() => decodeTiles(buffers), runs) }
}

/** Payload and decode figures of GeoJSON against the vector tiles, over one app with the cases loaded. */
export async function benchClientDecode(app: FastifyInstance, engine: DbEngine, token: string, runs = 3): Promise<TransferFigure[]> {
  const base = await listenOnce(app)
  const headers = { authorization: `Bearer ${token}` }
  const box = (await sql<{ w: number; s: number; e: number; n: number }>`
    SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n FROM (SELECT ST_Extent(geom) AS e FROM current_areas WHERE level = 'town') t`.execute(engine.db)).rows[0]
  const bbox = [box.w, box.s, box.e, box.n].map(Number)
  const figures = [await geojsonFigure(base, headers, runs)]
  for (const z of [12, 13, 14]) {
    figures.push(await tileFigure(base, headers, bbox, z, MAP_TILE_QUERY, runs))
    figures.push(await tileFigure(base, headers, bbox, z, '', runs))
  }
  return figures
}

/** Idle times of the real map in headless Chromium after each camera move (ms), with the cases loaded. */
export async function benchMapIdle(base: string, username: string): Promise<Array<{ move: string; idleMs: number; tiles: number }>> {
  const browser = await launchBrowser()
  try {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage()
    await page.goto(base)
    await page.fill('input[name="username"]', username)
    await page.fill('input[name="password"]', PASSWORD)
    await page.click('button[type="submit"]')
    await page.waitForFunction(() => (window as unknown as { __gridatlas?: { ready?: boolean } }).__gridatlas?.ready === true, undefined, { timeout: 120_000 })
    const moves: Array<{ move: string; zoom: number; dx: number; dy: number }> = [
      { move: 'zoom 12 (clusters)', zoom: 12, dx: 0, dy: 0 },
      { move: 'zoom 13 (clusters)', zoom: 13, dx: 0, dy: 0 },
      { move: 'pan 400 px at z13', zoom: 13, dx: 400, dy: 0 },
      { move: 'zoom 14 (clusters)', zoom: 14, dx: 0, dy: 0 },
      { move: 'pan 300 px at z14', zoom: 14, dx: 0, dy: 300 },
      { move: 'zoom 16 (every case)', zoom: 16, dx: 0, dy: 0 },
      { move: 'back to zoom 12', zoom: 12, dx: -400, dy: -300 },
    ]
    const results: Array<{ move: string; idleMs: number; tiles: number }> = []
    for (const move of moves) {
      // A string, not a function: tsx would wrap named inner functions in a `__name` helper the page lacks.
      const measured = (await page.evaluate(`new Promise((resolve) => {
        const map = window.__gridatlas.map
        let tiles = 0
        const onData = (event) => { if (event.dataType === 'source' && event.tile) tiles++ }
        map.on('data', onData)
        const started = performance.now()
        map.once('idle', () => { map.off('data', onData); resolve({ idleMs: performance.now() - started, tiles }) })
        const center = map.project(map.getCenter())
        map.jumpTo({ center: map.unproject([center.x + ${move.dx}, center.y + ${move.dy}]), zoom: ${move.zoom} })
      })`)) as { idleMs: number; tiles: number }
      results.push({ move: move.move, ...measured })
      if (process.env.BENCH_SCREENSHOTS) await page.screenshot({ path: `${process.env.BENCH_SCREENSHOTS}/client-bench-${results.length}.png` })
    }
    return results
  } finally {
    await browser.close()
  }
}

function printFigures(label: string, figures: TransferFigure[]): void {
  console.log(`\n[${label}] what the map loads with every case (GeoJSON) vs the vector tiles it uses, township extent`)
  for (const f of figures) {
    const size = f.bytes >= 1024 * 1024 ? `${(f.bytes / 1024 / 1024).toFixed(1)} MiB` : `${(f.bytes / 1024).toFixed(0)} KiB`
    console.log(
      `  ${f.label.padEnd(44)} ${String(f.requests).padStart(4)} req ${String(f.features).padStart(7)} features ${size.padStart(10)}  fetch ${ms(f.fetchMs).padStart(9)}  decode p50 ${ms(f.decode.p50)}`,
    )
  }
}

/**
 * Standalone: `npx tsx bench/client-decode.bench.ts` (embedded PGlite) or with
 * `BENCH_DATABASE_URL=postgres://…` (kept database gridatlas_bench_100k);
 * `BENCH_CLIENT_DIR=/tmp/dist-x` also measures the map's idle time in Chromium
 * (`BENCH_SCREENSHOTS=/some/dir` keeps a screenshot after each move).
 */
export async function runClientDecodeBench(serverUrl?: string): Promise<void> {
  const label = serverUrl ? 'PostgreSQL + PostGIS' : 'embedded PGlite'
  const engine = serverUrl ? await openEngine({ databaseUrl: (await keptDatabase(serverUrl, benchDatabaseName(CLIENT_BENCH_CASES))).url, defaultScope: SYSTEM_SCOPE }) : await openEngine({ defaultScope: SYSTEM_SCOPE })
  try {
    await prepareDatabase(engine, { geodataDir: GEODATA_DIR, loadSample: true, adminPassword: PASSWORD })
    const loaded = await ensureCases(engine, CLIENT_BENCH_CASES)
    console.log(`\n[${label}] ${(await countAllCases(engine)).toLocaleString('en')} cases (${loaded.added.toLocaleString('en')} generated in ${(loaded.ms / 1000).toFixed(1)} s)`)
    const username = `bench-client-${Date.now()}`
    const user = await engine.db.transaction().execute((trx) => createUser(trx, { username, password: PASSWORD, role: 'leader' }, null))
    const { token } = await issueApiToken(engine.db, user.id, 'bench')
    const clientDir = process.env.BENCH_CLIENT_DIR
    const app = await buildApp({ engine, logLevel: 'silent', login: { adminSecondFactor: 'off' }, clientDir, geodataDir: clientDir ? GEODATA_DIR : undefined })
    try {
      printFigures(label, await benchClientDecode(app, engine, token))
      if (clientDir) {
        const idle = await benchMapIdle(await listenOnce(app), username)
        console.log(`\n[${label}] map idle after each camera move (headless Chromium, software GL, client ${clientDir})`)
        for (const row of idle) console.log(`  ${row.move.padEnd(34)} idle after ${ms(row.idleMs).padStart(9)}  (${row.tiles} tiles loaded)`)
      }
    } finally {
      await app.close()
    }
  } finally {
    await engine.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runClientDecodeBench(process.env.BENCH_DATABASE_URL)
}
