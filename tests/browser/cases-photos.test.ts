import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/test-app.ts'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, launchBrowser, signInToMap } from '../support/browser.ts'

/** Waits until every photo thumbnail in the panel has decoded (a broken image has naturalWidth 0). */
async function photosDecoded(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (expected) => {
      const images = [...document.querySelectorAll<HTMLImageElement>('[data-testid="case-photo"] img')]
      return images.length === expected && images.every((image) => image.complete && image.naturalWidth > 0)
    },
    count,
    { timeout: 15_000 },
  )
}

describe.skipIf(!BROWSER_AVAILABLE)('case photos and masked phones in headless Chromium', () => {
  let t: TestApp
  let browser: Browser
  let page: Page
  let baseUrl: string

  beforeAll(async () => {
    t = await createTestApp({ withClient: true })
    const dispatcher = await t.signIn('dispatcher')
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    await signInToMap(page, baseUrl, dispatcher)
    page.setDefaultTimeout(15_000)
  })

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('registers a hazard with a photo from the picker, shows it in the case panel and reveals the phone with a reason', async () => {
    const photo = await page.screenshot({ clip: { x: 500, y: 300, width: 320, height: 240 } })
    try {
    await page.click('[data-testid="register-button"]')
    await page.locator('[data-testid="placing-hint"]').waitFor({ state: 'visible' })
    const point = await page.evaluate(() => {
      const map = window.__gridatlas!.map
      const canvas = map.getCanvas().getBoundingClientRect()
      const center = map.project(map.getCenter())
      return { x: canvas.left + center.x, y: canvas.top + center.y }
    })
    await page.mouse.click(point.x, point.y)
    const sheet = page.locator('[data-testid="register-sheet"]')
    await sheet.waitFor({ state: 'visible' })
    await sheet.locator('input[data-kind="hazard"]').check({ force: true })
    await sheet.locator('textarea[name="description"]').fill('村道旁电线杆倾斜，存在倒伏风险')
    await sheet.locator('input[name="reporterPhone"]').fill('13812341234')
    await sheet.locator('[data-testid="photo-input"]').setInputFiles([
      { name: '现场.png', mimeType: 'image/png', buffer: photo },
      { name: '近景.png', mimeType: 'image/png', buffer: photo },
    ])
    await expect(sheet.locator('[data-testid="photo-preview"]').count()).resolves.toBe(2)
    await sheet.locator('[data-testid="photo-preview"] button').first().click()
    await expect(sheet.locator('[data-testid="photo-preview"]').count()).resolves.toBe(1)
    await sheet.locator('[data-testid="photo-picker"]').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cases-photos-register.png') })
    await sheet.locator('[data-testid="register-submit"]').click()

    const panel = page.locator('[data-testid="case-panel"]')
    await panel.locator('[data-testid="case-status"][data-status="reported"]').waitFor({ timeout: 10_000 })
    await photosDecoded(page, 1)
    await expect(panel.locator('[data-testid="reporter-phone"]').textContent()).resolves.toBe('138****1234')

    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cases-photos-masked.png') })
    await panel.locator('[data-testid="phone-reveal"] button').click()
    await panel.locator('[data-testid="phone-reveal-reason"]').fill('回访报告人核实隐患位置')
    await panel.locator('[data-testid="phone-reveal"] button[type="submit"]').click()
    await panel.locator('a[data-testid="reporter-phone"]').waitFor({ timeout: 10_000 })
    await expect(panel.locator('[data-testid="reporter-phone"]').textContent()).resolves.toBe('13812341234')

    await panel.locator('[data-testid="case-photo-input"]').setInputFiles([{ name: '整改前.png', mimeType: 'image/png', buffer: photo }])
    await photosDecoded(page, 2)
    await panel.locator('[data-testid="case-timeline"] li', { hasText: '添加照片' }).nth(1).waitFor({ timeout: 10_000 })
    await panel.locator('[data-testid="case-photos"]').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cases-photos-panel.png') })
    } catch (error) {
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'cases-photos-failure.png') })
      throw error
    }
  }, 240_000)
})
