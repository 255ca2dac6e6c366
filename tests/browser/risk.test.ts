import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { daysBefore, registerCase } from '../support/analytics.ts'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, centreOn, launchBrowser, signInToMap } from '../support/browser.ts'
import { gridPoints, type GridPoint } from '../support/cases.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'

const CASE_LAYERS = ['hazards-point', 'hazards-cluster', 'disputes-point', 'disputes-cluster', 'key-persons-point']

/** A pixel near the map centre that hits `layer` (with feature id `id` when given) but no case point. */
async function pixelOn(page: Page, layer: string, id: number | null): Promise<{ x: number; y: number }> {
  const found = await page.evaluate(
    ({ layer, id, caseLayers }) => {
      const map = window.__gridatlas!.map
      const centre = map.project(map.getCenter())
      const avoid = caseLayers.filter((candidate) => map.getLayer(candidate))
      for (let radius = 20; radius <= 200; radius += 10) {
        for (let angle = 0; angle < 360; angle += 30) {
          const x = centre.x + radius * Math.cos((angle * Math.PI) / 180)
          const y = centre.y + radius * Math.sin((angle * Math.PI) / 180)
          const hits = map.queryRenderedFeatures([x, y], { layers: [layer] })
          const ok = hits.some((hit) => id === null || Number(hit.id) === id)
          if (ok && map.queryRenderedFeatures([x, y], { layers: avoid }).length === 0) {
            const rect = map.getCanvas().getBoundingClientRect()
            return { x: rect.left + x, y: rect.top + y }
          }
        }
      }
      return null
    },
    { layer, id, caseLayers: CASE_LAYERS },
  )
  if (!found) throw new Error(`no free pixel on ${layer} ${id ?? ''}`)
  return found
}

