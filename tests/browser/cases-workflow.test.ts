import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, launchBrowser, signInToMap } from '../support/browser.ts'
import { caseClient, disputeFeature, gridPoints, hazardFeature, type GridPoint } from '../support/cases.ts'
import { gridSpots, registerPerson } from '../support/key-persons.ts'

/** Centres the map on a point at zoom 15 and waits until feature `id` of `layer` is drawn; returns its page position. */
async function featureOnMap(page: Page, layer: string, id: number, at: { lon: number; lat: number }): Promise<{ x: number; y: number }> {
  await page.evaluate(({ lon, lat }) => window.__gridatlas!.map.jumpTo({ center: [lon, lat], zoom: 15 }), at)
  const handle = await page.waitForFunction(
    ({ layer, id }) => {
      const map = window.__gridatlas!.map
      const hit = map.queryRenderedFeatures({ layers: [layer] }).find((feature) => Number(feature.id) === id)
      if (!hit) return null
      const pixel = map.project((hit.geometry as GeoJSON.Point).coordinates as [number, number])
      const canvas = map.getCanvas().getBoundingClientRect()
      return { x: canvas.left + pixel.x, y: canvas.top + pixel.y }
    },
    { layer, id },
    { timeout: 20_000, polling: 200 },
  )
  return (await handle.jsonValue())!
}

/** Runs one workflow action from the open case panel and waits for the new status and timeline length. */
async function act(page: Page, action: string, fill: (form: ReturnType<Page['locator']>) => Promise<unknown>, status: string, entries: number): Promise<void> {
  const panel = page.locator('[data-testid="case-panel"]')
  await panel.locator(`[data-action="${action}"]`).click()
  const form = panel.locator(`[data-testid="action-form-${action}"]`)
  await form.waitFor({ state: 'visible' })
  await fill(form)
  await form.locator('[data-testid="action-submit"]').click()
  await panel.locator(`[data-testid="case-status"][data-status="${status}"]`).waitFor({ timeout: 15_000 })
  await panel.locator('[data-testid="case-timeline"] li').nth(entries - 1).waitFor({ timeout: 15_000 })
}

