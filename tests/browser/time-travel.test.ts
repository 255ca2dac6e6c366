import { join } from 'node:path'
import { sql } from 'kysely'
import type { GeoJSONSource } from 'maplibre-gl'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, launchBrowser, signInToMap } from '../support/browser.ts'
import { ENGINE_UNDER_TEST } from '../support/test-database.ts'

/** A feature of an area source as the map holds it. */
interface MapFeature {
  id: number
  name: string
  version: number
  validTo: string | null
}

/** The features of an area source (`villages`, `fine-grids`…) as they reached the map. */
async function sourceFeatures(page: Page, source: string): Promise<MapFeature[]> {
  return page.evaluate(async (id) => {
    const data = await window.__gridatlas!.map.getSource<GeoJSONSource>(id)!.getData()
    if (!('features' in data)) return []
    return data.features.map((feature) => ({
      id: Number(feature.id),
      name: String(feature.properties?.name),
      version: Number(feature.properties?.version),
      validTo: (feature.properties?.validTo as string | null) ?? null,
    }))
  }, source)
}

/** Polls `check` on the map's sources until it holds (the reload is asynchronous), then waits for the map to draw. */
async function until(page: Page, check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await page.waitForTimeout(200)
  }
  await idle(page)
}

async function idle(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = window.__gridatlas!.map
        map.once('idle', () => resolve())
        map.triggerRepaint()
      }),
  )
}

/** Frames `bbox` on the map without animation and waits until it has drawn. */
async function frame(page: Page, bbox: number[]): Promise<void> {
  await page.evaluate(async (box) => {
    const map = window.__gridatlas!.map
    const drawn = new Promise((resolve) => map.once('idle', resolve))
    map.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding: { top: 90, bottom: 60, left: 320, right: 80 }, animate: false })
    map.triggerRepaint()
    await drawn
  }, bbox)
}

