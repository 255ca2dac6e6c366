import { afterAll, beforeAll } from 'vitest'
import { BROWSER_AVAILABLE } from './browser.ts'
import { createTestApp, type TestApp, type TestAppOptions } from './test-app.ts'

/** The app of a browser test file and the address it listens on; filled in by the file's first hook. */
export interface ServedApp {
  t: TestApp
  baseUrl: string
}

/**
 * One app with the built client for a whole browser test file, listening on a
 * free port: opened before the file's first test, closed after its last.
 * Why one per file: each browser file's app, database copy and server cost
 * ~15–45 s of setup, so a file's parts (describe blocks) share them rather
 * than each opening its own. Call it at the top level of the file; the hooks
 * registered after it run after it.
 */
export function serveAppForFile(options: TestAppOptions = {}): ServedApp {
  const served = {} as ServedApp
  beforeAll(async () => {
    if (!BROWSER_AVAILABLE) return
    served.t = await createTestApp({ withClient: true, ...options })
    served.baseUrl = await served.t.app.listen({ port: 0, host: '127.0.0.1' })
  }, 120_000)
  afterAll(async () => {
    await served.t?.close()
  })
  return served
}
