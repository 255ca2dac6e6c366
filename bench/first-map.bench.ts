import { existsSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { brotliCompressSync } from 'node:zlib'
import { chromium, type Browser, type Page } from 'playwright-core'
import { buildApp } from '../server/app.ts'
import { prepareDatabase } from '../server/bootstrap.ts'
import { SYSTEM_SCOPE } from '../server/core/db/db-scope.ts'
import { openEngine } from '../server/core/db/engine.ts'
import { createUser } from '../server/features/users/users.service.ts'
import { listenOnce } from './listen-once.ts'

const ROOT = new URL('../', import.meta.url).pathname
const GEODATA_DIR = join(ROOT, 'geodata/xizhou')
const CLIENT_DIR = process.env.BENCH_CLIENT_DIR ?? join(ROOT, 'dist/client')
const PASSWORD = 'bench-password-123'
/** Issue 11, item 7: JavaScript transferred (compressed) to sign in and draw the first map. */
export const FIRST_MAP_JS_TARGET_BYTES = 450 * 1024
const RUNS = Number(process.env.BENCH_FIRST_MAP_RUNS ?? 5)
/** Debian's Chromium (as in the browser tests; their helpers set a test-only password cost, so are not imported here). */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  })
}

/** What one cold sign-in to the first drawn map cost. */
export interface FirstMapRun {
  /** From submitting the sign-in form to the map's `idle` with the villages rendered. */
  signInToMapMs: number
  /** JavaScript bytes on the wire (bodies as sent: brotli when the server has it) from opening the page to the drawn map. */
  jsBytes: number
  /** Everything else on the wire in the same span (HTML, CSS, API answers, basemap, fonts). */
  otherBytes: number
  /** The JavaScript files fetched, with their bytes on the wire. */
  scripts: Array<{ path: string; bytes: number }>
}