describe.skipIf(!BROWSER_AVAILABLE)(`time travel on the map in headless Chromium (${ENGINE_UNDER_TEST})`, () => {
  let t: TestApp
  let browser: Browser
  let page: Page
  let leader: TestUser
  let baseUrl: string
  /** A village renamed today and a fine grid split today (retired, two new grids). */
  let village: { id: number; oldName: string; newName: string }
  let split: { id: number; createdIds: number[]; bbox: number[] }

  beforeAll(async () => {
    t = await createTestApp({ withClient: true })
    const admin = await t.signIn('admin')
    leader = await t.signIn('leader')
    const db = t.database.engine.db

    const { rows: villages } = await sql<{ id: number }>`SELECT area_id AS id FROM current_areas WHERE level = 'village' ORDER BY code LIMIT 1`.execute(db)
    const villageId = Number(villages[0].id)
    const read = await t.app.inject({ url: `/api/collections/villages/items/${villageId}`, headers: admin.headers })
    const current = read.json()
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/collections/villages/items/${villageId}`,
      headers: { ...admin.headers, 'if-match': String(read.headers.etag), 'x-change-reason': encodeURIComponent('更名'), 'content-type': 'application/geo+json' },
      payload: JSON.stringify({ type: 'Feature', geometry: current.geometry, properties: { ...current.properties, name: '时光村' } }),
    })
    if (put.statusCode !== 200) throw new Error(`village rename failed: ${put.body}`)
    village = { id: villageId, oldName: current.properties.name, newName: '时光村' }

    const { rows } = await sql<{ id: number; x0: number; x1: number; y: number; bbox: string }>`
      SELECT area_id AS id, ST_XMin(geom) - 0.01 AS x0, ST_XMax(geom) + 0.01 AS x1, ST_Y(ST_Centroid(geom)) AS y,
        concat_ws(',', ST_XMin(geom), ST_YMin(geom), ST_XMax(geom), ST_YMax(geom)) AS bbox
      FROM current_areas WHERE level = 'fine_grid' AND parent_id IN (SELECT area_id FROM current_areas WHERE parent_id = ${villageId})
      ORDER BY ST_Area(geom) DESC LIMIT 1`.execute(db)
    const target = rows[0]
    const line = { type: 'LineString', coordinates: [[Number(target.x0), Number(target.y)], [Number(target.x1), Number(target.y)]] }
    const response = await t.app.inject({ method: 'POST', url: '/api/boundaries/split', headers: admin.headers, payload: { areaId: Number(target.id), line, reason: '拆分', ifMatch: 1 } })
    if (response.statusCode !== 200) throw new Error(`split failed: ${response.body}`)
    const created = response.json().areas.filter((area: { action: string }) => area.action === 'create')
    split = { id: Number(target.id), createdIds: created.map((area: { id: number }) => area.id), bbox: target.bbox.split(',').map(Number) }

    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  })

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('shows today by default: the renamed village, the new grids, no past-boundaries banner', async () => {
    await signInToMap(page, baseUrl, leader)
    await until(page, async () => (await sourceFeatures(page, 'fine-grids')).length > 0, 'the fine grids')
    const control = page.locator('[data-testid="time-travel"]')
    await expect(control.getAttribute('data-date')).resolves.toBe('')
    await expect(control.evaluate((element) => element.classList.contains('past'))).resolves.toBe(false)
    await expect(page.locator('[data-testid="time-travel-today"]').count()).resolves.toBe(0)
    expect((await sourceFeatures(page, 'villages')).find((f) => f.id === village.id)?.name).toBe(village.newName)
    const grids = await sourceFeatures(page, 'fine-grids')
    expect(grids.some((f) => f.id === split.id)).toBe(false)
    for (const id of split.createdIds) expect(grids.some((f) => f.id === id)).toBe(true)
  })

  it('picks a date before the edits: the old village name and the grid before its split, marked as the past', async () => {
    await page.fill('[data-testid="time-travel-date"]', '2025-06-01')
    await until(page, async () => (await sourceFeatures(page, 'villages')).find((f) => f.id === village.id)?.name === village.oldName, 'the old village name')
    await until(page, async () => (await sourceFeatures(page, 'fine-grids')).some((f) => f.id === split.id), 'the grid before its split')
    const grids = await sourceFeatures(page, 'fine-grids')
    const old = grids.find((f) => f.id === split.id)!
    expect(old.version).toBe(1)
    expect(old.validTo).not.toBeNull()
    for (const id of split.createdIds) expect(grids.some((f) => f.id === id)).toBe(false)

    const control = page.locator('[data-testid="time-travel"]')
    await expect(control.getAttribute('data-date')).resolves.toBe('2025-06-01')
    await expect(control.evaluate((element) => element.classList.contains('past'))).resolves.toBe(true)
    await expect(control.textContent()).resolves.toContain('历史区划')
    await expect(page.locator('[data-testid="time-travel-today"]').textContent()).resolves.toBe('回到今天')

    await frame(page, split.bbox)
    const rendered = await page.evaluate((id) => window.__gridatlas!.map.queryRenderedFeatures({ layers: ['fine-grids-line'] }).some((f) => Number(f.id) === id), split.id)
    expect(rendered).toBe(true)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'time-travel-past.png') })
  })

  it('comes back to today with one click', async () => {
    await page.click('[data-testid="time-travel-today"]')
    await until(page, async () => !(await sourceFeatures(page, 'fine-grids')).some((f) => f.id === split.id), 'the current grids')
    expect((await sourceFeatures(page, 'villages')).find((f) => f.id === village.id)?.name).toBe(village.newName)
    const control = page.locator('[data-testid="time-travel"]')
    await expect(control.getAttribute('data-date')).resolves.toBe('')
    await expect(page.locator('[data-testid="time-travel-today"]').count()).resolves.toBe(0)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'time-travel-today.png') })
  })

  it('works for a grid worker too, in English', async () => {
    const worker = await t.signIn('grid_worker', { gridIds: [split.createdIds[0]] })
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const other = await context.newPage()
    await other.addInitScript(() => localStorage.setItem('gridatlas.lang', 'en'))
    await signInToMap(other, baseUrl, worker)
    await other.fill('[data-testid="time-travel-date"]', '2025-06-01')
    await until(other, async () => (await sourceFeatures(other, 'villages')).find((f) => f.id === village.id)?.name === village.oldName, 'the old village name')
    await expect(other.locator('[data-testid="time-travel"]').textContent()).resolves.toContain('Past boundaries')
    await expect(other.locator('[data-testid="time-travel-today"]').textContent()).resolves.toBe('Back to today')
    await other.screenshot({ path: join(ARTIFACTS_DIR, 'time-travel-past-en.png') })
    await context.close()
  }, 240_000)
})
