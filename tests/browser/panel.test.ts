import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, launchBrowser, signInToMap } from '../support/browser.ts'
import { caseClient, disputeFeature, gridPoints } from '../support/cases.ts'

/** Every right-hand panel's root test id. */
const PANELS = ['area-panel', 'case-panel', 'person-panel', 'dispatch-queue', 'lead-list', 'register-sheet', 'risk-explain', 'bin-cases']

/** The test ids of the right-hand panels now in the page. */
async function openPanels(page: Page): Promise<string[]> {
  return page.evaluate((ids) => ids.filter((id) => document.querySelector(`[data-testid="${id}"]`) !== null), PANELS)
}

/** Waits until exactly `expected` (or no panel, for `null`) is open. */
async function expectOnly(page: Page, expected: string | null): Promise<void> {
  const wanted = expected === null ? [] : [expected]
  const until = Date.now() + 10_000
  for (;;) {
    const open = await openPanels(page)
    if (JSON.stringify(open) === JSON.stringify(wanted)) return
    if (Date.now() > until) expect(open).toEqual(wanted)
    await page.waitForTimeout(100)
  }
}

/** The page position of the map centre, which lies inside a village. */
async function mapCentre(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate(() => {
    const map = window.__gridatlas!.map
    const canvas = map.getCanvas().getBoundingClientRect()
    const center = map.project(map.getCenter())
    if (map.queryRenderedFeatures([center.x, center.y], { layers: ['villages-fill'] }).length === 0) throw new Error('no village under the map centre')
    return { x: canvas.left + center.x, y: canvas.top + center.y }
  })
}

describe.skipIf(!BROWSER_AVAILABLE)('the right-hand panel in headless Chromium', { timeout: 240_000 }, () => {
  let t: TestApp
  let browser: Browser
  let page: Page
  let dispatcher: TestUser
  let disputeId = 0
  let villageNameEn = ''

  beforeAll(async () => {
    t = await createTestApp({ withClient: true })
    dispatcher = await t.signIn('dispatcher')
    const [own] = await gridPoints(t.database.engine.db)
    const registered = await caseClient(t).register(dispatcher, 'disputes', disputeFeature(own, [own.villageId]))
    expect(registered.statusCode, registered.body).toBe(201)
    disputeId = registered.json().id
    villageNameEn = registered.json().properties.village.nameEn
    const baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    page = await context.newPage()
    await signInToMap(page, baseUrl, dispatcher, 120_000)
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('opens one panel at a time: an area, then the queue, a case from it, the lead list', async () => {
    await expectOnly(page, null)
    const point = await mapCentre(page)
    await page.mouse.click(point.x, point.y)
    await expectOnly(page, 'area-panel')

    await page.click('[data-testid="queue-button"]')
    await expectOnly(page, 'dispatch-queue')
    await page.click(`[data-testid="dispatch-queue"] [data-case-id="${disputeId}"]`)
    await expectOnly(page, 'case-panel')
    await page.locator('[data-testid="case-status"]').waitFor({ state: 'visible', timeout: 10_000 })

    await page.click('[data-testid="leads-button"]')
    await expectOnly(page, 'lead-list')
  })

  it('closes the open panel with its close button, and registration replaces it', async () => {
    await page.click('[data-testid="lead-list-close"]')
    await expectOnly(page, null)
    await page.click('[data-testid="queue-button"]')
    await expectOnly(page, 'dispatch-queue')
    // Starting registration closes the panel; picking the point opens the form.
    await page.click('[data-testid="register-button"]')
    await expectOnly(page, null)
    const point = await mapCentre(page)
    await page.mouse.click(point.x, point.y)
    await expectOnly(page, 'register-sheet')
    await page.click('[data-testid="register-sheet-close"]')
    await expectOnly(page, null)
  })

  it('shows the case in both languages, with the village name of each', async () => {
    await page.click('[data-testid="queue-button"]')
    await page.click(`[data-testid="dispatch-queue"] [data-case-id="${disputeId}"]`)
    await expectOnly(page, 'case-panel')
    const panel = page.locator('[data-testid="case-panel"]')
    await panel.locator('[data-testid="case-status"]').waitFor({ state: 'visible', timeout: 10_000 })
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'panel-case-zh.png') })
    await page.click('[data-lang="en"]')
    await page.waitForFunction(() => document.documentElement.lang === 'en')
    expect(villageNameEn).toMatch(/\w/)
    await expect(panel.textContent()).resolves.toContain(villageNameEn)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'panel-case-en.png') })
    await page.click('[data-lang="zh"]')
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN')
  })
})
