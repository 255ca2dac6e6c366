import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, launchBrowser, signInToMap } from '../support/browser.ts'

/** A dispute point as drawn: its status and the colour the layer paints it. */
interface DrawnCase {
  status: string
  color: string
}

/** The dispute `id` as rendered in the `disputes-point` layer (vector-tile feature id), or null while it is not drawn. */
async function drawnDispute(page: Page, id: number): Promise<DrawnCase | null> {
  return page.evaluate((caseId) => {
    const map = window.__gridatlas!.map
    const hit = map.queryRenderedFeatures({ layers: ['disputes-point'] }).find((feature) => Number(feature.id) === caseId)
    if (!hit) return null
    const color = (hit.layer.paint as Record<string, unknown> | undefined)?.['circle-color'] as { r: number; g: number; b: number } | undefined
    const hex = color ? '#' + [color.r, color.g, color.b].map((c) => Math.round(c * 255).toString(16).padStart(2, '0')).join('') : ''
    return { status: String(hit.properties.status), color: hex }
  }, id)
}

async function waitForDispute(page: Page, id: number, status: string, timeout = 30_000): Promise<DrawnCase> {
  const until = Date.now() + timeout
  for (;;) {
    const drawn = await drawnDispute(page, id)
    if (drawn?.status === status) return drawn
    if (Date.now() > until) throw new Error(`dispute ${id} not drawn as ${status} (last: ${JSON.stringify(drawn)})`)
    await page.waitForTimeout(200)
  }
}