describe.skipIf(!BROWSER_AVAILABLE)('risk map in headless Chromium', () => {
  let t: TestApp
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let leader: TestUser
  let baseUrl: string
  let spot: GridPoint
  let other: GridPoint

  beforeAll(async () => {
    t = await createTestApp({ withClient: true })
    const points = await gridPoints(t.database.engine.db)
    spot = points[0]
    other = points.find((point) => point.villageId !== spot.villageId)!
    const dispatcher = await t.signIn('dispatcher')
    leader = await t.signIn('leader')
    const now = new Date()
    // This month (the window starts on the 1st, CST; keep within the last day or so).
    const recent = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString()
    await registerCase(t, dispatcher, 'hazards', spot, { severity: 'critical', reportedAt: recent(2) })
    await registerCase(t, dispatcher, 'hazards', spot, { severity: 'high', reportedAt: recent(3) })
    for (let index = 0; index < 4; index++) {
      await registerCase(t, dispatcher, 'disputes', spot, { tier: 'complex', reportedAt: recent(4 + index) }, [spot.villageId, other.villageId])
    }
    await registerCase(t, dispatcher, 'hazards', other, { severity: 'medium', reportedAt: daysBefore(now, 0.2).toISOString() })
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    page = await context.newPage()
    await signInToMap(page, baseUrl, leader)
  })

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('draws the four-colour risk map of base grids', async () => {
    await page.click('[data-testid="risk-mode"]')
    await page.waitForFunction(() => (window.__gridatlas!.map.getSource('risk') ? window.__gridatlas!.map.querySourceFeatures('risk').length > 0 : false), undefined, {
      timeout: 30_000,
    })
    await centreOn(page, spot, 14.5)
    const drawn = await page.evaluate(() => {
      const map = window.__gridatlas!.map
      return map.queryRenderedFeatures({ layers: ['risk-fill'] }).map((feature) => ({ id: Number(feature.id), colour: String(feature.properties.colour), score: Number(feature.properties.score) }))
    })
    expect(drawn.length).toBeGreaterThan(0)
    for (const feature of drawn) expect(['blue', 'yellow', 'orange', 'red']).toContain(feature.colour)
    const mine = drawn.find((feature) => feature.id === spot.baseGridId)
    expect(mine, 'the grid with the new cases is drawn').toBeDefined()
    expect(mine!.score).toBeGreaterThan(0)
    expect(mine!.colour).not.toBe('blue')
    expect(await page.locator('[data-testid="risk-legend"] [data-colour]').count()).toBe(4)
    await page.click('[data-testid="risk-how"]')
    await page.waitForSelector('[data-testid="risk-formula"]')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'risk-map.png') })
    await page.click('[data-testid="risk-how"]')
  })

  it('explains a coloured grid on click', async () => {
    const pixel = await pixelOn(page, 'risk-fill', spot.baseGridId)
    await page.mouse.click(pixel.x, pixel.y)
    await page.waitForSelector('[data-testid="risk-explain-cases"] tr', { timeout: 15_000 })
    const rows = await page.locator('[data-testid="risk-explain-cases"] tr').count()
    expect(rows).toBeGreaterThanOrEqual(6)
    expect(Number(await page.textContent('[data-testid="risk-explain-score"]'))).toBeGreaterThan(0)
    expect(await page.locator('[data-testid="risk-explain-persons"] li').count()).toBe(4)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'risk-explain.png') })
  })

  it('toggles dispute hex bins and shows a count on click', async () => {
    await page.click('[data-hexbins="disputes"]')
    await page.waitForFunction(() => (window.__gridatlas!.map.getSource('hexbins') ? window.__gridatlas!.map.querySourceFeatures('hexbins').length > 0 : false), undefined, {
      timeout: 30_000,
    })
    await centreOn(page, spot, 15)
    const counts = await page.evaluate(() => window.__gridatlas!.map.queryRenderedFeatures({ layers: ['hexbins-fill'] }).map((feature) => Number(feature.properties.count)))
    expect(counts.reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(4)
    const pixel = await pixelOn(page, 'hexbins-fill', null)
    await page.mouse.click(pixel.x, pixel.y)
    await page.waitForSelector('[data-testid="hexbin-count"]')
    expect(await page.textContent('[data-testid="hexbin-count"]')).toMatch(/\d+/)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'risk-hexbins.png') })
  })

  it('shows dispute clusters, cross-village arcs and the change view', async () => {
    await page.click('[data-hexbins="off"]')
    await page.click('[data-testid="risk-clusters"]')
    await page.waitForSelector('[data-testid="risk-cluster-list"] .badge', { timeout: 30_000 })
    // The list renders from the response at once; the map's source parses the same data in its worker afterwards.
    await page.waitForFunction(() => window.__gridatlas!.map.querySourceFeatures('clusters').length > 0, undefined, { timeout: 30_000 })
    const clusters = await page.evaluate(() => window.__gridatlas!.map.querySourceFeatures('clusters').map((feature) => feature.properties.crossVillage))
    expect(clusters.length).toBeGreaterThan(0)
    await page.click('[data-testid="risk-change"]')
    await page.waitForSelector('[data-testid="risk-rising"] [data-area-id]', { timeout: 30_000 })
    await page.click(`[data-testid="risk-rising"] [data-area-id="${spot.baseGridId}"]`)
    await page.waitForTimeout(1200)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'risk-change-clusters.png') })
  }, 180_000)

  it('offers no risk map to grid workers', async () => {
    const worker = await t.signIn('grid_worker', { gridIds: [spot.baseGridId] })
    const workerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const workerPage = await workerContext.newPage()
    try {
      await signInToMap(workerPage, baseUrl, worker)
      expect(await workerPage.locator('[data-testid="risk-controls"]').count()).toBe(0)
    } finally {
      await workerContext.close()
    }
  })

  it('switches the legend and labels to English', async () => {
    await page.click('[data-testid="risk-change"]')
    await page.click('[data-lang="en"]')
    await page.waitForSelector('[data-testid="risk-legend"] >> text=Four-colour grade')
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('en')
    await expect(page.textContent('[data-testid="risk-legend"]')).resolves.toContain('Four-colour grade')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'risk-en.png') })
    await page.click('[data-lang="zh"]')
  })
})
