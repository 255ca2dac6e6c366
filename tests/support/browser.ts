import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { ROOT } from '../setup/template.ts'
import { TEST_PASSWORD } from './test-password.ts'

/** What the browser tests read (client/src/lib/map/test-hooks.util.ts declares the same shape; keep them identical). */
declare global {
  interface Window {
    __gridatlas?: { map: import('maplibre-gl').Map; ready?: boolean }
    __gridatlasTest?: { fadeDurationMs?: number; renderScale?: number; pulse?: boolean }
  }
}

/** Debian's Chromium, driven by playwright-core. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Whether browser tests can run here. Under CI (CI=true) a missing Chromium
 * is an error, not a skip, so that a broken install cannot pass silently.
 */
export const BROWSER_AVAILABLE = existsSync(CHROMIUM_PATH)
if (!BROWSER_AVAILABLE && process.env.CI) {
  throw new Error(`Chromium not found at ${CHROMIUM_PATH}; .ci/run installs it (apt-get install -y chromium)`)
}

/** Folder for screenshots taken by browser tests. */
export const ARTIFACTS_DIR = join(ROOT, 'tests/artifacts')

/**
 * How the map draws in tests (client/src/lib/map/test-hooks.ts reads it): no
 * symbol fades, no pulsing halos, and the canvas at `renderScale` of the
 * device pixels.
 *
 * Why: WebGL here is software (SwiftShader); a map frame costs CPU in
 * proportion to its pixels (measured: ~0.3 CPU-s per frame at 1600×1000, ~0.13
 * at 1024×640), and each fade adds frames (a zoom drew 5–6 frames, 3 without
 * fades). That drawing was most of the suite's CPU. At 0.5 the map's canvas
 * has a quarter of the pixels and is stretched to the same CSS size: layout,
 * clicks, `queryRenderedFeatures` and screenshots' sizes are unchanged, the
 * map in screenshots is softer. `TEST_MAP_RENDER_SCALE=1` draws it sharp.
 */
export const TEST_MAP_OPTIONS = {
  fadeDurationMs: 0,
  /**
   * Overdue halos drawn still instead of pulsing (client/src/lib/features/cases/layer.ts):
   * the pulse redraws the map for 1 s out of every 1.7 s, idle or not, and a
   * page's software GPU process spent ~0.5 CPU-s per second on it (measured:
   * 2.2–3 CPU-s per 5 s of an idle map page). `TEST_MAP_PULSE=on` keeps it.
   */
  pulse: process.env.TEST_MAP_PULSE === 'on',
  renderScale: Number(process.env.TEST_MAP_RENDER_SCALE ?? 0.5),
}

/** The flags this machine needs. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  // --disable-gpu keeps compositing in software: with SwiftShader compositing (no --disable-gpu) map frames cost several times more CPU.
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
]

/** The Chromium of this worker process, launched by the first {@link launchBrowser} and shared by later ones. */
let sharedChromium: Promise<Browser> | undefined

/**
 * This worker's Chromium, launched on first use and again if it went away.
 *
 * Why shared: test files run in two long-lived workers that keep their
 * modules between files (vitest `isolate: false`), and a fresh Chromium per
 * file paid its start and, in its GPU process, SwiftShader's compilation of
 * every MapLibre shader again. Files stay apart: each gets its own contexts
 * (own cookies, storage and HTTP cache) and closes them; Playwright ends the
 * browser when the worker exits.
 */
async function workerChromium(): Promise<Browser> {
  const running = await sharedChromium?.catch(() => undefined)
  if (running?.isConnected()) return running
  sharedChromium = chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
  return sharedChromium
}

/**
 * Headless Chromium for one test file: the worker's shared browser
 * ({@link workerChromium}) seen through a handle whose `close()` closes the
 * contexts (and pages) this file opened, not the browser (outside vitest, a
 * browser of its own that `close()` closes). Every page of every
 * context it opens gets {@link TEST_MAP_OPTIONS} (with `mapOptions` over
 * them) before its scripts run; a test that asserts the map canvas's pixel
 * size passes `{ renderScale: 1 }`.
 */
