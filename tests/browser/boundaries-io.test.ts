import { join } from 'node:path'
import { sql } from 'kysely'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestUser } from '../support/test-app.ts'
import { serveAppForFile } from '../support/served-app.ts'
import { addSecondTown, TOWN_B_CODE, type SecondTown } from '../support/second-town.ts'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, launchBrowser, signInToMap } from '../support/browser.ts'

/*
 * Boundary import, export and history in headless Chromium, then the town of
 * a county administrator's import: two parts sharing one app and server (a
 * browser file paid ~15–45 s of setup of its own). The second part adds a
 * second town, so it runs last.
 */
const served = serveAppForFile()

describe.skipIf(!BROWSER_AVAILABLE)('boundary import, export and history in headless Chromium', () => {
  let browser: Browser
  let page: Page
  let admin: TestUser
  let target: { id: number; code: string; x: number; y: number; bbox: [number, number, number, number] }

  const db = () => served.t.database.engine.db

  beforeAll(async () => {
    admin = await served.t.signIn('admin')
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
    const { rows } = await sql<{ id: number; code: string; x: number; y: number; x0: number; y0: number; x1: number; y1: number }>`
      SELECT area_id AS id, code, ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y,
        ST_XMin(geom) AS x0, ST_YMin(geom) AS y0, ST_XMax(geom) AS x1, ST_YMax(geom) AS y1
      FROM current_areas WHERE level = 'fine_grid' ORDER BY ST_Area(geom::geography) DESC LIMIT 1`.execute(db())
    const row = rows[0]
    target = { id: Number(row.id), code: row.code, x: Number(row.x), y: Number(row.y), bbox: [Number(row.x0), Number(row.y0), Number(row.x1), Number(row.y1)] }
  })

  afterAll(async () => {
    await browser?.close()
  })

  /** A GeoJSON file: the target grid shrunk by 80 m, 20 other grids as they are, one grid under an unknown parent. */
  async function importFile(): Promise<string> {
    const { rows } = await sql<{ code: string; g: string }>`
      SELECT code, ST_AsGeoJSON(CASE WHEN area_id = ${target.id}
          THEN ST_Multi(ST_Buffer(geom::geography, -80)::geometry) ELSE geom END, 9) AS g
      FROM current_areas WHERE level = 'fine_grid' ORDER BY area_id = ${target.id} DESC, code LIMIT 21`.execute(db())
    const features = rows.map((row) => ({ type: 'Feature', properties: { code: row.code }, geometry: JSON.parse(row.g) }))
    features.push({ type: 'Feature', properties: { code: '532901101999001001' }, geometry: features[1].geometry })
    return JSON.stringify({ type: 'FeatureCollection', features })
  }

  it('signs in as the administrator and opens the 边界编辑 view', async () => {
    await signInToMap(page, served.baseUrl, admin)
    await page.click('[data-testid="mode-boundaries"]')
    await page.waitForSelector('[data-testid="bio-toolbar"]')
    await expect(page.getAttribute('[data-testid="mode-boundaries"]', 'aria-current')).resolves.toBe('page')
    await expect(page.textContent('[data-testid="bio-import-button"]')).resolves.toContain('导入')
  }, 300_000)

  it('offers every level in every export format', async () => {
    await page.click('[data-testid="bio-export-button"]')
    await page.waitForSelector('[data-testid="bio-export-menu"]')
    const href = await page.getAttribute('[data-testid="bio-export-fine-grids-zip"]', 'href')
    expect(href).toBe('/api/boundaries/export/fine-grids.zip')
    const response = await page.request.get(`${served.baseUrl}${href}`)
    expect(response.status()).toBe(200)
    expect(response.headers()['content-type']).toBe('application/zip')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'boundaries-io-export.png') })
    await page.click('[data-testid="bio-export-button"]')
  }, 300_000)

  it('imports a file with the progress bar and shows the report', async () => {
    await page.click('[data-testid="bio-import-button"]')
    await page.waitForSelector('[data-testid="bio-import-dialog"]')
    await page.setInputFiles('[data-testid="bio-import-file"]', { name: 'fine-grids.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(await importFile()) })
    await page.selectOption('[data-testid="bio-import-level"]', 'fine-grids')
    await page.selectOption('[data-testid="bio-import-crs"]', 'wgs84')
    await page.fill('[data-testid="bio-import-reason"]', '按村民小组调整网格')
    await page.click('[data-testid="bio-import-start"]')
    await page.waitForSelector('[data-testid="bio-import-report"]', { timeout: 180_000 })
    await expect(page.getAttribute('[data-testid="bio-import-progress"]', 'aria-valuenow')).resolves.toBe('22')
    await expect(page.textContent('[data-testid="bio-count-changed"]')).resolves.toContain('1')
    await expect(page.textContent('[data-testid="bio-count-unchanged"]')).resolves.toContain('20')
    await expect(page.textContent('[data-testid="bio-count-refused"]')).resolves.toContain('1')
    const rows = await page.locator('[data-testid="bio-report-row"]').allTextContents()
    expect(rows.join('\n')).toContain('532901101999001')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'boundaries-io-import-report.png') })
    await page.click('[data-testid="bio-import-dialog"] .close')
  }, 300_000)

  it('opens the history of the imported grid, overlays the old version and restores it', async () => {
    await page.evaluate((box) => {
      const map = window.__gridatlas!.map
      map.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding: { top: 140, bottom: 140, left: 320, right: 820 }, animate: false })
    }, target.bbox)
    await page.waitForFunction(() => window.__gridatlas!.map.loaded() && !window.__gridatlas!.map.isMoving(), undefined, { timeout: 120_000 })
    await page.click('[data-testid="bio-history-button"]')
    await page.waitForSelector('[data-testid="history-panel"]')
    const point = await page.evaluate((p) => {
      const map = window.__gridatlas!.map
      const rect = map.getCanvas().getBoundingClientRect()
      const at = map.project([p[0], p[1]])
      return { x: rect.left + at.x, y: rect.top + at.y }
    }, [target.x, target.y])
    await page.mouse.click(point.x, point.y)
    await page.waitForSelector('[data-testid="history-version"][data-version="1"]')
    const versions = await page.locator('[data-testid="history-version"]').count()
    expect(versions).toBe(2)
    await expect(page.textContent('[data-testid="history-version"][data-version="2"]')).resolves.toContain('按村民小组调整网格')
    await page.click('[data-testid="history-version"][data-version="1"] [data-testid="history-compare"]')
    await page.waitForSelector('[data-testid="history-legend"]')
    await page.waitForFunction(() => {
      const map = window.__gridatlas!.map
      return map.queryRenderedFeatures({ layers: ['history-before-fill'] }).length > 0 && map.queryRenderedFeatures({ layers: ['history-after-line'] }).length > 0
    }, undefined, { timeout: 120_000 })
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'boundaries-io-history-overlay.png') })

    await page.click('[data-testid="history-version"][data-version="1"] [data-testid="history-restore"]')
    await page.fill('[data-testid="history-restore-reason"]', '恢复调整前的边界')
    await page.click('[data-testid="history-restore-confirm"]')
    await page.waitForSelector('[data-testid="history-version"][data-version="3"]', { timeout: 120_000 })
    await expect(page.textContent('[data-testid="history-notice"]')).resolves.toContain('3')
    const { rows } = await sql<{ same: boolean; reason: string }>`
      SELECT ST_Equals(v3.geom, v1.geom) AS same, v3.change_reason AS reason FROM area_versions v1 JOIN area_versions v3 ON v3.area_id = v1.area_id
      WHERE v1.area_id = ${target.id} AND v1.version = 1 AND v3.version = 3`.execute(db())
    expect(rows[0]).toMatchObject({ same: true, reason: '恢复调整前的边界' })
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'boundaries-io-history-restored.png') })
  }, 300_000)
})

