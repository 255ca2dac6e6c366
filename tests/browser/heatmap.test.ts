import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerCase } from '../support/analytics.ts'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, centreOn, launchBrowser, signInToMap } from '../support/browser.ts'
import { gridPoints, type GridPoint } from '../support/cases.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'

const CASE_LAYERS = ['hazards-point', 'hazards-cluster', 'disputes-point', 'disputes-cluster', 'key-persons-point']
const DAY_MS = 86_400_000
/** `YYYY-MM-DD` on the township clock (UTC+8). */
const cstDay = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)

/** The deck layers drawn last, as `{ id: dataLength }` (from the map container's `data-deck-layers`). */
async function deckLayers(page: Page): Promise<Record<string, number>> {
  const text = await page.evaluate(() => window.__gridatlas!.map.getContainer().dataset.deckLayers ?? '')
  return Object.fromEntries(text.split(' ').filter(Boolean).map((part) => [part.split(':')[0], Number(part.split(':')[1])]))
}

/** Waits until deck has drawn layer `id` with a data length that `test` accepts. */
async function waitForDeck(page: Page, id: string, test: 'positive' | 'zero'): Promise<void> {
  await page.waitForFunction(
    ({ id, test }) => {
      const text = window.__gridatlas!.map.getContainer().dataset.deckLayers ?? ''
      const match = new RegExp(`(?:^| )${id}:(\\d+)`).exec(text)
      return match !== null && (test === 'positive' ? Number(match[1]) > 0 : Number(match[1]) === 0)
    },
    { id, test },
    { timeout: 30_000 },
  )
}

/** Pixels of the map area that differ (any channel by > 60) between two PNG screenshots, decoded in the page. */
async function differingPixels(page: Page, a: Buffer, b: Buffer): Promise<number> {
  return page.evaluate(
    async ({ a, b }) => {
      const decode = async (base64: string) => {
        const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob())
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
        const context = canvas.getContext('2d')!
        context.drawImage(bitmap, 0, 0)
        return context.getImageData(0, 0, bitmap.width, bitmap.height).data
      }
      const [pa, pb] = [await decode(a), await decode(b)]
      let count = 0
      for (let index = 0; index < Math.min(pa.length, pb.length); index += 4) {
        if (Math.abs(pa[index] - pb[index]) > 60 || Math.abs(pa[index + 1] - pb[index + 1]) > 60 || Math.abs(pa[index + 2] - pb[index + 2]) > 60) count++
      }
      return count
    },
    { a: a.toString('base64'), b: b.toString('base64') },
  )
}

/** A pixel near the map centre on `layer` but on no case point. */
async function pixelOn(page: Page, layer: string): Promise<{ x: number; y: number }> {
  const found = await page.evaluate(
    ({ layer, caseLayers }) => {
      const map = window.__gridatlas!.map
      const centre = map.project(map.getCenter())
      const avoid = caseLayers.filter((candidate) => map.getLayer(candidate))
      for (let radius = 0; radius <= 200; radius += 10) {
        for (let angle = 0; angle < 360; angle += 30) {
          const x = centre.x + radius * Math.cos((angle * Math.PI) / 180)
          const y = centre.y + radius * Math.sin((angle * Math.PI) / 180)
          if (map.queryRenderedFeatures([x, y], { layers: [layer] }).length > 0 && map.queryRenderedFeatures([x, y], { layers: avoid }).length === 0) {
            const rect = map.getCanvas().getBoundingClientRect()
            return { x: rect.left + x, y: rect.top + y }
          }
        }
      }
      return null
    },
    { layer, caseLayers: CASE_LAYERS },
  )
  if (!found) throw new Error(`no free pixel on ${layer}`)
  return found
}

