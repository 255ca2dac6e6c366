import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pointsAcrossVillageBoundary, offsetMetres, registerCase } from '../support/analytics.ts'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, launchBrowser, signInToMap } from '../support/browser.ts'
import { gridPoints, type GridPoint } from '../support/cases.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'

/*
 * The printable monthly report (月度研判报告): opened from the dashboard, printed
 * to PDF by Chromium as a user's "save as PDF" would (A4, the page's own @page
 * size), rendered to PNG with poppler's pdftoppm and checked: page count, no
 * blank page, the report's text (and none of the app's chrome) in the PDF.
 * The PNGs stay in tests/artifacts/report-*.png for a person to look at.
 */
const HOUR_MS = 3_600_000
const OFFSET_MS = 8 * HOUR_MS
/** "YYYY-MM" of the township month `offset` months from now. */
function townshipMonth(offset: number): string {
  const local = new Date(Date.now() + OFFSET_MS)
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + offset, 1)).toISOString().slice(0, 7)
}
/** An instant `day` days (and `hour` hours) into the township month `month`. */
function inMonth(month: string, day: number, hour = 10): string {
  return new Date(Date.parse(`${month}-01T00:00:00Z`) - OFFSET_MS + (day - 1) * 24 * HOUR_MS + hour * HOUR_MS).toISOString()
}

const PDFTOPPM = (() => {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()
if (!PDFTOPPM && process.env.CI) throw new Error('pdftoppm not found; .ci/run installs poppler-utils')

/** Share of pixels darker than light grey on a PGM page (P5, 8 bit). */
function inkShare(pgm: Buffer): number {
  const header = pgm.subarray(0, 64).toString('latin1').match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/)
  if (!header) throw new Error('not a PGM file')
  const pixels = pgm.subarray(header[0].length)
  let dark = 0
  for (const value of pixels) if (value < 200) dark += 1
  return dark / pixels.length
}

/** Prints the page to an A4 PDF, renders it to PNG (kept as artifacts) and greyscale; returns the pages' ink shares and the PDF's text. */
async function printReport(page: Page, name: string): Promise<{ inks: number[]; text: string; pages: number }> {
  await page.emulateMedia({ media: 'print' })
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true })
  await page.emulateMedia({ media: 'screen' })
  const dir = join(ARTIFACTS_DIR, 'report')
  mkdirSync(dir, { recursive: true })
  for (const file of readdirSync(dir).filter((file) => file.startsWith(`${name}-`))) rmSync(join(dir, file))
  const pdfPath = join(dir, `${name}.pdf`)
  writeFileSync(pdfPath, pdf)
  execFileSync('pdftoppm', ['-r', '110', '-png', pdfPath, join(dir, name)])
  execFileSync('pdftoppm', ['-r', '30', '-gray', pdfPath, join(dir, `${name}-gray`)])
  const grays = readdirSync(dir).filter((file) => file.startsWith(`${name}-gray`) && file.endsWith('.pgm')).sort()
  const inks = grays.map((file) => inkShare(readFileSync(join(dir, file))))
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-']).toString('utf8')
  const info = execFileSync('pdfinfo', [pdfPath]).toString('utf8')
  const size = info.match(/Page size:\s+([\d.]+) x ([\d.]+) pts/)
  // A4 is 595.28 × 841.89 pt: portrait, as the page's @page rule asks.
  expect(Number(size?.[1])).toBeCloseTo(595.28, 0)
  expect(Number(size?.[2])).toBeCloseTo(841.89, 0)
  return { inks, text, pages: Number(info.match(/Pages:\s+(\d+)/)?.[1]) }
}