/*
 * A county administrator in a county of several towns chooses the town of a
 * boundary import in the dialog (the server refuses an import without one);
 * a town's administrator is not asked.
 */
describe.skipIf(!BROWSER_AVAILABLE)('boundary import: the town of a county administrator\'s import, in headless Chromium', () => {
  let browser: Browser
  let page: Page
  let county: TestUser
  let b: SecondTown

  beforeAll(async () => {
    b = await addSecondTown(served.t)
    county = await served.t.signIn('admin', { townId: null })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
  })

  it('asks a county administrator for the town, and imports into the chosen one', async () => {
    const exported = await served.t.app.inject({ url: '/api/boundaries/export/fine-grids.geojson', headers: b.users.admin!.headers })
    expect(exported.statusCode).toBe(200)
    await signInToMap(page, served.baseUrl, county)
    await page.click('[data-testid="mode-boundaries"]')
    await page.waitForSelector('[data-testid="bio-toolbar"]')
    await page.click('[data-testid="bio-import-button"]')
    await page.waitForSelector('[data-testid="bio-import-town"]')
    const options = await page.locator('[data-testid="bio-import-town"] option:not([disabled])').allTextContents()
    expect(options).toHaveLength(2)
    await page.setInputFiles('[data-testid="bio-import-file"]', { name: 'town-b.geojson', mimeType: 'application/geo+json', buffer: exported.rawPayload })
    await page.fill('[data-testid="bio-import-reason"]', '县级导入乙镇网格')
    // No town chosen yet: the import cannot start.
    await expect(page.isDisabled('[data-testid="bio-import-start"]')).resolves.toBe(true)
    await page.selectOption('[data-testid="bio-import-town"]', String(b.townId))
    expect(options.join('\n')).toContain(TOWN_B_CODE.slice(0, 9))
    await page.click('[data-testid="bio-import-start"]')
    await page.waitForSelector('[data-testid="bio-import-report"]', { timeout: 180_000 })
    await expect(page.textContent('[data-testid="bio-count-unchanged"]')).resolves.toContain('1')
    await page.click('[data-testid="bio-import-dialog"] .close')
  }, 300_000)

  it('does not ask a town administrator', async () => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } })
    const townPage = await context.newPage()
    await signInToMap(townPage, served.baseUrl, b.users.admin!)
    await townPage.click('[data-testid="mode-boundaries"]')
    await townPage.click('[data-testid="bio-import-button"]')
    await townPage.waitForSelector('[data-testid="bio-import-reason"]')
    // The towns are loaded when the dialog opens: give the answer time to arrive before looking.
    await townPage.waitForLoadState('networkidle')
    await expect(townPage.locator('[data-testid="bio-import-town"]').count()).resolves.toBe(0)
    await context.close()
  }, 300_000)
})
