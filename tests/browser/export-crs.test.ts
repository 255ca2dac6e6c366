import { join } from 'node:path'
import JSZip from 'jszip'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, launchBrowser, signInToMap } from '../support/browser.ts'

describe.skipIf(!BROWSER_AVAILABLE)('the boundary export menu offers CGCS2000 and its Gauss–Krüger zone', () => {
  let t: TestApp
  let browser: Browser
  let page: Page
  let admin: TestUser
  let baseUrl: string

  beforeAll(async () => {
    t = await createTestApp({ withClient: true })
    admin = await t.signIn('admin')
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  })

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('links WGS84 by default, the chosen CRS otherwise, and disables KML outside WGS84', async () => {
    await signInToMap(page, baseUrl, admin)
    await page.click('[data-testid="mode-boundaries"]')
    await page.waitForSelector('[data-testid="bio-toolbar"]')
    await page.click('[data-testid="bio-export-button"]')
    await page.waitForSelector('[data-testid="bio-export-menu"]')
    await expect(page.getAttribute('[data-testid="bio-export-villages-zip"]', 'href')).resolves.toBe('/api/boundaries/export/villages.zip')
    const options = await page.locator('[data-testid="bio-export-crs"] option').allTextContents()
    expect(options).toEqual(['WGS84 经纬度', 'CGCS2000 经纬度（EPSG:4490）', 'CGCS2000 3度带 中央经线99°E（EPSG:4542）'])

    await page.selectOption('[data-testid="bio-export-crs"]', 'gk99')
    const href = await page.getAttribute('[data-testid="bio-export-villages-zip"]', 'href')
    expect(new URL(href!, baseUrl).searchParams.get('crs')).toBe('http://www.opengis.net/def/crs/EPSG/0/4542')
    await expect(page.getAttribute('[data-testid="bio-export-villages-kml"]', 'aria-disabled')).resolves.toBe('true')
    await expect(page.getAttribute('[data-testid="bio-export-villages-kml"]', 'href')).resolves.toBeNull()
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'export-crs-menu.png') })

    const response = await page.request.get(`${baseUrl}${href}`)
    expect(response.status()).toBe(200)
    const zip = await JSZip.loadAsync(await response.body())
    await expect(zip.file('gridatlas-villages-EPSG4542.prj')!.async('string')).resolves.toContain('CGCS2000 / 3-degree Gauss-Kruger CM 99E')

    await page.selectOption('[data-testid="bio-export-crs"]', 'cgcs2000')
    const geojson = await page.getAttribute('[data-testid="bio-export-base-grids-geojson"]', 'href')
    const body = await (await page.request.get(`${baseUrl}${geojson}`)).json()
    expect(body.crs.properties.name).toBe('urn:ogc:def:crs:EPSG::4490')
  }, 300_000)
})
