import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setMeta } from '../../server/core/db/app-meta.repository.ts'
import { ARTIFACTS_DIR, BROWSER_AVAILABLE, centreOn, launchBrowser, signIn, signInToMap } from '../support/browser.ts'
import { caseClient, disputeFeature, hazardFeature } from '../support/cases.ts'
import type { TestUser } from '../support/test-app.ts'
import { serveAppForFile } from '../support/served-app.ts'
import { addSecondTown, type TwoTowns } from '../support/two-towns.ts'

/** Ids of the features of a map source (every tile loaded), sorted. */
async function sourceIds(page: Page, source: string): Promise<number[]> {
  return page.evaluate((source) => {
    const map = window.__gridatlas!.map
    if (!map.getSource(source)) return []
    return [...new Set(map.querySourceFeatures(source).map((feature) => Number(feature.id)))].sort((a, b) => a - b)
  }, source)
}

/** A pixel on `layer`'s feature `id`, searched in rings around the map centre. */
async function pixelOn(page: Page, layer: string, id: number): Promise<{ x: number; y: number }> {
  const found = await page.evaluate(
    ({ layer, id }) => {
      const map = window.__gridatlas!.map
      const centre = map.project(map.getCenter())
      for (let radius = 0; radius <= 300; radius += 12) {
        for (let angle = 0; angle < 360; angle += 30) {
          const x = centre.x + radius * Math.cos((angle * Math.PI) / 180)
          const y = centre.y + radius * Math.sin((angle * Math.PI) / 180)
          // The topmost feature there must be the area itself: a case symbol or a label above it would take the click.
          const top = map.queryRenderedFeatures([x, y])[0]
          if (top?.layer.id === layer && Number(top.id) === id) {
            const rect = map.getCanvas().getBoundingClientRect()
            return { x: rect.left + x, y: rect.top + y }
          }
        }
      }
      return null
    },
    { layer, id },
  )
  if (!found) throw new Error(`no pixel on ${layer} ${id}`)
  return found
}

/*
 * A county of two towns in headless Chromium, three parts sharing one app,
 * database and server (each browser file paid ~15–45 s of setup of its own):
 * county users on the risk map and the dashboard; the header's place name;
 * a party from the neighbouring town on a dispute. They run in this order:
 * the later parts add data (the county's name, a dispute) the earlier ones
 * count. Town A is the sample town, town B is drawn along A's eastern border.
 */
const served = serveAppForFile()
let towns: TwoTowns
let browser: Browser

beforeAll(async () => {
  if (!BROWSER_AVAILABLE) return
  towns = await addSecondTown(served.t.database.engine.db)
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
})

/*
 * County users on the risk map (风险一张图) and the dashboard (态势看板), in
 * headless Chromium: the town selector (全县 / one town) and the 镇 level,
 * town outlines with their names, the choropleth by town, picking a town to
 * narrow the map to it; the towns compared in the dashboard (uPlot bars);
 * dispute clusters naming their towns with a 跨镇 badge. Screenshots in
 * tests/artifacts/county-map-*.png.
 */
