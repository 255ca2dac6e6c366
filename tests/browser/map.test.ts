import { join } from 'node:path'
import type { GeoJSONSource } from 'maplibre-gl'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestUser } from '../support/test-app.ts'
import { serveAppForFile } from '../support/served-app.ts'
import { registerCase } from '../support/analytics.ts'
import { gridPoints, type GridPoint } from '../support/cases.ts'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, centreOn, launchBrowser, signIn, signInToMap, waitForMap } from '../support/browser.ts'

/*
 * The map in headless Chromium, and the overdue halo's pulse: two parts
 * sharing one app and server (a browser file paid ~15–45 s of setup of its
 * own). The pulse part registers an overdue hazard, so it runs second.
 */
const served = serveAppForFile()

describe.skipIf(!BROWSER_AVAILABLE)('the map in headless Chromium', () => {
  let browser: Browser
  let page: Page
  let user: TestUser

  beforeAll(async () => {
    user = await served.t.signIn('leader')
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  })

  afterAll(async () => {
    await browser?.close()
  })

  it('signs in through the login form: the form gives way to the map with the township\'s villages', async () => {
    await page.goto(served.baseUrl)
    await signIn(page, user.username)
    await waitForMap(page)
    await expect(page.locator('input[name="password"]').count()).resolves.toBe(0)
    await expect(page.textContent('[data-testid="current-user"] .name')).resolves.toBe(user.username)
    await expect(page.textContent('[data-testid="current-user"] .role')).resolves.toBe('镇领导')
    const villages = await page.evaluate(async () => {
      const map = window.__gridatlas!.map
      const source = map.getSource<GeoJSONSource>('villages')
      if (!source || !map.getLayer('villages-fill')) return null
      const data = await source.getData()
      return 'features' in data ? data.features.map((feature) => String(feature.properties?.code)).sort() : null
    })
    // geodata/xizhou: 13 villages, coded 532901101201 … 532901101213.
    expect(villages).toHaveLength(13)
    expect(villages!.every((code) => /^5329011012(0[1-9]|1[0-3])$/.test(code))).toBe(true)
  })

  it('renders the village layer from the API, with the sample-data mark', async () => {
    const rendered = await page.evaluate(() => {
      const map = window.__gridatlas!.map
      const villages = map.queryRenderedFeatures({ layers: ['villages-fill'] })
      return new Set(villages.map((feature) => feature.properties.code)).size
    })
    expect(rendered).toBeGreaterThanOrEqual(10)
    await expect(page.locator('[data-testid="sample-badge"]').isVisible()).resolves.toBe(true)
    // On a 1280×800 screen the layer panel used to reach over the scale bar.
    const panel = (await page.locator('aside.panel').first().boundingBox())!
    const scale = (await page.locator('.maplibregl-ctrl-scale').boundingBox())!
    expect(panel.y + panel.height).toBeLessThan(scale.y)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'map-zh.png') })
  })

  it('opens the side panel for a clicked area', async () => {
    const point = await page.evaluate(() => {
      const map = window.__gridatlas!.map
      const canvas = map.getCanvas().getBoundingClientRect()
      const center = map.project(map.getCenter())
      const hits = map.queryRenderedFeatures([center.x, center.y], { layers: ['villages-fill'] })
      if (hits.length === 0) throw new Error('no village under the map centre')
      return { x: canvas.left + center.x, y: canvas.top + center.y }
    })
    await page.mouse.click(point.x, point.y)
    const panel = page.locator('[data-testid="area-panel"]')
    await panel.waitFor({ state: 'visible', timeout: 10_000 })
    const code = panel.locator('[data-testid="area-code"]')
    await code.waitFor({ state: 'visible', timeout: 10_000 })
    await expect(code.textContent()).resolves.toMatch(/5329011012\d{2}/)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'map-panel-zh.png') })
  })

  it('switches the interface to English', async () => {
    await page.click('[data-lang="en"]')
    await page.waitForFunction(() => document.documentElement.lang === 'en')
    const text = await page.textContent('body')
    expect(text).toMatch(/Sample data/i)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'map-en.png') })
  })
})

/*
 * The overdue halo's pulse repaints the whole map for a second out of every
 * 1.7. It runs only while an overdue halo is in view, and not at all when the
 * system asks for reduced motion (phones and field tablets would otherwise
 * spend battery on an idle map). Counted as the map's `render` events over a
 * few seconds after it went idle; the suite's other files switch the pulse
 * off (TEST_MAP_OPTIONS), this one switches it on.
 */
const WATCH_MS = 2_500

/** Render events of the map during `WATCH_MS`, counted from its next idle. */
async function rendersWhileWatching(page: Page): Promise<number> {
  return page.evaluate(
    (watchMs) =>
      new Promise<number>((resolve) => {
        const map = window.__gridatlas!.map
        const count = () => {
          let renders = 0
          const onRender = () => (renders += 1)
          map.on('render', onRender)
          setTimeout(() => {
            map.off('render', onRender)
            resolve(renders)
          }, watchMs)
        }
        if (map.loaded() && !map.isMoving()) count()
        else map.once('idle', count)
      }),
    WATCH_MS,
  )
}

describe.skipIf(!BROWSER_AVAILABLE)('the overdue halo pulses only when one is in view and motion is welcome', () => {
  let browser: Browser
  let leader: TestUser
  let overdue: GridPoint

  beforeAll(async () => {
    const db = served.t.database.engine.db
    overdue = (await gridPoints(db))[3]
    const dispatcher = await served.t.signIn('dispatcher')
    const id = await registerCase(served.t, dispatcher, 'hazards', overdue, { severity: 'high', reportedAt: new Date(Date.now() - 10 * 86_400_000).toISOString() })
    await db.updateTable('cases').set({ deadline_at: new Date(Date.now() - 86_400_000) }).where('id', '=', id).execute()
    leader = await served.t.signIn('leader')
    browser = await launchBrowser({ pulse: true })
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
  })

  it('repaints while an overdue case is in view, and not once when none is', async () => {
    // Motion welcome (test contexts default to reduced motion, tests/support/browser.ts).
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 }, reducedMotion: 'no-preference' })
    await signInToMap(page, served.baseUrl, leader)
    await centreOn(page, overdue, 16)
    await page.waitForFunction(() => window.__gridatlas!.map.queryRenderedFeatures({ layers: ['hazards-halo'] }).length > 0, undefined, { timeout: 30_000 })
    expect(await rendersWhileWatching(page), 'renders with an overdue halo in view').toBeGreaterThan(5)
    // North of the township: nothing of it in view.
    await centreOn(page, { lon: overdue.lon, lat: overdue.lat + 0.2 }, 16)
    expect(await page.evaluate(() => window.__gridatlas!.map.queryRenderedFeatures({ layers: ['hazards-halo'] }).length)).toBe(0)
    expect(await rendersWhileWatching(page), 'renders with no halo in view').toBe(0)
    await page.close()
  })

  it('never pulses when the system asks for reduced motion', async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, reducedMotion: 'reduce' })
    const page = await context.newPage()
    await signInToMap(page, served.baseUrl, leader)
    await centreOn(page, overdue, 16)
    await page.waitForFunction(() => window.__gridatlas!.map.queryRenderedFeatures({ layers: ['hazards-halo'] }).length > 0, undefined, { timeout: 30_000 })
    expect(await rendersWhileWatching(page), 'renders with an overdue halo in view, reduced motion').toBe(0)
    await context.close()
  })
})