describe.skipIf(!BROWSER_AVAILABLE || !PDFTOPPM)('monthly report (月度研判报告) printed to PDF in headless Chromium', () => {
  let t: TestApp
  let browser: Browser
  let page: Page
  let leader: TestUser
  let a: GridPoint
  const month = townshipMonth(-1)
  const before = townshipMonth(-2)

  beforeAll(async () => {
    t = await createTestApp({ withClient: true })
    const db = t.database.engine.db
    const points = await gridPoints(db)
    a = points[0]
    const dispatcher = await t.signIn('dispatcher')
    leader = await t.signIn('leader')
    // Last month: overdue hazards and disputes spread over the villages (enough rows for the overdue table to cross a page),
    // a few in the month before (so that some grids' risk rises), and a cross-village cluster.
    const spread = points.filter((_, index) => index % Math.max(1, Math.floor(points.length / 36)) === 0).slice(0, 36)
    const later = new Date(Date.parse(inMonth(month, 1)) + 90 * 24 * HOUR_MS)
    /** Registers a case and sets its deadline (default deadlines would make most of them overdue by the month's end). */
    const register = async (kind: 'hazards' | 'disputes', point: { lon: number; lat: number }, properties: Record<string, unknown>, villages: number[], deadline: Date) => {
      const id = await registerCase(t, dispatcher, kind, point, properties, villages)
      await db.updateTable('cases').set({ deadline_at: deadline }).where('id', '=', id).execute()
    }
    for (const [index, point] of spread.entries()) {
      const kind = index % 3 === 0 ? 'disputes' : 'hazards'
      const reportedAt = inMonth(month, 1 + (index % 20))
      const properties = kind === 'hazards' ? { severity: ['low', 'medium', 'high', 'critical'][index % 4], reportedAt } : { tier: 'general', reportedAt }
      // Two in three overdue by the end of the month.
      const deadline = index % 3 === 2 ? later : new Date(inMonth(month, 3 + (index % 20)))
      await register(kind, point, properties, kind === 'disputes' ? [point.villageId] : [], deadline)
    }
    for (const point of spread.slice(0, 6)) await register('hazards', point, { severity: 'low', reportedAt: inMonth(before, 12) }, [], later)
    const { west, east } = await pointsAcrossVillageBoundary(db, 60)
    for (const point of [west, east, await offsetMetres(db, west, 0, 50), await offsetMetres(db, east, 0, -50)]) {
      await register('disputes', point, { tier: 'complex', reportedAt: inMonth(month, 14) }, [west.villageId, east.villageId], later)
    }
    const baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    page = await context.newPage()
    await signInToMap(page, baseUrl, leader)
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('opens from the dashboard for last month and prints the township report on A4 pages, none blank, without the app’s chrome', async () => {
    await page.click('[data-testid="mode-dashboard"]')
    await page.click('[data-testid="dash-open-report"]')
    await page.waitForSelector(`[data-testid="report-ready"][data-month="${month}"][aria-busy="false"]`, { timeout: 60_000 })
    expect(page.url()).toContain(`#report?month=${month}`)
    // The template database is the synthetic sample township: the report must say so.
    expect(await page.isVisible('[data-testid="report-sample"]')).toBe(true)
    expect(await page.locator('[data-testid="report-map"] path').count()).toBeGreaterThan(20)
    expect(await page.locator('[data-testid="report-overdue"] tbody tr').count()).toBe(24)
    expect(await page.locator('[data-testid="report-clusters"] tbody tr').count()).toBeGreaterThanOrEqual(1)

    const { inks, text, pages } = await printReport(page, 'township-zh')
    expect(pages).toBeGreaterThanOrEqual(2)
    expect(inks).toHaveLength(pages)
    for (const ink of inks) expect(ink).toBeGreaterThan(0.004)
    const flat = text.replace(/\s+/g, '')
    for (const heading of ['月度研判报告', '示例数据', '一、主要指标', '二、风险一张图', '三、分村(社区)指标', '四、近六个月趋势', '五、风险上升最快的网格', '六、跨村矛盾纠纷聚集', '七、超期未办结事件']) {
      expect(flat).toContain(heading)
    }
    expect(flat).toContain(`1/${pages}`)
    expect(flat).toContain(`${pages}/${pages}`)
    expect(flat).toContain('内部资料注意保密')
    for (const chrome of ['返回态势看板', '打印/存为PDF', '态势看板']) expect(flat).not.toContain(chrome)
    // The overdue table crosses a page: its header is printed again on the next page.
    expect(text.split('超期天数').length - 1).toBeGreaterThanOrEqual(2)
  })

  it('prints one village in English with the same checks', async () => {
    await page.selectOption('[data-testid="report-lang"]', 'en')
    await page.selectOption('[data-testid="report-village"]', String(a.villageId))
    await page.waitForSelector(`[data-testid="report-ready"][data-village="${a.villageId}"][aria-busy="false"]`, { timeout: 60_000 })
    await page.waitForFunction(() => document.querySelector('[data-testid="report-page"] h1')?.textContent === 'Monthly review report', undefined, { timeout: 30_000 })
    const { inks, text, pages } = await printReport(page, 'village-en')
    expect(pages).toBeGreaterThanOrEqual(1)
    for (const ink of inks) expect(ink).toBeGreaterThan(0.004)
    for (const heading of ['Monthly review report', 'Sample data', '1. Key figures', '3. Figures by station', '7. Overdue cases']) expect(text).toContain(heading)
    expect(text.replace(/\s+/g, '')).toContain(`1/${pages}`)
  })

  it('refuses a month that has not begun with the server’s message, and goes back to the dashboard', async () => {
    if ((await page.inputValue('[data-testid="report-lang"]')) !== 'zh') await page.selectOption('[data-testid="report-lang"]', 'zh')
    await page.fill('[data-testid="report-month"]', townshipMonth(1))
    await page.dispatchEvent('[data-testid="report-month"]', 'change')
    await page.waitForSelector('[data-testid="report-error"]', { timeout: 30_000 })
    expect(await page.textContent('[data-testid="report-error"]')).toContain('尚未开始')
    await page.click('[data-testid="report-back"]')
    await page.waitForSelector('[data-testid="dashboard"]', { timeout: 60_000 })
    expect(page.url()).toContain('#dashboard')
  })
})