describe.skipIf(!BROWSER_AVAILABLE)('county users on the risk map and the dashboard in headless Chromium', () => {
  let page: Page
  let countyLeader: TestUser

  beforeAll(async () => {
    const dispatcherA = await served.t.signIn('dispatcher', { townId: towns.townA })
    const dispatcherB = await served.t.signIn('dispatcher', { townId: towns.townB })
    countyLeader = await served.t.signIn('county_leader', { townId: null })
    const cases = caseClient(served.t)
    const register = async (user: TestUser, kind: 'hazards' | 'disputes', feature: unknown) => {
      const response = await cases.register(user, kind, feature)
      expect(response.statusCode, response.body).toBe(201)
    }
    // A few minutes ago: the dashboard's period ends at the last whole minute.
    const reportedAt = new Date(Date.now() - 5 * 60_000).toISOString()
    // Two disputes of A and one of B within ~200 m across the border: one cluster spanning both towns.
    await register(dispatcherA, 'disputes', disputeFeature(towns.border.a, [towns.villageA], { reportedAt }))
    await register(dispatcherA, 'disputes', disputeFeature(towns.border.a, [towns.villageA], { reportedAt }))
    await register(dispatcherB, 'disputes', disputeFeature(towns.border.b, [towns.villageB], { reportedAt }))
    // Deep inside B: critical hazards, so that B scores higher than A.
    for (let index = 0; index < 3; index++) await register(dispatcherB, 'hazards', hazardFeature(towns.insideB, { severity: 'critical', reportedAt }))
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    await signInToMap(page, served.baseUrl, countyLeader)
  }, 120_000)

  afterAll(async () => {
    await page?.context().close()
  })

  it('draws the towns side by side: outlines with names, the 镇 level coloured by town', async () => {
    await page.click('[data-testid="risk-mode"]')
    await page.waitForSelector('[data-testid="risk-town"] option:nth-child(3)', { state: 'attached', timeout: 30_000 })
    const options = await page.$$eval('[data-testid="risk-town"] option', (all) => all.map((option) => option.textContent?.trim()))
    expect(options).toEqual(['全县', '喜洲镇', '东岸镇'])
    expect(await page.textContent('[data-risk-level="town"]')).toBe('镇')
    await page.click('[data-risk-level="town"]')
    await page.waitForFunction((ids) => {
      const map = window.__gridatlas!.map
      const drawn = new Set(map.querySourceFeatures('risk').map((feature) => Number(feature.id)))
      return ids.every((id) => drawn.has(id)) && drawn.size === ids.length
    }, [towns.townA, towns.townB], { timeout: 30_000 })
    const scores = await page.evaluate(() =>
      Object.fromEntries(window.__gridatlas!.map.querySourceFeatures('risk').map((feature) => [String(feature.properties.name), Number(feature.properties.score)])),
    )
    expect(scores['东岸镇']).toBeGreaterThan(scores['喜洲镇'])
    // Another source than 'risk': its data may still be in the map's worker.
    await page.waitForFunction(() => window.__gridatlas!.map.querySourceFeatures('county-towns-labels').length > 0, undefined, { timeout: 30_000 })
    const labels = await page.evaluate(() => window.__gridatlas!.map.querySourceFeatures('county-towns-labels').map((feature) => String(feature.properties.name)))
    expect([...new Set(labels)].sort()).toEqual(['东岸镇', '喜洲镇'].sort())
    await page.waitForFunction(() => window.__gridatlas!.map.queryRenderedFeatures({ layers: ['county-towns-label'] }).length >= 2, undefined, { timeout: 15_000 })
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'county-map-towns-zh.png') })
  })

  it('narrows the risk map to the town picked on the map', async () => {
    await centreOn(page, towns.insideB, 13)
    const pixel = await pixelOn(page, 'risk-fill', towns.townB)
    await page.mouse.click(pixel.x, pixel.y)
    await page.waitForFunction((id) => (document.querySelector('[data-testid="risk-town"]') as HTMLSelectElement | null)?.value === String(id), towns.townB)
    expect(await page.getAttribute('[data-risk-level="village"]', 'aria-pressed')).toBe('true')
    await page.waitForFunction((id) => {
      const ids = window.__gridatlas!.map.querySourceFeatures('risk').map((feature) => Number(feature.id))
      return ids.length > 0 && ids.every((one) => one === id)
    }, towns.villageB, { timeout: 30_000 })
    expect(await sourceIds(page, 'risk')).toEqual([towns.villageB])
    await page.waitForTimeout(900)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'county-map-one-town-zh.png') })
  })

  it('sends the chosen town with the change view (变化), the hex bins and the heat map', async () => {
    const askedForTownB = (path: string) =>
      page.waitForRequest((request) => request.url().includes(path) && new URL(request.url()).searchParams.get('townId') === String(towns.townB), { timeout: 30_000 })
    let asked = askedForTownB('/api/analytics/risk/change')
    await page.click('[data-testid="risk-change"]')
    await asked
    asked = askedForTownB('/api/analytics/bins')
    await page.click('[data-hexbins="hazards"]')
    await asked
    asked = askedForTownB('/api/analytics/bins')
    await page.click('[data-heatmap="hazards"]')
    await asked
    // Back as the next test expects them: no change list, no bins, no heat map.
    await page.click('[data-heatmap="off"]')
    await page.click('[data-hexbins="off"]')
    await page.click('[data-testid="risk-change"]')
  })

  it('lists dispute clusters with their towns and a 跨镇 badge', async () => {
    await page.selectOption('[data-testid="risk-town"]', '')
    // The whole county again: villages of both towns.
    await page.waitForFunction((ids) => ids.every((id) => window.__gridatlas!.map.querySourceFeatures('risk').some((feature) => Number(feature.id) === id)), [towns.villageA, towns.villageB], {
      timeout: 30_000,
    })
    await page.click('[data-testid="risk-clusters"]')
    const cross = '[data-testid="risk-cluster-list"] [data-cross-town="true"]'
    await page.waitForSelector(cross, { timeout: 30_000 })
    expect(await page.textContent(`${cross} [data-testid="cluster-cross-town"]`)).toBe('跨镇')
    expect((await page.textContent(`${cross} [data-testid="cluster-towns"]`))?.split('、').sort()).toEqual(['东岸镇', '喜洲镇'].sort())
    await centreOn(page, towns.border.a, 14)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'county-map-clusters-zh.png') })
    // One town chosen: its clusters only, none across the border.
    await page.selectOption('[data-testid="risk-town"]', String(towns.townA))
    await page.waitForSelector(cross, { state: 'detached', timeout: 30_000 })
  })

  it('switches the risk map to English', async () => {
    await page.click('button[data-lang="en"]')
    await page.waitForFunction(() => document.querySelector('[data-testid="risk-town"] option[value=""]')?.textContent === 'Whole county', undefined, { timeout: 30_000 })
    expect(await page.textContent('[data-risk-level="town"]')).toBe('Towns')
    await page.selectOption('[data-testid="risk-town"]', '')
    const badge = '[data-testid="risk-cluster-list"] [data-cross-town="true"] [data-testid="cluster-cross-town"]'
    await page.waitForSelector(badge, { timeout: 30_000 })
    expect(await page.textContent(badge)).toBe('Cross-town')
    expect((await page.textContent('[data-testid="risk-cluster-list"] [data-cross-town="true"] [data-testid="cluster-towns"]'))?.split(', ').sort()).toEqual(['Dong’an', 'Xizhou Town'].sort())
    await page.waitForTimeout(600)
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'county-map-en.png') })
  })

  it('compares the towns in the dashboard with uPlot bars', async () => {
    await page.click('button[data-lang="zh"]')
    await page.click('[data-testid="mode-dashboard"]')
    await page.waitForSelector('[data-testid="towns-cases"] canvas', { timeout: 60_000 })
    await page.waitForSelector('[data-testid="towns-on-time"] canvas')
    const rows = await page.$$eval('[data-testid="towns-cases"] tbody tr', (trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent?.trim())))
    // Code order: Xizhou (A) first. Disputes, then hazards, reported in the period.
    expect(rows).toEqual([
      ['喜洲镇', '2', '0'],
      ['东岸镇', '1', '3'],
    ])
    const onTime = await page.$$eval('[data-testid="towns-on-time"] tbody td', (cells) => cells.map((cell) => cell.textContent?.trim()))
    // Nothing closed yet: no rate, and the chart says so.
    expect(onTime).toEqual(['—', '—'])
    expect(await page.textContent('[data-testid="towns-on-time-empty"]')).toBe('本期各镇均无办结案件')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'county-map-dashboard-zh.png') })
    await page.click('button[data-lang="en"]')
    await page.waitForFunction(() => document.querySelector('[data-testid="towns-cases"] figcaption')?.textContent?.includes('Cases by town'), undefined, { timeout: 30_000 })
    expect(await page.$$eval('[data-testid="towns-cases"] tbody th', (cells) => cells.map((cell) => cell.textContent?.trim()))).toEqual(['Xizhou Town', 'Dong’an'])
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'county-map-dashboard-en.png') })
  })
})

