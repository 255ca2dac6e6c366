import { join } from 'node:path'
import type { GeoJSONSource } from 'maplibre-gl'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, launchBrowser, signIn, waitForMap } from '../support/browser.ts'

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

  it('signs in through the login form: the form gives way to the map with the township\'s villages', async () => {
    await page.goto(baseUrl)
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