describe.skipIf(!BROWSER_AVAILABLE)('cases on the map in headless Chromium', { timeout: 240_000 }, () => {
  let t: TestApp
  let browser: Browser
  let dispatcherContext: BrowserContext
  let leaderContext: BrowserContext
  let dispatcherPage: Page
  let leaderPage: Page
  let dispatcher: TestUser
  let leader: TestUser
  let baseUrl: string
  let disputeId = 0
  let registeredColor = ''

  beforeAll(async () => {
    t = await createTestApp({ withClient: true })
    dispatcher = await t.signIn('dispatcher')
    leader = await t.signIn('leader')
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
    dispatcherContext = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    leaderContext = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    dispatcherPage = await dispatcherContext.newPage()
    leaderPage = await leaderContext.newPage()
    await Promise.all([signInToMap(dispatcherPage, baseUrl, dispatcher, 120_000), signInToMap(leaderPage, baseUrl, leader, 120_000)])
    await Promise.all([
      dispatcherPage.waitForSelector('[data-testid="live-status"][data-live="true"]', { timeout: 10_000 }),
      leaderPage.waitForSelector('[data-testid="live-status"][data-live="true"]', { timeout: 10_000 }),
    ])
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('registers a dispute by clicking the map inside a village', async () => {
    const page = dispatcherPage
    await page.click('[data-testid="register-button"]')
    await page.locator('[data-testid="placing-hint"]').waitFor({ state: 'visible' })
    const point = await page.evaluate(() => {
      const map = window.__gridatlas!.map
      const canvas = map.getCanvas().getBoundingClientRect()
      const center = map.project(map.getCenter())
      const hits = map.queryRenderedFeatures([center.x, center.y], { layers: ['villages-fill'] })
      if (hits.length === 0) throw new Error('no village under the map centre')
      return { x: canvas.left + center.x, y: canvas.top + center.y }
    })
    await page.mouse.click(point.x, point.y)

    const sheet = page.locator('[data-testid="register-sheet"]')
    await sheet.waitFor({ state: 'visible' })
    await sheet.locator('textarea[name="description"]').fill('两户村民因宅基地边界发生争执，需调解')
    const rows = sheet.locator('[data-testid="party-row"]')
    await expect(rows.count()).resolves.toBe(2)
    await rows.nth(0).locator('input[name="party-name"]').fill('杨某甲')
    await rows.nth(0).locator('select[name="party-village"]').selectOption({ index: 1 })
    await rows.nth(1).locator('input[name="party-name"]').fill('赵某乙')
    await rows.nth(1).locator('select[name="party-village"]').selectOption({ index: 2 })
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cases-register-form.png') })
    await sheet.locator('[data-testid="register-submit"]').click()

    const panel = page.locator('[data-testid="case-panel"]')
    await panel.locator('[data-testid="case-status"][data-status="registered"]').waitFor({ timeout: 10_000 })
    const badge = await panel.locator('.badge').first().textContent()
    disputeId = Number(/#(\d+)/.exec(badge ?? '')?.[1])
    expect(disputeId).toBeGreaterThan(0)
    await expect(panel.textContent()).resolves.toContain('已登记')

    const drawn = await waitForDispute(page, disputeId, 'registered')
    registeredColor = drawn.color
    expect(registeredColor).toMatch(/^#[0-9a-f]{6}$/)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cases-registered.png') })
  })

  it('shows the new dispute to a leader through the live feed, without reloading', async () => {
    const drawn = await waitForDispute(leaderPage, disputeId, 'registered', 20_000)
    expect(drawn.color).toBe(registeredColor)
    const persons = await leaderPage.evaluate(() => window.__gridatlas!.map.getLayer('key-persons-heat-fill') !== undefined)
    expect(persons).toBe(true)
  })

  it('dispatches it from the case panel; both maps recolour the point', async () => {
    const page = dispatcherPage
    const panel = page.locator('[data-testid="case-panel"]')
    await panel.locator('[data-action="dispatch"]').click()
    const form = panel.locator('[data-testid="action-form-dispatch"]')
    await form.waitFor({ state: 'visible' })
    await expect(form.locator('select[name="station"]').inputValue()).resolves.toBe('legal-mediation')
    await form.locator('input[name="mediator"]').fill('张调解员')
    await form.locator('[data-testid="action-submit"]').click()
    await panel.locator('[data-testid="case-status"][data-status="dispatched"]').waitFor({ timeout: 10_000 })
    await expect(panel.locator('[data-testid="case-station"]').textContent()).resolves.toContain('法律服务及矛盾纠纷调处站')
    await panel.locator('[data-testid="case-timeline"] li').nth(1).waitFor({ timeout: 10_000 })
    await expect(panel.locator('[data-testid="case-timeline"] li').count()).resolves.toBe(2)

    const mine = await waitForDispute(page, disputeId, 'dispatched')
    expect(mine.color).not.toBe(registeredColor)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cases-dispatched.png') })

    const theirs = await waitForDispute(leaderPage, disputeId, 'dispatched', 20_000)
    expect(theirs.color).toBe(mine.color)
    await leaderPage.mouse.move(10, 500)
    await leaderPage.screenshot({ path: join(ARTIFACTS_DIR, 'cases-leader-live.png') })
  })

  it('opens the case panel for the leader from the map, read-only', async () => {
    const page = leaderPage
    const point = await page.evaluate((caseId) => {
      const map = window.__gridatlas!.map
      const hit = map.queryRenderedFeatures({ layers: ['disputes-point'] }).find((feature) => Number(feature.id) === caseId)!
      const [lon, lat] = (hit.geometry as GeoJSON.Point).coordinates
      const pixel = map.project([lon, lat])
      const canvas = map.getCanvas().getBoundingClientRect()
      return { x: canvas.left + pixel.x, y: canvas.top + pixel.y }
    }, disputeId)
    await page.mouse.click(point.x, point.y)
    const panel = page.locator('[data-testid="case-panel"]')
    await panel.locator('[data-testid="case-status"][data-status="dispatched"]').waitFor({ timeout: 10_000 })
    await expect(panel.locator('[data-action]').count()).resolves.toBe(0)
    await expect(page.locator('[data-testid="area-panel"]').count()).resolves.toBe(0)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cases-leader-panel.png') })
  })

  it('works as a bottom sheet on a phone', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true })
    const page = await phone.newPage()
    await signInToMap(page, baseUrl, dispatcher, 120_000)
    await page.click('[data-testid="register-button"]')
    const point = await page.evaluate(() => {
      const map = window.__gridatlas!.map
      const canvas = map.getCanvas().getBoundingClientRect()
      const center = map.project(map.getCenter())
      return { x: canvas.left + center.x, y: canvas.top + center.y - 40 }
    })
    await page.mouse.click(point.x, point.y)
    const sheet = page.locator('[data-testid="register-sheet"]')
    await sheet.waitFor({ state: 'visible' })
    const box = await sheet.boundingBox()
    expect(box!.width).toBeGreaterThan(380)
    expect(box!.y + box!.height).toBeGreaterThan(840)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cases-phone-register.png') })
    await phone.close()
  })
})
