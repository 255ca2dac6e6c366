import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerCase } from '../support/analytics.ts'
import { BROWSER_AVAILABLE, centreOn, launchBrowser, signInToMap } from '../support/browser.ts'
import { gridPoints, type GridPoint } from '../support/cases.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'

/*
 * The overdue halo's pulse repaints the whole map for a second out of every
 * 1.7. It runs only while an overdue halo is in view, and not at all when the
 * system asks for reduced motion (phones and field tablets would otherwise
 * spend battery on an idle map). Counted as the map's `render` events over a
 * few seconds after it went idle; the suite's other files switch the pulse
 * off (TEST_MAP_OPTIONS), this one switches it on.
 */
const WATCH_MS = 2_500

/** Render events of the map during `WATCH_MS`, counted from its next idle. */
async function rendersWhileWatching(page: Page): Promise<number> {
  return page.evaluate(
    (watchMs) =>
      new Promise<number>((resolve) => {
        const map = window.__gridatlas!.map
        const count = () => {
          let renders = 0
          const onRender = () => (renders += 1)
          map.on('render', onRender)
          setTimeout(() => {
            map.off('render', onRender)
            resolve(renders)
          }, watchMs)
        }
        if (map.loaded() && !map.isMoving()) count()
        else map.once('idle', count)
      }),
    WATCH_MS,
  )
}

describe.skipIf(!BROWSER_AVAILABLE)('the overdue halo pulses only when one is in view and motion is welcome', () => {
  let t: TestApp
  let browser: Browser
  let leader: TestUser
  let baseUrl: string
  let overdue: GridPoint

  beforeAll(async () => {
    t = await createTestApp({ withClient: true })
    const db = t.database.engine.db
    overdue = (await gridPoints(db))[3]
    const dispatcher = await t.signIn('dispatcher')
    const id = await registerCase(t, dispatcher, 'hazards', overdue, { severity: 'high', reportedAt: new Date(Date.now() - 10 * 86_400_000).toISOString() })
    await db.updateTable('cases').set({ deadline_at: new Date(Date.now() - 86_400_000) }).where('id', '=', id).execute()
    leader = await t.signIn('leader')
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchBrowser({ pulse: true })
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  it('repaints while an overdue case is in view, and not once when none is', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } })
    await signInToMap(page, baseUrl, leader)
    await centreOn(page, overdue, 16)
    await page.waitForFunction(() => window.__gridatlas!.map.queryRenderedFeatures({ layers: ['hazards-halo'] }).length > 0, undefined, { timeout: 30_000 })
    expect(await rendersWhileWatching(page), 'renders with an overdue halo in view').toBeGreaterThan(5)
    // North of the township: nothing of it in view.
    await centreOn(page, { lon: overdue.lon, lat: overdue.lat + 0.2 }, 16)
    expect(await page.evaluate(() => window.__gridatlas!.map.queryRenderedFeatures({ layers: ['hazards-halo'] }).length)).toBe(0)
    expect(await rendersWhileWatching(page), 'renders with no halo in view').toBe(0)
    await page.close()
  })

  it('never pulses when the system asks for reduced motion', async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, reducedMotion: 'reduce' })
    const page = await context.newPage()
    await signInToMap(page, baseUrl, leader)
    await centreOn(page, overdue, 16)
    await page.waitForFunction(() => window.__gridatlas!.map.queryRenderedFeatures({ layers: ['hazards-halo'] }).length > 0, undefined, { timeout: 30_000 })
    expect(await rendersWhileWatching(page), 'renders with an overdue halo in view, reduced motion').toBe(0)
    await context.close()
  })
})
