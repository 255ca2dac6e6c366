import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { relative } from 'node:path'
import type { Reporter, TestModule } from 'vitest/node'

/**
 * Prints, per test file, where its time went: import (collect), hooks (the
 * file's duration minus its tests': beforeAll/afterAll, app, browser and
 * sign-in), and each test. The JSON reporter gives tests only, so a file
 * whose time is in its `beforeAll` looked cheap there.
 *
 * `npx vitest run tests/browser/x.test.ts --reporter=default --reporter=./tests/support/durations-reporter.ts`
 *
 * With `TEST_DURATIONS_OUT=tests/durations.json` it also records each file's
 * total seconds there (merged with the files it did not run), the order
 * tests/setup/sequencer.ts runs files in.
 */
export default class DurationsReporter implements Reporter {
  readonly #secondsByFile: Record<string, number> = {}

  onTestRunEnd(): void {
    const out = process.env.TEST_DURATIONS_OUT
    if (!out || Object.keys(this.#secondsByFile).length === 0) return
    const known = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, number>) : {}
    const merged = Object.entries({ ...known, ...this.#secondsByFile }).sort((a, b) => b[1] - a[1])
    writeFileSync(out, `${JSON.stringify(Object.fromEntries(merged), null, 2)}\n`)
  }

  onTestModuleEnd(module: TestModule): void {
    const diagnostic = module.diagnostic()
    this.#secondsByFile[relative(module.project.config.root, module.moduleId)] = Math.round((diagnostic.collectDuration + diagnostic.duration) / 100) / 10
    let testsMs = 0
    const lines: string[] = []
    for (const test of module.children.allTests()) {
      const ms = test.diagnostic()?.duration ?? 0
      testsMs += ms
      lines.push(`    ${seconds(ms)}  ${test.result().state === 'passed' ? ' ' : test.result().state}  ${test.name.slice(0, 90)}`)
    }
    const hooksMs = diagnostic.duration - testsMs
    console.log(
      `[durations] ${module.moduleId.replace(/.*\/tests\//, 'tests/')}: total ${seconds(diagnostic.collectDuration + diagnostic.duration)} = import ${seconds(diagnostic.collectDuration)} + hooks ${seconds(hooksMs)} + tests ${seconds(testsMs)}\n${lines.join('\n')}`,
    )
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`.padStart(8)
}
