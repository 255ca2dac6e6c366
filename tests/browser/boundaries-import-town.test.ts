import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { addSecondTown, TOWN_B_CODE, type SecondTown } from '../support/second-town.ts'
import { BROWSER_AVAILABLE, launchBrowser, signInToMap } from '../support/browser.ts'

/*
 * A county administrator in a county of several towns chooses the town of a
 * boundary import in the dialog (the server refuses an import without one);
 * a town's administrator is not asked.
 */
describe.skipIf(!BROWSER_AVAILABLE)('boundary import: the town of a county administrator\'s import, in headless Chromium', () => {
  let t: TestApp
  let browser: Browser
  let page: Page
  let county: TestUser
  let b: SecondTown
  let baseUrl: string

  beforeAll(async () => {
    t = await createTestApp({ withClient: true })
    b = await addSecondTown(t)
    county = await t.signIn('admin', { townId: null })
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('asks a county administrator for the town, and imports into the chosen one', async () => {
    const exported = await t.app.inject({ url: '/api/boundaries/export/fine-grids.geojson', headers: b.users.admin!.headers })
    expect(exported.statusCode).toBe(200)
    await signInToMap(page, baseUrl, county)
    await page.click('[data-testid="mode-boundaries"]')
    await page.waitForSelector('[data-testid="bio-toolbar"]')
    await page.click('[data-testid="bio-import-button"]')
    await page.waitForSelector('[data-testid="bio-import-town"]')
    const options = await page.locator('[data-testid="bio-import-town"] option:not([disabled])').allTextContents()
    expect(options).toHaveLength(2)
    await page.setInputFiles('[data-testid="bio-import-file"]', { name: 'town-b.geojson', mimeType: 'application/geo+json', buffer: exported.rawPayload })
    await page.fill('[data-testid="bio-import-reason"]', '县级导入乙镇网格')
    // No town chosen yet: the import cannot start.
    await expect(page.isDisabled('[data-testid="bio-import-start"]')).resolves.toBe(true)
    await page.selectOption('[data-testid="bio-import-town"]', String(b.townId))
    expect(options.join('\n')).toContain(TOWN_B_CODE.slice(0, 9))
    await page.click('[data-testid="bio-import-start"]')
    await page.waitForSelector('[data-testid="bio-import-report"]', { timeout: 180_000 })
    await expect(page.textContent('[data-testid="bio-count-unchanged"]')).resolves.toContain('1')
    await page.click('[data-testid="bio-import-dialog"] .close')
  }, 300_000)

  it('does not ask a town administrator', async () => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } })
    const townPage = await context.newPage()
    await signInToMap(townPage, baseUrl, b.users.admin!)
    await townPage.click('[data-testid="mode-boundaries"]')
    await townPage.click('[data-testid="bio-import-button"]')
    await townPage.waitForSelector('[data-testid="bio-import-reason"]')
    // The towns are loaded when the dialog opens: give the answer time to arrive before looking.
    await townPage.waitForLoadState('networkidle')
    await expect(townPage.locator('[data-testid="bio-import-town"]').count()).resolves.toBe(0)
    await context.close()
  }, 300_000)
})