describe.skipIf(!BROWSER_AVAILABLE)('heatmap, playback, bins and joint cases in headless Chromium', () => {
  let t: TestApp
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let dispatcher: TestUser
  let baseUrl: string
  let spot: GridPoint
  let other: GridPoint
  const now = new Date()
  const days = [3, 2, 1].map((back) => cstDay(new Date(now.getTime() - back * DAY_MS)))

  beforeAll(async () => {
    t = await createTestApp({ withClient: true })
    const points = await gridPoints(t.database.engine.db)
    spot = points[0]
    other = points.find((point) => point.villageId !== spot.villageId)!
    dispatcher = await t.signIn('dispatcher')
    // Three days ago: two hazards at `other`; two days ago: none; yesterday: four at `spot`.
    for (let index = 0; index < 2; index++) await registerCase(t, dispatcher, 'hazards', other, { severity: 'high', reportedAt: `${days[0]}T10:0${index}:00+08:00` })
    for (let index = 0; index < 4; index++) await registerCase(t, dispatcher, 'hazards', spot, { severity: 'critical', reportedAt: `${days[2]}T09:0${index}:00+08:00` })
    // A cross-village cluster of disputes yesterday.
    for (let index = 0; index < 4; index++) {
      await registerCase(t, dispatcher, 'disputes', spot, { tier: 'complex', reportedAt: `${days[2]}T11:0${index}:00+08:00` }, [spot.villageId, other.villageId])
    }
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    page = await context.newPage()
    page.on('pageerror', (error) => console.error('page error:', error.message))
    await signInToMap(page, baseUrl, dispatcher)
    await page.click('[data-testid="risk-mode"]')
    await page.click('[data-risk-period="last30"]')
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  }, 240_000)

  it('draws a kernel-density heatmap with deck.gl in software WebGL', async () => {
    await centreOn(page, spot, 14)
    const mapBox = (await page.locator('.maplibregl-canvas').boundingBox())!
    const clip = { x: mapBox.x + mapBox.width / 2 - 200, y: mapBox.y + mapBox.height / 2 - 200, width: 400, height: 400 }
    const before = await page.screenshot({ clip })
    await page.click('[data-heatmap="hazards"]')
    await waitForDeck(page, 'heatmap', 'positive')
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const map = window.__gridatlas!.map
          map.once('idle', () => resolve())
          map.triggerRepaint()
        }),
    )
    const after = await page.screenshot({ clip })
    expect(await differingPixels(page, before, after), 'the heatmap paints pixels around the hazards').toBeGreaterThan(500)
    expect((await deckLayers(page)).heatmap).toBeGreaterThan(0)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'heatmap.png') })
  }, 240_000)

  it('plays back day by day: the frame label advances and the layer changes', async () => {
    await page.check('[data-testid="playback-enable"]')
    await page.fill('[data-testid="playback-from"]', days[0])
    await page.fill('[data-testid="playback-to"]', days[2])
    await page.click('[data-playback-step="day"]')
    await page.waitForSelector(`[data-testid="playback-label"]:text-is("${days[0]}")`)
    await waitForDeck(page, 'heatmap', 'positive')
    const first = (await deckLayers(page)).heatmap
    await page.click('[data-testid="playback-next"]')
    await page.waitForSelector(`[data-testid="playback-label"]:text-is("${days[1]}")`)
    await waitForDeck(page, 'heatmap', 'zero')
    await page.click('[data-testid="playback-play"]')
    await page.waitForSelector(`[data-testid="playback-label"]:text-is("${days[2]}")`, { timeout: 30_000 })
    await page.waitForSelector('[data-testid="playback-play"]', { timeout: 30_000 })
    await waitForDeck(page, 'heatmap', 'positive')
    expect((await deckLayers(page)).heatmap).toBeGreaterThan(0)
    expect(first).toBeGreaterThan(0)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'heatmap-playback.png') })
    await page.uncheck('[data-testid="playback-enable"]')
    await page.click('[data-heatmap="off"]')
  }, 240_000)

  it('lists the cases of a clicked square bin and opens one', async () => {
    await page.click('[data-hexbins="hazards"]')
    await page.click('[data-bin-shape="square"]')
    await page.click('[data-bin-cell="500"]')
    await page.waitForFunction(
      () => {
        const map = window.__gridatlas!.map
        return map.getSource('hexbins') ? map.querySourceFeatures('hexbins').length > 0 : false
      },
      undefined,
      { timeout: 30_000 },
    )
    await centreOn(page, spot, 15)
    const pixel = await pixelOn(page, 'hexbins-fill')
    await page.mouse.click(pixel.x, pixel.y)
    await page.waitForSelector('[data-testid="bin-case-list"] [data-case-id]', { timeout: 15_000 })
    expect(await page.locator('[data-testid="bin-case-list"] [data-case-id]').count()).toBeGreaterThanOrEqual(4)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'bin-cases.png') })
    await page.locator('[data-testid="bin-case-list"] [data-case-id]').first().click()
    await page.waitForSelector('[data-testid="case-panel"]')
    await page.click('[data-testid="case-panel-close"]')
    await page.click('[data-hexbins="off"]')
  }, 240_000)

  it('opens a joint case (联调) from a cluster, sees it in the ledger, and closes it', async () => {
    await page.check('[data-testid="risk-clusters"]')
    await page.waitForSelector('[data-testid="risk-cluster-list"] .badge', { timeout: 30_000 })
    await waitForDeck(page, 'arcs', 'positive')
    const arcs = (await t.app.inject({ url: '/api/analytics/dispute-arcs', headers: dispatcher.headers })).json().arcs
    expect(arcs.length).toBeGreaterThan(0)
    const middle = { lon: (arcs[0].source.lon + arcs[0].target.lon) / 2, lat: (arcs[0].source.lat + arcs[0].target.lat) / 2 }
    await centreOn(page, middle, 12.5)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'heatmap-arcs.png') })
    const cluster = page.locator('[data-testid="risk-cluster-list"] [data-cluster-id]').first()
    await cluster.locator('[data-testid="cluster-open-joint"]').click()
    await page.check('[data-testid="joint-case-form"] [data-station="police"]')
    await page.click('[data-testid="joint-case-submit"]')
    await page.waitForSelector('[data-testid="joint-case-result"]')
    await page.waitForSelector('[data-testid="cluster-joint"]')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'joint-case.png') })
    const listed = (await t.app.inject({ url: '/api/analytics/joint-cases', headers: dispatcher.headers })).json().jointCases
    expect(listed).toHaveLength(1)
    expect(listed[0].stationKeys.sort()).toEqual(['legal-mediation', 'police'])
    expect(listed[0].caseIds.length).toBeGreaterThanOrEqual(3)

    await page.locator(`[data-testid="joint-case-list"] [data-joint-id="${listed[0].id}"] [data-case-id]`).first().click()
    await page.waitForSelector('[data-testid="case-timeline"] li b:text-is("联调")', { timeout: 15_000 })
    await page.click('[data-testid="case-panel-close"]')

    await page.click('[data-testid="joint-close"]')
    await page.fill('[data-testid="joint-case-list"] input[name="reason"]', '双方达成调解协议')
    await page.click('[data-testid="joint-close-confirm"]')
    await page.waitForSelector(`[data-joint-id="${listed[0].id}"][data-status="closed"]`)
    await page.click('[data-lang="en"]')
    await page.waitForSelector('[data-testid="joint-case-list"] >> text=Joint cases')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'joint-case-en.png') })
    await page.click('[data-lang="zh"]')
  }, 240_000)
})
