import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { ROOT } from '../setup/template.ts'
import { TEST_PASSWORD } from './test-password.ts'

/** What the browser tests read (client/src/lib/map/test-hooks.util.ts declares the same shape; keep them identical). */
declare global {
  interface Window {
    __gridatlas?: { map: import('maplibre-gl').Map; ready?: boolean }
    __gridatlasTest?: { fadeDurationMs?: number; renderScale?: number }
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
 * symbol fades, and the canvas at `renderScale` of the device pixels.
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
  renderScale: Number(process.env.TEST_MAP_RENDER_SCALE ?? 0.5),
}

/**
 * Launches headless Chromium with the flags this machine needs. Every page of
 * every context it opens gets {@link TEST_MAP_OPTIONS} (with `mapOptions` over
 * them) before its scripts run; a test that asserts the map canvas's pixel
 * size passes `{ renderScale: 1 }`.
 */
export async function launchBrowser(mapOptions: Partial<typeof TEST_MAP_OPTIONS> = {}): Promise<Browser> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true })
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    // --disable-gpu keeps compositing in software: with SwiftShader compositing (no --disable-gpu) map frames cost several times more CPU.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  })
  // browser.newPage() goes through newContext() too, so this covers both.
  const newContext = browser.newContext.bind(browser)
  browser.newContext = async (options) => {
    const context = await newContext(options)
    await context.addInitScript((options) => {
      window.__gridatlasTest = options
    }, { ...TEST_MAP_OPTIONS, ...mapOptions })
    return context
  }
  return browser
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
