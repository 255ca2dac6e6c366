import { join } from 'node:path'
import { sql } from 'kysely'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, launchBrowser, signInToMap } from '../support/browser.ts'
import { ENGINE_UNDER_TEST } from '../support/test-database.ts'

type Position = [number, number]
type Coords = Position[][][]
interface Grid {
  id: number
  parent: number
  version: number
  coords: Coords
}

const key = (p: Position) => `${p[0]},${p[1]}`

function onSegmentInterior(p: Position, a: Position, b: Position): boolean {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const length2 = dx * dx + dy * dy
  if (length2 === 0) return false
  const t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2
  if (t <= 1e-6 || t >= 1 - 1e-6) return false
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy)) < 1e-9
}

function edges(coords: Coords): Array<[Position, Position]> {
  return coords.flatMap((polygon) => polygon.flatMap((ring) => ring.slice(0, -1).map((a, i) => [a, ring[i + 1]] as [Position, Position])))
}

/**
 * A vertex inside a base grid shared by two or more of its fine grids and lying
 * inside an edge of another (a T-junction), preferred; else a plain shared vertex.
 */
async function sharedVertex(t: TestApp): Promise<{ vertex: Position; owners: Grid[]; edgeOwners: Grid[]; parent: number }> {
  const { rows } = await sql<{ id: number; parent: number; version: number; g: string; pg: string }>`
    SELECT c.area_id AS id, c.parent_id AS parent, c.version, ST_AsGeoJSON(c.geom, 9) AS g, ST_AsGeoJSON(p.geom, 9) AS pg
    FROM current_areas c JOIN current_areas p ON p.area_id = c.parent_id WHERE c.level = 'fine_grid' ORDER BY c.parent_id, c.area_id`.execute(t.database.engine.db)
  const grids: Grid[] = rows.map((row) => ({ id: Number(row.id), parent: Number(row.parent), version: Number(row.version), coords: JSON.parse(row.g).coordinates }))
  const parentOutline = new Map(rows.map((row) => [Number(row.parent), JSON.parse(row.pg).coordinates as Coords]))
  let plain: { vertex: Position; owners: Grid[]; edgeOwners: Grid[]; parent: number } | null = null
  for (const [parent, outline] of parentOutline) {
    const mine = grids.filter((grid) => grid.parent === parent)
    const outlineVertices = new Set(outline.flat(2).map(key))
    const outlineEdges = edges(outline)
    const seen = new Set<string>()
    for (const grid of mine) {
      for (const vertex of grid.coords.flat(2)) {
        if (seen.has(key(vertex)) || outlineVertices.has(key(vertex))) continue
        seen.add(key(vertex))
        if (outlineEdges.some(([a, b]) => onSegmentInterior(vertex, a, b))) continue
        const owners = mine.filter((other) => other.coords.flat(2).some((p) => key(p) === key(vertex)))
        if (owners.length < 2) continue
        const edgeOwners = mine.filter((other) => !owners.includes(other) && edges(other.coords).some(([a, b]) => onSegmentInterior(vertex, a, b)))
        if (edgeOwners.length > 0) return { vertex, owners, edgeOwners, parent }
        if (!plain && owners.length >= 3) plain = { vertex, owners, edgeOwners, parent }
      }
    }
  }
  if (!plain) throw new Error('no shared vertex in the sample')
  return plain
}

/** Frames `bbox` on the map without animation and waits until the map has drawn it. */
async function frame(page: Page, bbox: [number, number, number, number]): Promise<void> {
  await page.evaluate(async (box) => {
    const map = window.__gridatlas!.map
    const idle = new Promise((resolve) => map.once('idle', resolve))
    map.fitBounds([[box[0], box[1]], [box[2], box[3]]], { padding: { top: 120, bottom: 120, left: 320, right: 440 }, animate: false })
    map.triggerRepaint()
    await idle
  }, bbox)
}

/** Page coordinates of a lon/lat position. */
async function screen(page: Page, position: Position): Promise<{ x: number; y: number }> {
  return page.evaluate((p) => {
    const map = window.__gridatlas!.map
    const rect = map.getCanvas().getBoundingClientRect()
    const point = map.project([p[0], p[1]])
    return { x: rect.left + point.x, y: rect.top + point.y }
  }, position)
}

