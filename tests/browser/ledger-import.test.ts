import { join } from 'node:path'
import { sql } from 'kysely'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/test-app.ts'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, launchBrowser, signInToMap } from '../support/browser.ts'
import { csvFile, xlsxFile } from '../support/ledger.ts'

describe.skipIf(!BROWSER_AVAILABLE)('ledger import dialog in headless Chromium', () => {
  let t: TestApp
  let browser: Browser
  let page: Page
  let grids: Array<{ code: string; name: string }>

  beforeAll(async () => {
    t = await createTestApp({ withClient: true })
    const dispatcher = await t.signIn('dispatcher')
    const { rows } = await sql<{ code: string; name: string }>`SELECT code, name FROM current_areas WHERE level = 'fine_grid' ORDER BY code LIMIT 40`.execute(t.database.engine.db)
    grids = rows
    const baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    await signInToMap(page, baseUrl, dispatcher)
    page.setDefaultTimeout(15_000)
  })

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('key persons: mapping step, a refused row blocks the import; then a clean hazard ledger imports', async () => {
    try {
    await page.click('[data-testid="ledger-import-button"]')
    const dialog = page.locator('[data-testid="ledger-dialog"]')
    await dialog.waitFor({ state: 'visible' })
    await expect(dialog.locator('[data-testid="ledger-commit"]').isDisabled()).resolves.toBe(true)

    const people = await xlsxFile(
      ['人员姓名', '性别', '公民身份号码', '手机号', '人员类型', '管控级别', '所属网格'],
      [
        ['杨某某', '男', '532901197501011234', '13812345678', '刑满释放人员', '红', grids[0].name],
        ['段某', '女', '532901198002022345', '13900001111', '独居老人', '绿色', grids[10].name],
        ['赵某', '男', '', '', '独居老人', '黄', '大理市下关镇'],
      ],
    )
    await dialog.locator('[data-testid="ledger-target"]').selectOption('key-persons')
    await dialog.locator('[data-testid="ledger-file"]').setInputFiles({ name: '重点人员台账.xlsx', mimeType: 'application/octet-stream', buffer: people })
    await dialog.locator('[data-testid="ledger-check"]').click()
    await dialog.locator('[data-testid="ledger-missing"]').waitFor()
    await expect(dialog.locator('[data-testid="ledger-missing"]').textContent()).resolves.toContain('管理等级')

    await dialog.locator('[data-testid="ledger-map-colour"]').selectOption({ label: '管控级别' })
    await dialog.locator('[data-testid="ledger-check"]').click()
    await dialog.locator('[data-testid="ledger-report"]').waitFor()
    await expect(dialog.locator('[data-testid="ledger-counts"]').textContent()).resolves.toBe('共 3 行：可导入 2 行，未通过 1 行')
    const refused = dialog.locator('[data-testid="ledger-row"][data-status="refused"]')
    await expect(refused.textContent()).resolves.toContain('无法定位')
    const body = await dialog.textContent()
    expect(body).toContain('杨**')
    expect(body).not.toContain('杨某某')
    expect(body).not.toContain('13812345678')
    await expect(dialog.locator('[data-testid="ledger-commit"]').isDisabled()).resolves.toBe(true)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'ledger-import-report.png') })

    const hazards = csvFile(
      ['类型', '类别', '描述', '等级', '发现时间', '报告人', '网格编码'],
      [
        ['隐患', '消防隐患', '浏览器导入-柴草堆', '高', '2025-11-03 09:00', '杨某', grids[3].code],
        ['隐患', '危房隐患', '浏览器导入-危房', '中', '2025-11-04 10:00', '段某', grids[20].code],
      ],
    )
    await dialog.locator('[data-testid="ledger-target"]').selectOption('cases')
    await dialog.locator('[data-testid="ledger-file"]').setInputFiles({ name: 'hazards.csv', mimeType: 'text/csv', buffer: hazards })
    await dialog.locator('[data-testid="ledger-check"]').click()
    await dialog.locator('[data-testid="ledger-counts"]').waitFor()
    await expect(dialog.locator('[data-testid="ledger-counts"]').textContent()).resolves.toBe('共 2 行：可导入 2 行，未通过 0 行')
    await expect(dialog.locator('[data-testid="ledger-commit"]').textContent()).resolves.toContain('导入 2 行')
    await dialog.locator('[data-testid="ledger-commit"]').click()
    await dialog.locator('[data-testid="ledger-done"]').waitFor()
    await expect(dialog.locator('[data-testid="ledger-done"]').textContent()).resolves.toContain('已导入 2 条记录')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'ledger-import-done.png') })
    const written = await t.database.engine.db.selectFrom('cases').select('id').where('description', 'like', '浏览器导入-%').execute()
    expect(written.length).toBe(2)
    const persons = await t.database.engine.db.selectFrom('key_persons').select('id').where('id_number', '=', '532901197501011234').execute()
    expect(persons.length).toBe(0)
    await dialog.locator('button', { hasText: '关闭' }).last().click()
    await dialog.waitFor({ state: 'detached' })
    } catch (error) {
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'ledger-import-failure.png') })
      throw error
    }
  }, 120_000)
})
