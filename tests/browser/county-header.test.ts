import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setMeta } from '../../server/core/db/app-meta.repository.ts'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, launchBrowser, signIn } from '../support/browser.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { addSecondTown, type TwoTowns } from '../support/two-towns.ts'

/*
 * The header's place name in a county of two towns: the county (大理市) for
 * county users — the first town's name (喜洲镇) misled them — and the user's
 * own town for town users, in both languages. Screenshots in tests/artifacts/
 * (county-header-zh.png, county-header-en.png, county-header-town.png).
 */
describe.skipIf(!BROWSER_AVAILABLE)('header names the county or the town', () => {
  let t: TestApp
  let towns: TwoTowns
  let browser: Browser
  let baseUrl: string
  let countyLeader: TestUser
  let leaderB: TestUser
  let countySecurityAdmin: TestUser

  beforeAll(async () => {
    t = await createTestApp({ withClient: true })
    towns = await addSecondTown(t.database.engine.db)
    await setMeta(t.database.engine.db, 'county', { name: '大理市', nameEn: 'Dali City', code: '532901' })
    countyLeader = await t.signIn('county_leader', { townId: null })
    leaderB = await t.signIn('leader', { townId: towns.townB })
    countySecurityAdmin = await t.signIn('security_admin', { townId: null })
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  async function signedIn(user: TestUser): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 800 } })).newPage()
    await page.goto(baseUrl)
    await signIn(page, user.username)
    await page.waitForSelector('[data-testid="town-name"]', { timeout: 60_000 })
    return page
  }

  const placeName = (page: Page) => page.textContent('[data-testid="town-name"]').then((text) => text?.trim())

  it('shows the county to a county leader, in Chinese and in English', async () => {
    const page = await signedIn(countyLeader)
    await page.waitForFunction(() => document.querySelector('[data-testid="town-name"]')?.textContent?.trim() === '大理市', undefined, { timeout: 30_000 })
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'county-header-zh.png'), clip: { x: 0, y: 0, width: 1400, height: 120 } })
    await page.click('button[data-lang="en"]')
    await page.waitForFunction(() => document.querySelector('[data-testid="town-name"]')?.textContent?.trim() === 'Dali City', undefined, { timeout: 30_000 })
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'county-header-en.png'), clip: { x: 0, y: 0, width: 1400, height: 120 } })
    await page.context().close()
  })

  it("shows a town user their own town, not the county nor the first town", async () => {
    const page = await signedIn(leaderB)
    await page.waitForFunction(() => document.querySelector('[data-testid="town-name"]')?.textContent?.trim() === '东岸镇', undefined, { timeout: 30_000 })
    expect(await placeName(page)).toBe('东岸镇')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'county-header-town.png'), clip: { x: 0, y: 0, width: 1400, height: 120 } })
    await page.context().close()
  })

  it('shows the county on the administrators’ screen of a county administrator', async () => {
    const page = await signedIn(countySecurityAdmin)
    await page.waitForFunction(() => document.querySelector('[data-testid="town-name"]')?.textContent?.trim() === '大理市', undefined, { timeout: 30_000 })
    expect(await placeName(page)).toBe('大理市')
    await page.context().close()
  })
})
