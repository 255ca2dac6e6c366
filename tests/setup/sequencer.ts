import { existsSync, readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { BaseSequencer, type TestSpecification } from 'vitest/node'
import { usesTemplate } from './uses-template.ts'

/** Seconds a test file took last time it was measured, by path from the repository root (tests/durations.json). */
export const DURATIONS_FILE = 'tests/durations.json'

/** What a file missing from {@link DURATIONS_FILE} is assumed to take: browser files are the long ones. */
function guessSeconds(path: string): number {
  return path.startsWith('tests/browser/') || path.startsWith('tests/cluster/') ? 30 : 3
}

/**
 * Runs the files that need no template database first, while it is built
 * (they would otherwise wait idle), then the longest test files first, by the durations committed in
 * {@link DURATIONS_FILE}, so that the two workers end together on short files
 * instead of one finishing a 100-second browser file alone.
 *
 * Why not vitest's own order (longest first by its results cache): that cache
 * lives in node_modules/.vite, which a fresh CI install does not have (then
 * files are ordered by size), and every single-file run in another worktree
 * sharing node_modules rewrites it. Refresh the file with
 * `TEST_DURATIONS_OUT=tests/durations.json npm test -- --reporter=default --reporter=./tests/support/durations-reporter.ts`.
 */
export default class DurationSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const known = existsSync(DURATIONS_FILE) ? (JSON.parse(readFileSync(DURATIONS_FILE, 'utf8')) as Record<string, number>) : {}
    const seconds = (file: TestSpecification) => {
      const path = relative(file.project.config.root, file.moduleId)
      return known[path] ?? guessSeconds(path)
    }
    // Vitest's order first (failed files, then its cache), so equal estimates keep it.
    const ordered = await super.sort(files)
    return ordered
      .map((file, index) => ({ file, index, seconds: seconds(file), waits: usesTemplate(file.moduleId) }))
      .sort((a, b) => Number(a.waits) - Number(b.waits) || b.seconds - a.seconds || a.index - b.index)
      .map(({ file }) => file)
  }
}
