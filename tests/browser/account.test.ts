import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, launchBrowser, signIn } from '../support/browser.ts'
import { createTestApp, TEST_PASSWORD, type TestApp, type TestUser } from '../support/test-app.ts'

describe.skipIf(!BROWSER_AVAILABLE)('account panel (账号与安全) in headless Chromium', () => {
  let t: TestApp
  let browser: Browser
  let baseUrl: string
  let security: TestUser

  beforeAll(async () => {
    t = await createTestApp({ withClient: true })
    security = await t.signIn('security_admin', { username: 'anquan' })
    await t.signIn('grid_worker', { username: 'wangge01' })
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('lists sessions with the current one marked and revokes another session from the panel', async () => {
    // A second session of the same user (another browser), which the panel will revoke.
    const other = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: security.username, password: TEST_PASSWORD } })
    const otherCookie = String(other.headers['set-cookie']).split(';')[0]
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: otherCookie } })).statusCode).toBe(200)
    await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: { cookie: otherCookie }, payload: { name: 'QGIS 办公电脑', expiresInDays: 30 } })

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    const page = await context.newPage()
    try {
      await page.goto(baseUrl)
      await signIn(page, security.username)
      await page.waitForSelector('[data-testid="current-user"]', { timeout: 60_000 })
      await page.click('[data-testid="current-user"]')
      await page.waitForSelector('[data-testid="account-panel"]')
      await page.waitForSelector('[data-testid="session-row"]')
      await page.waitForSelector('[data-testid="user-row"][data-username="wangge01"]')
      const rows = page.locator('[data-testid="session-row"]')
      expect(await rows.count()).toBe(3) // signIn's own, the "other" one, and this browser's
      expect(await page.locator('[data-testid="session-row"][data-current="true"]').count()).toBe(1)
      await page.screenshot({ path: `${ARTIFACTS_DIR}/account-panel.png`, fullPage: true })

      const sessions = (await t.app.inject({ url: '/api/auth/sessions', headers: { cookie: otherCookie } })).json().sessions
      const otherId = sessions.find((session: { current: boolean }) => session.current).id
      await page.click(`[data-testid="session-row"][data-session-id="${otherId}"] [data-testid="session-revoke"]`)
      await page.waitForFunction((id) => !document.querySelector(`[data-testid="session-row"][data-session-id="${id}"]`), otherId)
      expect(await rows.count()).toBe(2)
      expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: otherCookie } })).statusCode).toBe(401)
      // This browser is still signed in.
      expect(await page.locator('[data-testid="session-row"][data-current="true"]').count()).toBe(1)

      await page.fill('input[name="token-name"]', '脚本')
      await page.click('[data-testid="token-create"]')
      await page.waitForSelector('[data-testid="token-secret"]')
      expect(await page.textContent('[data-testid="token-secret"]')).toMatch(/^gat_/)
      await page.screenshot({ path: `${ARTIFACTS_DIR}/account-panel-token.png`, fullPage: true })
    } finally {
      await context.close()
    }
  })
})