/** The figures printed by {@link printFirstMapBench}. */
export interface FirstMapBench {
  runs: FirstMapRun[]
  /** Median time of fetching one static file (`/favicon.svg`) from the same page, the same number of times. */
  staticFileMs: number
  /** Brotli size of MapLibre's two files as shipped (main + worker): the floor under the JavaScript budget. */
  mapLibreFloorBytes: number
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`

/** Brotli size of `maplibre-gl.mjs` + `maplibre-gl-worker.mjs` from node_modules. */
async function mapLibreFloor(): Promise<number> {
  const dist = join(ROOT, 'node_modules/maplibre-gl/dist')
  let total = 0
  for (const file of ['maplibre-gl.mjs', 'maplibre-gl-worker.mjs']) total += brotliCompressSync(await readFile(join(dist, file))).length
  return total
}

/** Whether a response is JavaScript (chunks, the MapLibre worker). */
function isScript(url: string, contentType: string | undefined): boolean {
  return /javascript/.test(contentType ?? '') || /\.m?js(?:\?|$)/.test(new URL(url).pathname)
}

/**
 * One cold visit (new browser context: empty cache): opens the sign-in page,
 * submits the form, waits for the first drawn map with its area layers, and
 * counts the bytes on the wire from the browser's network events (response
 * body sizes as received, i.e. compressed).
 */
async function oneRun(browser: Browser, baseUrl: string, username: string, sentBytes: Map<string, number>): Promise<FirstMapRun> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } })
  const page = await context.newPage()
  const responses: Array<Promise<{ url: string; script: boolean; bytes: number }>> = []
  context.on('requestfinished', (request) => {
    responses.push(
      (async () => {
        const [sizes, response] = await Promise.all([request.sizes(), request.response()])
        const contentType = response ? (await response.allHeaders())['content-type'] : undefined
        // Chromium reports the worker's script without a body size (it is fetched for the worker,
        // not the page): take the bytes the server sent for that URL instead.
        const path = new URL(request.url()).pathname
        const bytes = sizes.responseBodySize || (sentBytes.get(path) ?? 0)
        return { url: request.url(), script: isScript(request.url(), contentType), bytes }
      })(),
    )
  })
  try {
    await page.goto(baseUrl)
    await page.waitForSelector('input[name="password"]')
    await page.fill('input[name="username"]', username)
    await page.fill('input[name="password"]', PASSWORD)
    await page.evaluate(WATCH_FIRST_DRAW)
    await page.click('button[type="submit"]')
    const firstDraw = await waitForFirstDraw(page)
    const signInToMapMs = firstDraw.at - firstDraw.submittedAt
    const drawnWith = new Set(firstDraw.resources.map((url) => new URL(url).pathname))
    const finished = await Promise.all(responses)
    // Scripts all count (the worker is not in the page's resource timing); other answers only
    // if they had arrived by the first draw (the grids are fetched after it).
    const scripts = finished.filter((entry) => entry.script).map((entry) => ({ path: new URL(entry.url).pathname, bytes: entry.bytes }))
    const jsBytes = scripts.reduce((sum, entry) => sum + entry.bytes, 0)
    const otherBytes = finished
      .filter((entry) => !entry.script && drawnWith.has(new URL(entry.url).pathname))
      .reduce((sum, entry) => sum + entry.bytes, 0)
    return { signInToMapMs, jsBytes, otherBytes, scripts }
  } finally {
    await context.close()
  }
}

/** What the page records at its first drawn map (see {@link WATCH_FIRST_DRAW}). */
interface FirstDraw {
  /** `performance.now()` when the sign-in form was submitted. */
  submittedAt: number
  /** `performance.now()` at the first `idle` of the map with the villages rendered. */
  at: number
  /** URLs of the resources that had arrived by then (Resource Timing). */
  resources: string[]
}

/**
 * Runs in the page just before the form is submitted: notes the time, then,
 * once the map exists, listens for its first `idle` event with the villages
 * rendered and records the time and the resources loaded so far in
 * `window.__firstDraw` ({@link FirstDraw}). Timed in the page, so Playwright's
 * polling adds nothing. A string, not a function: tsx would wrap the inner
 * functions in a `__name` helper the page does not have.
 */
const WATCH_FIRST_DRAW = `(() => {
  const submittedAt = performance.now()
  const attach = () => {
    const map = window.__gridatlas && window.__gridatlas.map
    if (!map) return void setTimeout(attach, 5)
    const onIdle = () => {
      let drawn = 0
      try { drawn = map.queryRenderedFeatures({ layers: ['villages-fill'] }).length } catch { /* layer not there yet */ }
      if (drawn === 0) return
      map.off('idle', onIdle)
      const resources = performance.getEntriesByType('resource').map((entry) => entry.name)
      window.__firstDraw = { submittedAt, at: performance.now(), resources }
    }
    map.on('idle', onIdle)
  }
  attach()
})()`

async function waitForFirstDraw(page: Page): Promise<FirstDraw> {
  const handle = await page.waitForFunction(() => (window as unknown as { __firstDraw?: FirstDraw }).__firstDraw, undefined, {
    timeout: 180_000,
    polling: 50,
  })
  return (await handle.jsonValue()) as FirstDraw
}

/** Median of `runs` fetches of one small static file from `page` (no cache). */
async function staticFileMs(page: Page, runs: number): Promise<number> {
  const samples = await page.evaluate(async (count) => {
    const times: number[] = []
    for (let i = 0; i < count; i += 1) {
      const start = performance.now()
      await (await fetch('/favicon.svg', { cache: 'no-store' })).arrayBuffer()
      times.push(performance.now() - start)
    }
    return times
  }, runs)
  return median(samples)
}

/**
 * Sign-in to first map in headless Chromium (issue 11, item 7) on the
 * embedded database with the sample township: `RUNS` cold visits. Needs the
 * built client (`npx vite build`) and Chromium.
 */
export async function benchFirstMap(): Promise<FirstMapBench | string> {
  if (!existsSync(CHROMIUM_PATH)) return `Chromium not found at ${CHROMIUM_PATH} (CHROMIUM_PATH)`
  if (!existsSync(join(CLIENT_DIR, 'index.html'))) return `no built client in ${CLIENT_DIR}: run \`npx vite build\` first`
  const engine = await openEngine({ defaultScope: SYSTEM_SCOPE })
  try {
    await prepareDatabase(engine, { geodataDir: GEODATA_DIR, loadSample: true, adminPassword: PASSWORD })
    const username = `bench-map-${Date.now()}`
    await engine.db.transaction().execute((trx) => createUser(trx, { username, password: PASSWORD, role: 'leader' }, null))
    const app = await buildApp({ engine, logLevel: 'silent', login: { adminSecondFactor: 'off' }, clientDir: CLIENT_DIR, geodataDir: GEODATA_DIR })
    const browser = await launchBrowser()
    try {
      const baseUrl = await listenOnce(app)
      // Bytes of each answer's body as sent (Content-Length), by path: see `oneRun`.
      const sentBytes = new Map<string, number>()
      app.server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
        response.once('finish', () => sentBytes.set((request.url ?? '').split('?')[0], Number(response.getHeader('content-length') ?? 0)))
      })
      // One untimed visit: the server's first answers (basemap compression, query plans) are not the browser's cost.
      await oneRun(browser, baseUrl, username, sentBytes)
      const runs: FirstMapRun[] = []
      for (let i = 0; i < RUNS; i += 1) {
        const run = await oneRun(browser, baseUrl, username, sentBytes)
        console.log(`  run ${i + 1}: ${run.signInToMapMs.toFixed(0)} ms, JavaScript ${kB(run.jsBytes)}, other ${kB(run.otherBytes)}`)
        runs.push(run)
      }
      const page = await browser.newPage()
      await page.goto(`${baseUrl}/favicon.svg`)
      const baseline = await staticFileMs(page, RUNS)
      return { runs, staticFileMs: baseline, mapLibreFloorBytes: await mapLibreFloor() }
    } finally {
      await browser.close()
      await app.close()
    }
  } finally {
    await engine.close()
  }
}

