import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerCase } from '../support/analytics.ts'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, centreOn, launchBrowser, signIn, waitForMap } from '../support/browser.ts'
import { gridPoints, type GridPoint } from '../support/cases.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'

declare global {
  interface Window {
    __cspViolations?: string[]
  }
}

/**
 * Issue 9, point 6: the Content-Security-Policy is strict enough to matter and
 * the app runs under it with no violation: signing in, the map with its
 * MapLibre worker and case tiles, the risk map with the deck.gl heatmap (a
 * chunk loaded on demand, WebGL), the dashboard and the boundary editor.
 */
describe.skipIf(!BROWSER_AVAILABLE)('the app under its Content-Security-Policy in headless Chromium', () => {
  let t: TestApp
  let browser: Browser
  let page: Page
  let admin: TestUser
  let baseUrl: string
  let spot: GridPoint
  /** CSP problems reported by the page: violation events and the console's "Refused to …" errors. */
  const problems: string[] = []

  const violations = async () => [...problems, ...((await page.evaluate(() => window.__cspViolations ?? [])) as string[])]

  beforeAll(async () => {
    t = await createTestApp({ withClient: true })
    admin = await t.signIn('admin')
    const dispatcher = await t.signIn('dispatcher')
    spot = (await gridPoints(t.database.engine.db))[0]
    const now = Date.now()
    for (let hours = 2; hours < 14; hours += 2) {
      await registerCase(t, dispatcher, 'hazards', spot, { severity: 'high', reportedAt: new Date(now - hours * 3_600_000).toISOString() })
    }
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.addInitScript(() => {
      window.__cspViolations = []
      document.addEventListener('securitypolicyviolation', (event) => {
        window.__cspViolations!.push(`${event.violatedDirective} blocked ${event.blockedURI || '(inline)'} at ${event.sourceFile}:${event.lineNumber}`)
      })
    })
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(`console: ${message.text()}`)
    })
    page.on('pageerror', (error) => {
      if (/Content Security Policy|Refused to/i.test(error.message)) problems.push(`pageerror: ${error.message}`)
    })
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('serves the page with the policy', async () => {
    const response = await page.goto(baseUrl)
    const csp = response!.headers()['content-security-policy']
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toMatch(/script-src[^;]*unsafe/)
    expect(response!.headers()['x-content-type-options']).toBe('nosniff')
  })

  it('signs in and draws the map with no violation', async () => {
    await signIn(page, admin.username)
    await waitForMap(page)
    await centreOn(page, spot, 14)
    expect(await violations()).toEqual([])
  }, 120_000)

  it('opens the risk map and draws the deck.gl heatmap with no violation', async () => {
    await page.click('[data-testid="risk-mode"]')
    await page.click('[data-heatmap="hazards"]')
    await page.waitForFunction(() => /(?:^| )heatmap:[1-9]/.test(window.__gridatlas!.map.getContainer().dataset.deckLayers ?? ''), undefined, { timeout: 60_000 })
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'csp-heatmap.png') })
    await page.click('[data-heatmap="off"]')
    expect(await violations()).toEqual([])
  }, 120_000)

  it('opens the dashboard and the boundary editor with no violation', async () => {
    await page.click('[data-testid="mode-dashboard"]')
    await page.waitForSelector('[data-testid="dashboard"][data-loading="false"][data-from]', { timeout: 30_000 })
    await page.waitForFunction(() => document.querySelector('[data-testid="kpi-open"]')?.textContent?.trim() !== '—', undefined, { timeout: 30_000 })
    await page.click('[data-testid="mode-boundaries"]')
    await page.locator('[data-testid="boundary-editor"]').waitFor({ state: 'visible' })
    await page.waitForTimeout(1_000)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'csp-boundaries.png') })
    expect(await violations()).toEqual([])
  }, 120_000)

  it('would notice a violation (the check is not blind)', async () => {
    await page.evaluate(() => {
      const script = document.createElement('script')
      script.textContent = 'window.__inline = 1'
      document.body.append(script)
    })
    await page.waitForFunction(() => (window.__cspViolations ?? []).length > 0, undefined, { timeout: 10_000 })
    expect((await violations()).join(' ')).toMatch(/script-src/)
  })
})
