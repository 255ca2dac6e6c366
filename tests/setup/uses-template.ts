import { readFileSync } from 'node:fs'

/**
 * Whether a test file copies the run's template database, which is built in
 * the background while the run starts (tests/setup/global-setup.ts): it uses
 * the test app or a test database, directly or through a support module that
 * does. A file judged wrongly only waits in its first hook, or runs later
 * than it could.
 */
export function usesTemplate(file: string): boolean {
  return /createTestApp|openTestDatabase|templateReady|support\/(two-towns|second-town|served-app)/.test(readFileSync(file, 'utf8'))
}