/*
 * The header's place name in a county of two towns: the county (大理市) for
 * county users — the first town's name (喜洲镇) misled them — and the user's
 * own town for town users, in both languages. Screenshots in tests/artifacts/
 * (county-header-zh.png, county-header-en.png, county-header-town.png).
 */
describe.skipIf(!BROWSER_AVAILABLE)('header names the county or the town', () => {
  let countyLeader: TestUser
  let leaderB: TestUser
  let countySecurityAdmin: TestUser

  beforeAll(async () => {
    await setMeta(served.t.database.engine.db, 'county', { name: '大理市', nameEn: 'Dali City', code: '532901' })
    countyLeader = await served.t.signIn('county_leader', { townId: null })
    leaderB = await served.t.signIn('leader', { townId: towns.townB })
    countySecurityAdmin = await served.t.signIn('security_admin', { townId: null })
  }, 120_000)

  async function signedIn(user: TestUser): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    await page.goto(served.baseUrl)
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

/*
 * A town's dispatcher registers a dispute along the town border whose second
 * party lives in the neighbouring town: the home-village picker offers the
 * own town's villages, then the other towns' grouped by town (the directory
 * of divisions, migration 0023). Screenshot: tests/artifacts/cross-town-party-picker.png.
 */
describe.skipIf(!BROWSER_AVAILABLE)('a party from the neighbouring town, in headless Chromium', { timeout: 240_000 }, () => {
  let page: Page
  let dispatcherA: TestUser

  beforeAll(async () => {
    dispatcherA = await served.t.signIn('dispatcher', { townId: towns.townA })
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage()
    await signInToMap(page, served.baseUrl, dispatcherA, 120_000)
  }, 240_000)

  afterAll(async () => {
    await page?.context().close()
  })

  it('offers the neighbouring town\'s villages grouped by town, and the registered dispute names the party\'s village', async () => {
    await centreOn(page, towns.border.a, 15)
    await page.click('[data-testid="register-button"]')
    await page.locator('[data-testid="placing-hint"]').waitFor({ state: 'visible' })
    const point = await page.evaluate(({ lon, lat }) => {
      const map = window.__gridatlas!.map
      const canvas = map.getCanvas().getBoundingClientRect()
      const at = map.project([lon, lat])
      return { x: canvas.left + at.x, y: canvas.top + at.y }
    }, towns.border.a)
    await page.mouse.click(point.x, point.y)
    const sheet = page.locator('[data-testid="register-sheet"]')
    await sheet.waitFor({ state: 'visible' })
    await sheet.locator('textarea[name="description"]').fill('两镇交界处排水沟占地纠纷，一方住东岸村')
    const rows = sheet.locator('[data-testid="party-row"]')
    const picker = rows.nth(1).locator('select[name="party-village"]')
    // The other town's group appears once the directory has loaded.
    await picker.locator(`optgroup[data-town-id="${towns.townB}"]`).waitFor({ state: 'attached', timeout: 10_000 })
    const groups = await picker.locator('optgroup').evaluateAll((nodes) => nodes.map((node) => (node as HTMLOptGroupElement).label))
    expect(groups).toEqual(['喜洲镇', '东岸镇'])
    const other = await picker.locator(`optgroup[data-town-id="${towns.townB}"] option`).allTextContents()
    expect(other).toEqual(['东岸村'])
    await rows.nth(0).locator('input[name="party-name"]').fill('杨某甲')
    await rows.nth(0).locator('select[name="party-village"]').selectOption(String(towns.villageA))
    await rows.nth(1).locator('input[name="party-name"]').fill('段某乙')
    await picker.selectOption(String(towns.villageB))
    // Show the open list in the screenshot: a <select> cannot be drawn open headless, so show it as a list box.
    await picker.evaluate((node) => {
      const select = node as HTMLSelectElement
      select.size = 8
      select.scrollTop = select.scrollHeight
    })
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cross-town-party-picker.png') })
    await picker.evaluate((node) => ((node as HTMLSelectElement).size = 0))
    await sheet.locator('[data-testid="register-submit"]').click()

    const panel = page.locator('[data-testid="case-panel"]')
    await panel.locator('[data-testid="case-status"][data-status="registered"]').waitFor({ timeout: 15_000 })
    await expect(panel.textContent()).resolves.toContain('东岸镇·东岸村')
    await expect(panel.textContent()).resolves.toContain('段某乙')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'cross-town-party-case.png') })
  })
})
