import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { Secret, TOTP } from 'otpauth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../server/features/users/users.service.ts'
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/test-app.ts'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, launchBrowser, signIn } from '../support/browser.ts'

/** The code an authenticator app would show, `stepsAhead` 30-second steps from now. */
function codeFor(secret: string, stepsAhead = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: Date.now() + stepsAhead * 30_000 })
}

describe.skipIf(!BROWSER_AVAILABLE)('administrator second factor in headless Chromium', () => {
  let t: TestApp
  let browser: Browser
  let page: Page
  let baseUrl: string
  let secret = ''
  let recoveryCodes: string[] = []
  const username = 'browser-admin'

  beforeAll(async () => {
    // The strict setting of a real deployment: administrators must enrol.
    t = await createTestApp({ withClient: true, login: { adminSecondFactor: 'required' } })
    await t.database.engine.db.transaction().execute((trx) => createUser(trx, { username, password: TEST_PASSWORD, role: 'admin' }, null))
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } })
  })

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('makes an administrator enrol after the password: QR code, key, first code, then recovery codes', async () => {
    await page.goto(baseUrl)
    await signIn(page, username)
    await page.waitForSelector('[data-testid="enrol-step"] img[data-testid="totp-qr"]')
    await page.waitForFunction(() => (document.querySelector('img[data-testid="totp-qr"]') as HTMLImageElement | null)?.complete === true)
    const qrWidth = await page.$eval('img[data-testid="totp-qr"]', (img) => (img as HTMLImageElement).naturalWidth)
    expect(qrWidth).toBeGreaterThan(0)
    secret = (await page.getAttribute('[data-testid="totp-secret"]', 'data-secret')) ?? ''
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'second-factor-enrol.png') })
    // Nothing but the enrolment works yet.
    expect((await page.request.get(`${baseUrl}/api/users`)).status()).toBe(401)

    await page.fill('[data-testid="enrol-step"] input[name="code"]', codeFor(secret))
    await page.click('[data-testid="enrol-step"] button[type="submit"]')
    await page.waitForSelector('[data-testid="recovery-codes"]')
    const codes = await page.$$eval('[data-testid="recovery-codes"] li', (items) => items.map((item) => item.textContent?.trim()))
    expect(codes).toHaveLength(10)
    recoveryCodes = codes.map(String)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'second-factor-recovery-codes.png') })
    await page.click('[data-testid="recovery-codes"] button.primary')
    await page.waitForSelector('[data-testid="sign-out"]', { timeout: 60_000 })
  }, 300_000)

  it('signs out, then signs in with the password and a code from the authenticator', async () => {
    await page.click('[data-testid="sign-out"]')
    await page.waitForSelector('input[name="username"]')
    await signIn(page, username)
    await page.waitForSelector('input[name="code"]')
    await page.fill('input[name="code"]', '000000' === codeFor(secret, 1) ? '111111' : '000000')
    await page.click('button[type="submit"]')
    await page.waitForSelector('[data-testid="login-error"]')
    expect(await page.textContent('[data-testid="login-error"]')).toContain('验证码错误')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'second-factor-code.png') })
    // The next step's code: the enrolment used this step's.
    await page.fill('input[name="code"]', codeFor(secret, 1))
    await page.click('button[type="submit"]')
    await page.waitForSelector('[data-testid="sign-out"]', { timeout: 60_000 })
    expect((await page.request.get(`${baseUrl}/api/users`)).status()).toBe(200)
  }, 300_000)

  it('shows the second factor in the account section and replaces the recovery codes with a current code', async () => {
    await page.click('[data-testid="current-user"]')
    await page.waitForSelector('[data-testid="account-panel"]')
    await page.waitForSelector('[data-testid="second-factor-section"] .status')
    expect(await page.textContent('[data-testid="second-factor-section"] .status')).toContain('剩余恢复码 10 个')
    // Administrators may re-enrol but not turn it off.
    expect(await page.$('[data-testid="second-factor-section"] button.danger')).toBeNull()
    await page.click('[data-testid="second-factor-section"] button:has-text("重新生成恢复码")')
    await page.fill('input[name="current-code"]', codeFor(secret, -1) === codeFor(secret, 1) ? '000000' : codeFor(secret, -1))
    await page.click('[data-testid="second-factor-section"] button[type="submit"]')
    // The code one step back is older than the one just used to sign in: refused as a replay.
    await page.waitForSelector('[data-testid="second-factor-section"] .error')
    // A recovery code confirms the change too (the next TOTP code is only valid 30 s from now).
    await page.fill('input[name="current-code"]', recoveryCodes[0])
    await page.click('[data-testid="second-factor-section"] button[type="submit"]')
    await page.waitForSelector('[data-testid="second-factor-section"] [data-testid="recovery-codes"]')
    const fresh = await page.$$eval('[data-testid="second-factor-section"] li', (items) => items.map((item) => item.textContent?.trim()))
    expect(fresh).toHaveLength(10)
    expect(fresh).not.toContain(recoveryCodes[1])
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'second-factor-section.png') })
  }, 300_000)
})
