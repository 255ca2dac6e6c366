import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, TEST_PASSWORD, type TestApp, type TestUser } from '../support/test-app.ts'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, launchBrowser } from '../support/browser.ts'

declare global {
  interface Window {
    __gridatlas?: { map: import('maplibre-gl').Map; ready?: boolean }
  }
}

describe.skipIf(!BROWSER_AVAILABLE)('the map in headless Chromium', () => {
  let t: TestApp
  let browser: Browser
  let page: Page
  let user: TestUser
  let baseUrl: string

  beforeAll(async () => {
    t = await createTestApp({ withClient: true })
    user = await t.signIn('leader')
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
  })

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('signs in through the login form', async () => {
    await page.goto(baseUrl)
    await page.fill('input[name="username"]', user.username)
    await page.fill('input[name="password"]', TEST_PASSWORD)
    await page.click('button[type="submit"]')
    await page.waitForFunction(() => window.__gridatlas?.ready === true, undefined, { timeout: 60_000 })
  })

  it('renders the village layer from the API, with the sample-data mark', async () => {
    const rendered = await page.evaluate(() => {
      const map = window.__gridatlas!.map
      const villages = map.queryRenderedFeatures({ layers: ['villages-fill'] })
      return new Set(villages.map((feature) => feature.properties.code)).size
    })
    expect(rendered).toBeGreaterThanOrEqual(10)
    await expect(page.locator('[data-testid="sample-badge"]').isVisible()).resolves.toBe(true)
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