/** A point well inside the grid, from the database. */
async function inside(t: TestApp, id: number): Promise<Position> {
  const { rows } = await sql<{ x: number; y: number }>`SELECT ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM current_areas WHERE area_id = ${id}`.execute(t.database.engine.db)
  return [Number(rows[0].x), Number(rows[0].y)]
}

async function bboxOf(t: TestApp, ids: number[]): Promise<[number, number, number, number]> {
  const { rows } = await sql<{ x0: number; y0: number; x1: number; y1: number }>`
    SELECT min(ST_XMin(geom)) AS x0, min(ST_YMin(geom)) AS y0, max(ST_XMax(geom)) AS x1, max(ST_YMax(geom)) AS y1 FROM current_areas WHERE area_id IN (${sql.join(ids)})`.execute(t.database.engine.db)
  return [Number(rows[0].x0), Number(rows[0].y0), Number(rows[0].x1), Number(rows[0].y1)]
}

/** Overlap between siblings (m²) and the part of the parent not covered by its children (m²). */
async function tiling(t: TestApp, parent: number): Promise<{ overlapM2: number; gapM2: number }> {
  const { rows } = await sql<{ overlap: number; gap: number }>`
    SELECT
      (SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0) FROM current_areas a JOIN current_areas b
         ON a.parent_id = b.parent_id AND a.area_id < b.area_id WHERE a.parent_id = ${parent} AND ST_Intersects(a.geom, b.geom)) AS overlap,
      (SELECT ST_Area(ST_Difference(p.geom, (SELECT ST_Union(geom) FROM current_areas WHERE parent_id = ${parent}))::geography)
         FROM current_areas p WHERE p.area_id = ${parent}) AS gap`.execute(t.database.engine.db)
  return { overlapM2: Number(rows[0].overlap), gapM2: Number(rows[0].gap) }
}

