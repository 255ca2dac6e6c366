import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, launchBrowser, signInToMap } from '../support/browser.ts'

/**
 * The first map does not download the boundary editor (terra-draw), the
 * dashboard (uPlot), deck.gl or the admin screens (issue 11, item 7): each is a
 * chunk fetched when its tab or layer is first opened, and a chunk that fails
 * to load says so instead of leaving a blank tab. Needs the built client
 * (`npx vite build`).
 */

/** Chunks that the first map must not fetch, by the module vite names them after. */
const ON_DEMAND = {
  dashboard: /\/assets\/DashboardView-[\w-]+\.js$/,
  boundaries: /\/assets\/BoundariesView-[\w-]+\.js$/,
  deck: /\/assets\/RiskDeckLayers-[\w-]+\.js$/,
  admin: /\/assets\/AdminView-[\w-]+\.js$/,
} as const

describe.skipIf(!BROWSER_AVAILABLE)('chunks loaded on demand, in headless Chromium', () => {
  let t: TestApp
  let browser: Browser
  let admin: TestUser
  let baseUrl: string

  beforeAll(async () => {
    t = await createTestApp({ withClient: true })
    admin = await t.signIn('admin')
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  /** A page that records the path of every script it requests. */
  async function recordingPage(): Promise<{ page: Page; scripts: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    const scripts: string[] = []
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname
      if (/\.m?js$/.test(path)) scripts.push(path)
    })
    return { page, scripts }
  }

  const fetched = (scripts: string[], chunk: RegExp) => scripts.some((path) => chunk.test(path))

  it('draws the first map without the editor, dashboard, deck.gl or admin chunks, and loads each when opened', { timeout: 300_000 }, async () => {
    const { page, scripts } = await recordingPage()
    try {
      await signInToMap(page, baseUrl, admin, 180_000)
      // The map view has drawn; wait a moment more so that a late import would show up.
      await page.waitForTimeout(500)
      for (const [name, chunk] of Object.entries(ON_DEMAND)) expect(fetched(scripts, chunk), `${name} chunk before its tab`).toBe(false)
      expect(scripts.some((path) => /maplibre-gl-worker-[\w-]+\.mjs$/.test(path)), 'the MapLibre worker is a file').toBe(true)

      await page.click('[data-testid="mode-dashboard"]')
      await page.waitForSelector('[data-testid="dashboard"][data-loading="false"]', { timeout: 30_000 })
      expect(fetched(scripts, ON_DEMAND.dashboard)).toBe(true)
      expect(fetched(scripts, ON_DEMAND.boundaries)).toBe(false)
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'lazy-dashboard.png') })

      await page.click('[data-testid="mode-boundaries"]')
      await page.locator('[data-testid="boundary-editor"]').waitFor({ state: 'visible', timeout: 30_000 })
      expect(fetched(scripts, ON_DEMAND.boundaries)).toBe(true)
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'lazy-boundaries.png') })

      await page.click('[data-testid="mode-map"]')
      expect(fetched(scripts, ON_DEMAND.deck), 'deck.gl before a heatmap is asked for').toBe(false)
      await page.click('[data-testid="risk-mode"]')
      await page.click('[data-heatmap="hazards"]')
      await expect.poll(() => fetched(scripts, ON_DEMAND.deck), { timeout: 30_000 }).toBe(true)
      await page.locator('[data-testid="deck-loading"]').waitFor({ state: 'detached', timeout: 30_000 })
      expect(await page.locator('[data-testid="deck-loading-failed"]').count()).toBe(0)
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'lazy-heatmap.png') })
      expect(fetched(scripts, ON_DEMAND.admin), 'the admin screen is for the security and audit administrators').toBe(false)
    } finally {
      await page.close()
    }
  })

  it('says so, with a reload button, when a chunk cannot be fetched', { timeout: 300_000 }, async () => {
    const { page } = await recordingPage()
    try {
      await page.route(ON_DEMAND.dashboard, (route) => route.abort('internetdisconnected'))
      await signInToMap(page, baseUrl, admin, 180_000)
      await page.click('[data-testid="mode-dashboard"]')
      const failed = page.locator('[data-testid="view-loading-failed"]')
      await failed.waitFor({ state: 'visible', timeout: 30_000 })
      await expect(failed.textContent()).resolves.toContain('功能模块加载失败')
      await expect(failed.locator('button').textContent()).resolves.toBe('重新加载页面')
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'lazy-failed.png') })

      // Once the network is back, the reload brings the dashboard.
      await page.unroute(ON_DEMAND.dashboard)
      await failed.locator('button').click()
      await page.waitForSelector('[data-testid="dashboard"][data-loading="false"]', { timeout: 60_000 })
    } finally {
      await page.close()
    }
  })
})
