import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, launchBrowser, signIn } from '../support/browser.ts'
import { caseClient, disputeFeature, hazardFeature } from '../support/cases.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { addSecondTown, type TwoTowns } from '../support/two-towns.ts'

/*
 * The county view (县级视图) in headless Chromium, for the county dispatcher:
 * the KPI table by town, the towns compared, and the escalation queue, where
 * the dispatcher returns a case to its town with instructions. Screenshots in
 * tests/artifacts/ (county-zh.png, county-en.png).
 */
describe.skipIf(!BROWSER_AVAILABLE)('county view in headless Chromium', () => {
  let t: TestApp
  let towns: TwoTowns
  let browser: Browser
  let page: Page
  let countyDispatcher: TestUser
  let escalationId: number

  beforeAll(async () => {
    t = await createTestApp({ withClient: true })
    towns = await addSecondTown(t.database.engine.db)
    const dispatcherA = await t.signIn('dispatcher', { townId: towns.townA })
    const dispatcherB = await t.signIn('dispatcher', { townId: towns.townB })
    countyDispatcher = await t.signIn('county_dispatcher', { townId: null })
    const cases = caseClient(t)
    const hazard = (await cases.register(dispatcherA, 'hazards', hazardFeature(towns.border.a))).json().id
    for (let index = 0; index < 3; index++) await cases.register(dispatcherB, 'disputes', disputeFeature(towns.insideB, [towns.villageB]))
    const escalated = await t.app.inject({
      method: 'POST',
      url: '/api/county/escalations',
      headers: dispatcherA.headers,
      payload: { caseId: hazard, reason: '柴草堆紧邻县道，需县交通局协调' },
    })
    expect(escalated.statusCode, escalated.body).toBe(201)
    escalationId = escalated.json().id
    const baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    await page.goto(`${baseUrl}/#county`)
    await signIn(page, countyDispatcher.username)
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('shows the towns side by side and the escalated case, in Chinese by default', async () => {
    await page.click('[data-testid="mode-county"]').catch(() => undefined)
    await page.waitForSelector('[data-testid="county-view"][data-loading="false"] [data-testid="town-kpi-table"] tbody tr', { timeout: 60_000 })
    const rows = await page.$$eval('[data-testid="town-kpi-table"] tbody tr', (trs) => trs.map((tr) => tr.querySelector('th')?.textContent?.trim()))
    expect(rows.sort()).toEqual(['东岸镇', '喜洲镇'].sort())
    expect(await page.$$eval('[data-testid="town-comparison"] g[data-town-id]', (bars) => bars.length)).toBe(2)
    const queue = await page.textContent(`[data-escalation-id="${escalationId}"]`)
    expect(queue).toContain('待受理')
    expect(queue).toContain('柴草堆紧邻县道')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'county-zh.png') })
  })

  it('sorts the table by a column and narrows the comparison to one town', async () => {
    await page.click('[data-testid="town-sort-disputes"]')
    const first = await page.$eval('[data-testid="town-kpi-table"] tbody tr', (tr) => tr.querySelector('th')?.textContent?.trim())
    expect(first).toBe('东岸镇')
    await page.selectOption('[data-testid="county-town"]', String(towns.townB))
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="town-comparison"] g[data-town-id]').length === 1)
    await page.waitForSelector('[data-testid="escalation-queue"] li.empty')
    await page.selectOption('[data-testid="county-town"]', '')
    await page.waitForSelector(`[data-escalation-id="${escalationId}"]`)
  })

  it('returns the case to its town with instructions', async () => {
    await page.click(`[data-escalation-id="${escalationId}"] [data-testid="escalation-return"]`)
    await page.fill(`[data-escalation-id="${escalationId}"] [data-testid="escalation-text"]`, '请镇综治中心三日内清理并报县')
    await page.click(`[data-escalation-id="${escalationId}"] [data-testid="escalation-send"]`)
    await page.waitForSelector(`[data-escalation-id="${escalationId}"][data-status="returned"]`)
    const row = await t.database.engine.db.selectFrom('case_escalations').select(['status', 'instructions']).where('id', '=', escalationId).executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'returned', instructions: '请镇综治中心三日内清理并报县' })
  })

  it('switches to English', async () => {
    await page.click('button[data-lang="en"]')
    await page.waitForFunction(() => document.querySelector('[data-testid="county-view"] h2')?.textContent?.includes('County view'), undefined, { timeout: 30_000 })
    expect(await page.textContent(`[data-escalation-id="${escalationId}"]`)).toContain('Returned')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'county-en.png') })
  })
})