/** Prints the figures beside their targets and baselines; returns whether the JavaScript target is met. */
export function printFirstMapBench(result: FirstMapBench | string): boolean {
  console.log('\n[client] sign-in to first drawn map, headless Chromium, cold cache, embedded PGlite, sample township')
  if (typeof result === 'string') {
    console.log(`  skipped: ${result}`)
    return true
  }
  const { runs } = result
  const jsBytes = median(runs.map((run) => run.jsBytes))
  const met = jsBytes <= FIRST_MAP_JS_TARGET_BYTES
  const times = runs.map((run) => run.signInToMapMs)
  console.log(`  submit → first map idle with the villages drawn (timed in the page): median ${median(times).toFixed(0)} ms of ${runs.length} (${times.map((t) => t.toFixed(0)).join(', ')} ms)`)
  console.log(`  baseline: one static file (/favicon.svg) fetched by the same browser: median ${result.staticFileMs.toFixed(1)} ms`)
  console.log(`  JavaScript on the wire (compressed): ${kB(jsBytes)}  (target ≤ ${kB(FIRST_MAP_JS_TARGET_BYTES)})  ${met ? 'MET' : 'MISSED'}`)
  console.log(`    of which MapLibre can be no less than ${kB(result.mapLibreFloorBytes)} (its main + worker files, brotli)`)
  console.log(`  other bytes on the wire (HTML, CSS, API answers, basemap): ${kB(median(runs.map((run) => run.otherBytes)))}`)
  for (const script of [...runs[runs.length - 1].scripts].sort((a, b) => b.bytes - a.bytes)) {
    console.log(`    ${kB(script.bytes).padStart(7)}  ${script.path}`)
  }
  return met
}
