import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, launchBrowser, signIn } from '../support/browser.ts'

/**
 * The administrators' screen (三员分立): the audit administrator signs in to the
 * audit log — no map, no case or person data — and finds a leader's refused
 * attempt; the security administrator sees only the audit administrators' entries.
 */
describe.skipIf(!BROWSER_AVAILABLE)('the audit log in headless Chromium', () => {
  let t: TestApp
  let browser: Browser
  let page: Page
  let auditor: TestUser
  let security: TestUser
  let leader: TestUser
  let baseUrl: string

  beforeAll(async () => {
    t = await createTestApp({ withClient: true })
    auditor = await t.signIn('audit_admin')
    security = await t.signIn('security_admin')
    leader = await t.signIn('leader')
    // A leader tries a key person's record: refused, and on record.
    expect((await t.app.inject({ method: 'GET', url: '/api/key-persons/1', headers: leader.headers })).statusCode).toBe(403)
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  })

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  async function signInToAuditLog(user: TestUser) {
    await page.goto(baseUrl)
    await signIn(page, user.username)
    await page.locator('[data-testid="audit-log"]').waitFor({ timeout: 60_000 })
  }

  it('shows the audit administrator the log, without a map, and filters it to refusals', async () => {
    await signInToAuditLog(auditor)
    await expect(page.locator('.maplibregl-map').count()).resolves.toBe(0)
    await page.locator('[data-testid="audit-row"]').first().waitFor()
    await page.selectOption('[data-testid="audit-action"]', 'denied')
    await page.fill('[data-testid="audit-username"]', leader.username)
    await page.click('[data-testid="audit-search"]')
    await page.waitForFunction(() => document.querySelector('[data-testid="audit-total"]')?.textContent?.includes('共 1 条'))
    const row = await page.locator('[data-testid="audit-row"]').first().innerText()
    expect(row).toContain(leader.username)
    expect(row).toContain('被拒绝')
    expect(row).toContain('key_person #1')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'audit-log-auditor.png') })
    await page.click('[data-testid="sign-out"]')
    await page.locator('input[name="username"]').waitFor()
  })

  it('shows the security administrator only what the audit administrators did', async () => {
    await signInToAuditLog(security)
    await page.locator('[data-testid="audit-row"]').first().waitFor()
    const roles = await page.locator('[data-testid="audit-row"] td:nth-child(3)').allInnerTexts()
    expect(roles.length).toBeGreaterThanOrEqual(1)
    expect(new Set(roles)).toEqual(new Set(['审计管理员']))
    const users = await page.locator('[data-testid="audit-row"] td:nth-child(2)').allInnerTexts()
    expect(users).toContain(auditor.username)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'audit-log-security.png') })
  })
})
