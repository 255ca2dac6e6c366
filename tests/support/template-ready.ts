import { existsSync, readFileSync } from 'node:fs'
import { inject } from 'vitest'

/** How often a ready file is looked for. */
const POLL_MS = 100
/** Longest wait for the template: a fresh PGlite build took ~60 s on a loaded machine. */
const TIMEOUT_MS = 10 * 60_000

let ready: Promise<void> | undefined
let blankReady: Promise<void> | undefined

/**
 * Resolves once this run's template database is built (tests/setup/global-setup.ts
 * builds it in the background while files that need none run), or rejects
 * with why its build failed. Every copy of the template waits for it.
 */
export function templateReady(): Promise<void> {
  ready ??= waitForReadyFile(inject('templateReadyFile'), 'test template database')
  return ready
}

/** Like {@link templateReady}, for the blank PGlite folder (built first; at once on PostgreSQL runs). */
export function blankDatabaseReady(): Promise<void> {
  blankReady ??= waitForReadyFile(inject('blankReadyFile'), 'blank test database')
  return blankReady
}

async function waitForReadyFile(file: string, what: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`The ${what} was not built within ${TIMEOUT_MS / 60_000} minutes (no ${file})`)
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  const state = readFileSync(file, 'utf8')
  if (state !== 'ok') throw new Error(state)
}