describe.skipIf(!BROWSER_AVAILABLE)('case workflows in headless Chromium', { timeout: 300_000 }, () => {
  let t: TestApp
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let dispatcher: TestUser
  let baseUrl: string
  let points: GridPoint[]
  let hazardId = 0
  let disputeId = 0

  beforeAll(async () => {
    t = await createTestApp({ withClient: true })
    dispatcher = await t.signIn('dispatcher')
    points = await gridPoints(t.database.engine.db)
    const c = caseClient(t)
    const hazard = await c.register(dispatcher, 'hazards', hazardFeature(points[3], { severity: 'high', description: '河堤护栏缺失，需核查' }))
    hazardId = hazard.json().id
    const dispute = await c.register(dispatcher, 'disputes', disputeFeature(points[5], [points[5].villageId], { description: '邻里因排水沟发生纠纷' }))
    disputeId = dispute.json().id
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', acceptDownloads: true })
    page = await context.newPage()
    await signInToMap(page, baseUrl, dispatcher, 120_000)
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('dispatches a dispute from the queue (suggested station shown); it leaves the queue', async () => {
    await page.click('[data-testid="queue-button"]')
    const queue = page.locator('[data-testid="dispatch-queue"]')
    const item = queue.locator(`[data-case-id="${disputeId}"]`)
    await item.waitFor({ timeout: 15_000 })
    await expect(item.textContent()).resolves.toContain('建议')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'workflow-queue.png') })
    await item.click()
    await act(page, 'dispatch', async (form) => {
      await expect(form.locator('select[name="station"]').inputValue()).resolves.not.toBe('')
    }, 'dispatched', 2)
    await page.click('[data-testid="queue-button"]')
    await queue.waitFor()
    await queue.locator(`[data-case-id="${disputeId}"]`).waitFor({ state: 'detached', timeout: 15_000 })
  })

  it('resolves it by 金花调解, records the feedback and the evaluation; the timeline shows each step', async () => {
    const at = await featureOnMap(page, 'disputes-point', disputeId, points[5])
    await page.mouse.click(at.x, at.y)
    const panel = page.locator('[data-testid="case-panel"]')
    await panel.locator('[data-testid="case-status"][data-status="dispatched"]').waitFor({ timeout: 15_000 })
    await act(page, 'resolve', async (form) => {
      await form.locator('select[name="mode"]').selectOption('jinhua')
      await form.locator('textarea[name="note"]').fill('金花调解员上门调解，双方达成协议')
    }, 'resolved', 3)
    await act(page, 'feedback', (form) => form.locator('textarea[name="note"]').fill('已电话回访当事人'), 'fed_back', 4)
    await act(page, 'evaluate', (form) => form.locator('[role="radio"]').nth(3).click(), 'evaluated', 5)
    const timeline = (await panel.locator('[data-testid="case-timeline"]').textContent()) ?? ''
    for (const word of ['登记', '分流', '化解', '反馈', '评价']) expect(timeline).toContain(word)
    await expect(panel.textContent()).resolves.toContain('金花调解')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'workflow-dispute-evaluated.png') })
  })

  it('takes a hazard from the map through verify → rectify → rectified → close', async () => {
    const at = await featureOnMap(page, 'hazards-point', hazardId, points[3])
    await page.mouse.click(at.x, at.y)
    const panel = page.locator('[data-testid="case-panel"]')
    await panel.locator('[data-testid="case-status"][data-status="reported"]').waitFor({ timeout: 15_000 })
    await act(page, 'verify', (form) => form.locator('select[name="severity"]').selectOption('critical'), 'verified', 2)
    await act(page, 'start-rectification', (form) => form.locator('textarea[name="plan"]').fill('加装护栏并设置警示牌'), 'rectifying', 3)
    await act(page, 'rectify', (form) => form.locator('textarea[name="note"]').fill('护栏已加装'), 'rectified', 4)
    await act(page, 'close', async () => undefined, 'closed', 5)
    const timeline = (await panel.locator('[data-testid="case-timeline"]').textContent()) ?? ''
    for (const word of ['核实', '开始整改', '整改完成', '销号']) expect(timeline).toContain(word)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'workflow-hazard-closed.png') })
  })

  it('registers, verifies, converts and dismisses leads in the lead list', async () => {
    await page.click('[data-testid="leads-button"]')
    const list = page.locator('[data-testid="lead-list"]')
    await list.waitFor()
    const register = async (department: string, description: string) => {
      await list.locator('[data-testid="lead-new"]').click()
      const form = list.locator('[data-testid="lead-register-form"]')
      await form.locator('input[name="department"]').fill(department)
      await form.locator('textarea[name="description"]').fill(description)
      await form.locator('[data-testid="lead-use-center"]').click()
      await form.locator('[data-testid="lead-register-submit"]').click()
      await form.waitFor({ state: 'detached' })
      return list.locator('li[data-lead-id]').filter({ hasText: description })
    }
    const first = await register('市场监管所', '某餐馆后厨存在燃气泄漏隐患')
    await first.and(page.locator('[data-status="pending"]')).waitFor()
    await first.locator('[data-lead-action="verify"]').click()
    await first.locator('[data-testid="lead-form-verify"] input[name="note"]').fill('现场核实属实')
    await first.locator('[data-testid="lead-submit"]').click()
    await first.and(page.locator('[data-status="verified"]')).waitFor({ timeout: 15_000 })
    await first.locator('[data-lead-action="convert"]').click()
    const convert = first.locator('[data-testid="lead-form-convert"]')
    await convert.locator('select[name="kind"]').selectOption('hazard')
    await convert.locator('select[name="severity"]').selectOption('high')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'workflow-lead-convert.png') })
    await convert.locator('[data-testid="lead-submit"]').click()
    const panel = page.locator('[data-testid="case-panel"]')
    await panel.locator('[data-testid="case-status"][data-status="reported"]').waitFor({ timeout: 15_000 })
    await expect(panel.textContent()).resolves.toContain('线索转化')

    await page.click('[data-testid="leads-button"]')
    await list.locator('li[data-status="converted"]').first().waitFor({ timeout: 15_000 })
    const second = await register('派出所', '有群众反映某路段夜间照明不足')
    await second.locator('[data-lead-action="dismiss"]').click()
    await second.locator('[data-testid="lead-submit"]').click()
    await second.locator('[role="alert"]').waitFor()
    await second.locator('[data-testid="lead-form-dismiss"] textarea[name="reason"]').fill('经核查已由交通部门处理')
    await second.locator('[data-testid="lead-submit"]').click()
    await second.and(page.locator('[data-status="dismissed"]')).waitFor({ timeout: 15_000 })
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'workflow-leads.png') })
  })

  it('downloads the monthly lists: xlsx with Chinese headers, CSV with a BOM', async () => {
    await page.click('[data-testid="export-button"]')
    const menu = page.locator('[data-testid="export-menu"]')
    await menu.waitFor()
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'workflow-export-menu.png') })
    const [xlsx] = await Promise.all([page.waitForEvent('download'), menu.locator('a', { hasText: '.xlsx' }).first().click()])
    const downloads = mkdtempSync(join(tmpdir(), 'gridatlas-exports-'))
    const xlsxPath = join(downloads, 'problems.xlsx')
    await xlsx.saveAs(xlsxPath)
    const book = new ExcelJS.Workbook()
    await book.xlsx.readFile(xlsxPath)
    const header = (book.worksheets[0].getRow(1).values as unknown[]).filter((value) => typeof value === 'string').join(' ')
    expect(header).toMatch(/[\u4e00-\u9fff]/)
    await page.click('[data-testid="export-button"]')
    const [csv] = await Promise.all([page.waitForEvent('download'), menu.locator('a', { hasText: '.csv' }).last().click()])
    const csvPath = join(downloads, 'leads.csv')
    await csv.saveAs(csvPath)
    const bytes = readFileSync(csvPath)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(bytes.toString('utf8')).toMatch(/[\u4e00-\u9fff]/)
  })

  it('shows a key person to a grid worker masked; reveal with a reason, record a visit, the overdue badge clears', async () => {
    const [spot] = await gridSpots(t, 1)
    const admin = await t.signIn('admin')
    const person = await registerPerson(t, admin, spot, { name: '杨某明', colour: 'red' })
    await sql`UPDATE key_persons SET created_at = now() - interval '30 days' WHERE id = ${person.id}`.execute(t.database.engine.db)
    const worker = await t.signIn('grid_worker', { gridIds: [spot.baseGridId] })
    const workerContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })
    const workerPage = await workerContext.newPage()
    await signInToMap(workerPage, baseUrl, worker, 120_000)
    const at = await featureOnMap(workerPage, 'key-persons-point', person.id, spot)
    await workerPage.mouse.click(at.x, at.y)
    const panel = workerPage.locator('[data-testid="person-panel"]')
    await panel.locator('[data-testid="visit-state"][data-state="overdue"]').waitFor({ timeout: 15_000 })
    const masked = (await panel.locator('.masked[data-field="idNumber"]').textContent()) ?? ''
    expect(masked).not.toContain('532901197501011234')
    expect(masked).toContain('*')
    await workerPage.screenshot({ path: join(ARTIFACTS_DIR, 'workflow-person-masked.png') })

    await panel.locator('.masked[data-field="idNumber"] + button').click()
    await panel.locator('input[name="reason"]').fill('入户走访核对身份')
    await panel.locator('form button[type="submit"]').click()
    await expect(panel.locator('.revealed[data-field="idNumber"]').textContent()).resolves.toBe('532901197501011234')

    await panel.locator('[data-testid="record-visit"]').click()
    await panel.locator('textarea[name="visitNote"]').fill('入户走访，情况稳定')
    await panel.locator('form button[type="submit"]').click()
    await panel.locator('[data-testid="visit-state"][data-state="ok"]').waitFor({ timeout: 15_000 })
    await workerPage.screenshot({ path: join(ARTIFACTS_DIR, 'workflow-person-visited.png') })
    await workerContext.close()
  })
})