describe.skipIf(!BROWSER_AVAILABLE)(`the boundary editor in headless Chromium (${ENGINE_UNDER_TEST})`, () => {
  let t: TestApp
  let browser: Browser
  let page: Page
  let admin: TestUser
  let baseUrl: string
  let editedParent = 0

  beforeAll(async () => {
    t = await createTestApp({ withClient: true })
    admin = await t.signIn('admin')
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    page.on('pageerror', (error) => console.error('[page error]', error.message))
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().includes('401')) console.error('[page]', message.text())
    })
    await signInToMap(page, baseUrl, admin)
    await page.click('[data-testid="mode-boundaries"]')
    await page.locator('[data-testid="boundary-editor"]').waitFor({ state: 'visible' })
  })

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('drags a vertex shared with neighbours (a T-junction included) and saves them together', { timeout: 240_000 }, async () => {
    const shared = await sharedVertex(t)
    editedParent = shared.parent
    const before = await tiling(t, shared.parent)
    const target = shared.owners[0]
    await frame(page, await bboxOf(t, [...shared.owners, ...shared.edgeOwners].map((grid) => grid.id)))
    const pick = await screen(page, await inside(t, target.id))
    await page.mouse.click(pick.x, pick.y)
    await page.locator('[data-testid="editor-target"]').waitFor({ state: 'visible' })
    await page.waitForFunction(() => window.__gridatlas!.map.getLayer('editor-draw-point') !== undefined)

    const start = await screen(page, shared.vertex)
    await page.mouse.move(start.x, start.y)
    await page.mouse.down()
    for (let step = 1; step <= 8; step++) await page.mouse.move(start.x + step * 3, start.y + step * 2)
    await page.mouse.up()
    const touched = page.locator('[data-testid="editor-touched"]')
    await touched.waitFor({ state: 'visible' })
    await expect(touched.textContent()).resolves.toContain(String(shared.owners.length + shared.edgeOwners.length))

    await page.fill('[data-testid="editor-reason"]', '村民小组调整（测试）')
    await page.click('[data-testid="editor-check"]')
    await page.locator('[data-testid="editor-valid"]').waitFor({ state: 'visible' })
    await page.locator('[data-testid="editor-impact"]').waitFor({ state: 'visible' })
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'boundaries-vertex-checked.png') })
    // Hold the areas' reload that follows the save, to deselect while it is under way (as a user may).
    let releaseReload!: () => void
    const held = new Promise<void>((resolve) => (releaseReload = resolve))
    const isAreaReload = (url: URL) => url.pathname.endsWith('/items')
    await page.route(isAreaReload, async (route) => {
      if (route.request().method() === 'GET') await held
      await route.continue()
    })
    await page.click('[data-testid="editor-save"]')
    await page.locator('[data-testid="editor-saved"]').waitFor({ state: 'visible' })
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'boundaries-vertex-saved.png') })

    // The user deselects while the areas reload: when the reload ends, the editor must not select the saved grid again.
    await page.click('[data-testid="editor-deselect"]')
    await page.locator('[data-testid="editor-target"]').waitFor({ state: 'detached' })
    const reloaded = page.waitForResponse((response) => isAreaReload(new URL(response.url())) && response.request().method() === 'GET')
    releaseReload()
    await reloaded
    await page.unroute(isAreaReload)
    await page.waitForTimeout(1000)
    expect(await page.locator('[data-testid="editor-target"]').count(), 'selection after the reload').toBe(0)

    const moved = [...shared.owners, ...shared.edgeOwners]
    const { rows } = await sql<{ id: number; version: number; g: string }>`
      SELECT area_id AS id, version, ST_AsGeoJSON(geom, 9) AS g FROM current_areas WHERE area_id IN (${sql.join(moved.map((grid) => grid.id))})`.execute(t.database.engine.db)
    for (const grid of moved) {
      const row = rows.find((candidate) => Number(candidate.id) === grid.id)!
      expect(Number(row.version), `grid ${grid.id}`).toBe(grid.version + 1)
      expect(row.g, `grid ${grid.id} keeps the old vertex`).not.toContain(`[${shared.vertex[0]},${shared.vertex[1]}]`)
    }
    const vertexSets = rows.map((row) => new Set((JSON.parse(row.g).coordinates as Coords).flat(2).map(key)))
    const common = [...vertexSets[0]].filter((k) => vertexSets.every((set) => set.has(k)))
    expect(common.length, 'the moved vertex is shared by every grid that had it on its boundary').toBeGreaterThanOrEqual(1)
    const after = await tiling(t, shared.parent)
    expect(after.overlapM2).toBeLessThan(before.overlapM2 + 1)
    expect(after.gapM2).toBeLessThan(before.gapM2 + 1)
    const { rows: change } = await sql<{ reason: string }>`SELECT reason FROM boundary_changes ORDER BY id DESC LIMIT 1`.execute(t.database.engine.db)
    expect(change[0].reason).toBe('村民小组调整（测试）')
  })

  it('splits a grid along a drawn line', { timeout: 240_000 }, async () => {
    const { rows } = await sql<{ id: number; version: number; parent: number; code: string }>`
      SELECT area_id AS id, version, parent_id AS parent, code FROM current_areas
      WHERE level = 'fine_grid' AND parent_id <> ${editedParent} AND ST_Area(geom::geography) > 20000 ORDER BY area_id LIMIT 1`.execute(t.database.engine.db)
    const grid = { id: Number(rows[0].id), version: Number(rows[0].version), parent: Number(rows[0].parent) }
    const before = await tiling(t, grid.parent)
    const box = await bboxOf(t, [grid.id])
    if ((await page.locator('[data-testid="editor-target"]').count()) > 0) await page.click('[data-testid="editor-deselect"]')
    await page.locator('[data-testid="editor-target"]').waitFor({ state: 'detached' })
    await page.click('[data-testid="editor-tool-split"]')
    await frame(page, box)
    const pick = await screen(page, await inside(t, grid.id))
    await page.mouse.click(pick.x, pick.y)
    await page.locator('[data-testid="editor-target"]').waitFor({ state: 'visible' })
    await expect(page.locator('[data-testid="editor-target"]').textContent()).resolves.toContain(rows[0].code)

    const middle = (box[1] + box[3]) / 2
    const west = await screen(page, [box[0], middle])
    const east = await screen(page, [box[2], middle])
    await page.mouse.click(west.x - 40, west.y)
    await page.mouse.click(east.x + 40, east.y)
    await page.mouse.click(east.x + 40, east.y)
    await page.locator('[data-testid="editor-check"]:not([disabled])').waitFor()
    await page.fill('[data-testid="editor-reason"]', '拆分（测试）')
    await page.click('[data-testid="editor-check"]')
    await page.locator('[data-testid="editor-impact"]').waitFor({ state: 'visible' })
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'boundaries-split-checked.png') })
    await page.click('[data-testid="editor-save"]')
    await page.locator('[data-testid="editor-saved"]').waitFor({ state: 'visible' })
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'boundaries-split-saved.png') })

    const { rows: old } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM current_areas WHERE area_id = ${grid.id}`.execute(t.database.engine.db)
    expect(old[0].n).toBe(0)
    const { rows: parts } = await sql<{ id: number }>`
      SELECT DISTINCT c.area_id AS id FROM current_areas c JOIN area_lineage l ON l.new_area_id = c.area_id
      WHERE l.old_area_id = ${grid.id} AND l.kind = 'split'`.execute(t.database.engine.db)
    expect(parts.length).toBeGreaterThanOrEqual(2)
    const { rows: cover } = await sql<{ diff: number }>`
      SELECT ST_Area(ST_SymDifference(
        (SELECT geom FROM area_versions WHERE area_id = ${grid.id} AND version = ${grid.version}),
        (SELECT ST_Union(geom) FROM current_areas WHERE area_id IN (${sql.join(parts.map((part) => Number(part.id)))}))
      )::geography) AS diff`.execute(t.database.engine.db)
    const { rows: size } = await sql<{ m2: number }>`SELECT ST_Area(geom::geography) AS m2 FROM area_versions WHERE area_id = ${grid.id} AND version = ${grid.version}`.execute(t.database.engine.db)
    expect(Number(cover[0].diff), 'the pieces cover the old grid').toBeLessThan(Number(size[0].m2) * 1e-3)
    const after = await tiling(t, grid.parent)
    expect(after.overlapM2).toBeLessThan(before.overlapM2 + 1)
    expect(after.gapM2).toBeLessThan(before.gapM2 + 1)
  })

  it('highlights problems, and after a 412 saves nothing and reloads', { timeout: 300_000 }, async () => {
    const db = t.database.engine.db
    const { rows } = await sql<{ id: number; version: number; x: number; y: number; cx: number; cy: number }>`
      SELECT f.area_id AS id, f.version, ST_X(v.geom) AS x, ST_Y(v.geom) AS y, ST_X(ST_Centroid(t.geom)) AS cx, ST_Y(ST_Centroid(t.geom)) AS cy
      FROM current_areas f CROSS JOIN LATERAL ST_DumpPoints(f.geom) AS v, current_areas t
      WHERE f.level = 'fine_grid' AND t.level = 'town' AND f.version = 1
        AND EXISTS (SELECT 1 FROM ST_DumpPoints(t.geom) AS tv WHERE ST_Equals(tv.geom, v.geom))
      ORDER BY f.area_id LIMIT 1`.execute(db)
    const grid = { id: Number(rows[0].id), version: Number(rows[0].version) }
    const vertex: Position = [Number(rows[0].x), Number(rows[0].y)]
    const centre: Position = [Number(rows[0].cx), Number(rows[0].cy)]
    if ((await page.locator('[data-testid="editor-deselect"]').count()) > 0) await page.click('[data-testid="editor-deselect"]')
    await page.click('[data-testid="editor-tool-vertex"]')
    await frame(page, await bboxOf(t, [grid.id]))
    const pick = await screen(page, await inside(t, grid.id))
    await page.mouse.click(pick.x, pick.y)
    await page.locator('[data-testid="editor-target"]').waitFor({ state: 'visible' })
    await page.waitForFunction(() => (window.__gridatlas!.map.querySourceFeatures('editor-draw-point').length ?? 0) > 0)

    const start = await screen(page, vertex)
    const towards = await screen(page, centre)
    const length = Math.hypot(towards.x - start.x, towards.y - start.y)
    const unit = { x: (towards.x - start.x) / length, y: (towards.y - start.y) / length }
    async function drag(distancePx: number): Promise<void> {
      await page.mouse.move(start.x, start.y)
      await page.mouse.down()
      for (let step = 1; step <= 6; step++) await page.mouse.move(start.x + (unit.x * distancePx * step) / 6, start.y + (unit.y * distancePx * step) / 6)
      await page.mouse.up()
      await page.locator('[data-testid="editor-touched"]').waitFor({ state: 'visible' })
    }

    await drag(-40)
    await page.fill('[data-testid="editor-reason"]', '越界测试')
    await page.click('[data-testid="editor-check"]')
    await page.locator('[data-testid="editor-problems"] .problem').first().waitFor({ state: 'visible' })
    await page.waitForFunction(() => window.__gridatlas!.map.queryRenderedFeatures({ layers: ['editor-problems-line'] }).length > 0)
    await expect(page.locator('[data-testid="editor-save"]').isDisabled()).resolves.toBe(true)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'boundaries-problems.png') })

    await page.click('[data-testid="editor-deselect"]')
    await page.locator('[data-testid="editor-target"]').waitFor({ state: 'detached' })
    const shared = await sharedVertex(t)
    const target = shared.owners[0]
    await frame(page, await bboxOf(t, [...shared.owners, ...shared.edgeOwners].map((owner) => owner.id)))
    const inTarget = await screen(page, await inside(t, target.id))
    await page.mouse.click(inTarget.x, inTarget.y)
    await page.locator('[data-testid="editor-target"]').waitFor({ state: 'visible' })
    await page.waitForFunction(() => (window.__gridatlas!.map.querySourceFeatures('editor-draw-point').length ?? 0) > 0)
    const from = await screen(page, shared.vertex)
    await page.mouse.move(from.x, from.y)
    await page.mouse.down()
    for (let step = 1; step <= 6; step++) await page.mouse.move(from.x - step * 2, from.y + step * 2)
    await page.mouse.up()
    await page.locator('[data-testid="editor-touched"]').waitFor({ state: 'visible' })
    await page.fill('[data-testid="editor-reason"]', '并发测试')
    await page.click('[data-testid="editor-check"]')
    await page.locator('[data-testid="editor-save"]:not([disabled])').waitFor()
    const touchedIds = await sql<{ id: number; version: number }>`SELECT area_id AS id, version FROM current_areas`.execute(db)
    const versionsBefore = new Map(touchedIds.rows.map((row) => [Number(row.id), Number(row.version)]))
    const other = await t.app.inject({
      method: 'PATCH',
      url: `/api/collections/fine-grids/items/${target.id}`,
      headers: { ...admin.headers, 'if-match': `"${versionsBefore.get(target.id)}"`, 'x-change-reason': 'concurrent' },
      payload: { properties: { name: '他人改名' } },
    })
    expect(other.statusCode, other.body).toBe(200)
    await page.click('[data-testid="editor-save"]')
    await page.locator('[data-testid="editor-stale"]').waitFor({ state: 'visible' })
    await expect(page.locator('[data-testid="editor-error"]').textContent()).resolves.toMatch(/\S/)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'boundaries-stale.png') })
    const after = await sql<{ id: number; version: number }>`SELECT area_id AS id, version FROM current_areas`.execute(db)
    const changed = after.rows.filter((row) => versionsBefore.get(Number(row.id)) !== Number(row.version)).map((row) => Number(row.id))
    expect(changed, 'only the concurrent rename was written').toEqual([target.id])

    await page.click('[data-testid="editor-reload"]')
    await page.locator('[data-testid="editor-stale"]').waitFor({ state: 'detached' })
    await expect(page.locator('[data-testid="editor-target"]').textContent()).resolves.toContain(`v${versionsBefore.get(target.id)! + 1}`)
    await page.click('[data-lang="en"]')
    await page.waitForFunction(() => document.documentElement.lang === 'en')
    await expect(page.locator('[data-testid="boundary-editor"]').textContent()).resolves.toContain('Boundary editor')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'boundaries-en.png') })
  })
})
