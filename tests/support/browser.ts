import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { ROOT } from '../setup/template.database.ts'

/** Debian's Chromium, driven by playwright-core. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Whether browser tests can run here. Under CI (CI=true) a missing Chromium
 * is an error, not a skip, so that a broken install cannot pass silently.
 */
export const BROWSER_AVAILABLE = existsSync(CHROMIUM_PATH)
if (!BROWSER_AVAILABLE && process.env.CI) {
  throw new Error(`Chromium not found at ${CHROMIUM_PATH}; .ci/run installs it (apt-get install -y chromium)`)
}

/** Folder for screenshots taken by browser tests. */
export const ARTIFACTS_DIR = join(ROOT, 'tests/artifacts')

/** Launches headless Chromium with the flags this machine needs. */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true })
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  })
}
