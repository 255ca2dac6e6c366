import { existsSync, readFileSync } from 'node:fs'
import { inject } from 'vitest'

/** How often the template's ready file is looked for. */
const POLL_MS = 100
/** Longest wait for the template: a fresh PGlite build took ~60 s on a loaded machine. */
const TIMEOUT_MS = 10 * 60_000

let ready: Promise<void> | undefined

/**
 * Resolves once this run's template database is built (tests/setup/global-setup.ts
 * builds it in the background while files that need none run), or rejects
 * with why its build failed. Every copy of the template waits for it.
 */
export function templateReady(): Promise<void> {
  ready ??= waitForTemplate(inject('templateReadyFile'))
  return ready
}

async function waitForTemplate(file: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`The test template database was not built within ${TIMEOUT_MS / 60_000} minutes (no ${file})`)
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  const state = readFileSync(file, 'utf8')
  if (state !== 'ok') throw new Error(state)
}