export async function launchBrowser(mapOptions: Partial<typeof TEST_MAP_OPTIONS> = {}): Promise<Browser> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true })
  // Outside vitest (a benchmark) nothing would close a shared browser: its own, closed by close().
  const shared = Boolean(process.env.VITEST)
  const browser = shared ? await workerChromium() : await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
  const opened = new Set<BrowserContext>()
  const newContext: Browser['newContext'] = async (options) => {
    // Reduced motion: MapLibre then jumps instead of flying (flyTo, easeTo, fitBounds), as it does
    // for users who ask for it. Each camera animation drew frames in software for up to 0.8 s.
    const context = await browser.newContext({ reducedMotion: 'reduce', ...options })
    opened.add(context)
    context.once('close', () => opened.delete(context))
    await context.addInitScript((options) => {
      window.__gridatlasTest = options
    }, { ...TEST_MAP_OPTIONS, ...mapOptions })
    return context
  }
  // Like Browser.newPage: a page in a context of its own, closed with the page.
  const newPage: Browser['newPage'] = async (options) => {
    const context = await newContext(options)
    const page = await context.newPage()
    page.once('close', () => void context.close().catch(() => undefined))
    return page
  }
  const close: Browser['close'] = async (options) => {
    if (!shared) return browser.close(options)
    await Promise.all([...opened].map((context) => context.close().catch(() => undefined)))
  }
  const own: Partial<Browser> = { newContext, newPage, close }
  return new Proxy(browser, {
    get(target, key) {
      if (key in own) return own[key as keyof Browser]
      const value = Reflect.get(target, key, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/**
 * Fills the sign-in form already on `page` and submits it. Waits for nothing
 * afterwards: the caller waits for what the sign-in should show (the map,
 * the audit log, a second-factor step, an error).
 */
export async function signIn(page: Page, username: string, password: string = TEST_PASSWORD): Promise<void> {
  await page.fill('input[name="username"]', username)
  await page.fill('input[name="password"]', password)
  await page.click('button[type="submit"]')
}

/** Waits until the map has drawn for the first time (`window.__gridatlas.ready`, set at its first `idle`). */
export async function waitForMap(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(() => window.__gridatlas?.ready === true, undefined, { timeout })
}

/** Opens `baseUrl`, signs `user` in through the form and waits for the map ({@link waitForMap}). */
export async function signInToMap(page: Page, baseUrl: string, user: { username: string }, timeout = 60_000): Promise<void> {
  await page.goto(baseUrl)
  await signIn(page, user.username)
  await waitForMap(page, timeout)
}

/** Centres the map on `point` at `zoom` without animation and waits for its next `idle` (moved, loaded and drawn). */
export async function centreOn(page: Page, point: { lon: number; lat: number }, zoom: number): Promise<void> {
  await page.evaluate(
    ({ lon, lat, zoom }) =>
      new Promise<void>((resolve) => {
        const map = window.__gridatlas!.map
        map.once('idle', () => resolve())
        map.jumpTo({ center: [lon, lat], zoom })
      }),
    { lon: point.lon, lat: point.lat, zoom },
  )
}

/**
 * Draws the map's canvas at `renderScale` of the device pixels from now on
 * (like {@link TEST_MAP_OPTIONS}, but for one test) and waits until it has
 * drawn at that size.
 */
export async function mapPixelRatio(page: Page, renderScale: number): Promise<void> {
  await page.evaluate(
    (renderScale) =>
      new Promise<void>((resolve) => {
        const map = window.__gridatlas!.map
        map.once('idle', () => resolve())
        map.setPixelRatio(window.devicePixelRatio * renderScale)
        map.triggerRepaint()
      }),
    renderScale,
  )
}
