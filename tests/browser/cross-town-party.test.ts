import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, centreOn, launchBrowser, signInToMap } from '../support/browser.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { addSecondTown, type TwoTowns } from '../support/two-towns.ts'

/*
 * A town's dispatcher registers a dispute along the town border whose second
 * party lives in the neighbouring town: the home-village picker offers the
 * own town's villages, then the other towns' grouped by town (the directory
 * of divisions, migration 0023). Screenshot: tests/artifacts/cross-town-party-picker.png.
 */
describe.skipIf(!BROWSER_AVAILABLE)('a party from the neighbouring town, in headless Chromium', { timeout: 240_000 }, () => {
  let t: TestApp
  let towns: TwoTowns
  let browser: Browser
  let page: Page
  let dispatcherA: TestUser

  beforeAll(async () => {
    t = await createTestApp({ withClient: true })
    towns = await addSecondTown(t.database.engine.db)
    dispatcherA = await t.signIn('dispatcher', { townId: towns.townA })
    const baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
    page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage()
    await signInToMap(page, baseUrl, dispatcherA, 120_000)
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('offers the neighbouring town\'s villages grouped by town, and the registered dispute names the party\'s village', async () => {
    await centreOn(page, towns.border.a, 15)
    await page.click('[data-testid="register-button"]')
    await page.locator('[data-testid="placing-hint"]').waitFor({ state: 'visible' })
    const point = await page.evaluate(({ lon, lat }) => {
      const map = window.__gridatlas!.map
      const canvas = map.getCanvas().getBoundingClientRect()
      const at = map.project([lon, lat])
      return { x: canvas.left + at.x, y: canvas.top + at.y }
    }, towns.border.a)
    await page.mouse.click(point.x, point.y)
    const sheet = page.locator('[data-testid="register-sheet"]')
    await sheet.waitFor({ state: 'visible' })
    await sheet.locator('textarea[name="description"]').fill('两镇交界处排水沟占地纠纷，一方住东岸村')
    const rows = sheet.locator('[data-testid="party-row"]')
    const picker = rows.nth(1).locator('select[name="party-village"]')
    // The other town's group appears once the directory has loaded.
    await picker.locator(`optgroup[data-town-id="${towns.townB}"]`).waitFor({ state: 'attached', timeout: 10_000 })
    const groups = await picker.locator('optgroup').evaluateAll((nodes) => nodes.map((node) => (node as HTMLOptGroupElement).label))
    expect(groups).toEqual(['喜洲镇', '东岸镇'])
    const other = await picker.locator(`optgroup[data-town-id="${towns.townB}"] option`).allTextContents()
    expect(other).toEqual(['东岸村'])
    await rows.nth(0).locator('input[name="party-name"]').fill('杨某甲')
    await rows.nth(0).locator('select[name="party-village"]').selectOption(String(towns.villageA))
    await rows.nth(1).locator('input[name="party-name"]').fill('段某乙')
    await picker.selectOption(String(towns.villageB))
    // Show the open list in the screenshot: a <select> cannot be drawn open headless, so show it as a list box.
    await picker.evaluate((node) => {
      const select = node as HTMLSelectElement
      select.size = 8
      select.scrollTop = select.scrollHeight
    })
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cross-town-party-picker.png') })
    await picker.evaluate((node) => ((node as HTMLSelectElement).size = 0))
    await sheet.locator('[data-testid="register-submit"]').click()

    const panel = page.locator('[data-testid="case-panel"]')
    await panel.locator('[data-testid="case-status"][data-status="registered"]').waitFor({ timeout: 15_000 })
    await expect(panel.textContent()).resolves.toContain('东岸镇·东岸村')
    await expect(panel.textContent()).resolves.toContain('段某乙')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cross-town-party-case.png') })
  })
})
