import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { removeStale } from '../setup/template.ts'

const dir = mkdtempSync(join(tmpdir(), 'gridatlas-test-cache-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the test database cache (.test-cache)', () => {
  it('keeps the current template (dump, folder, a build under way) and the blank folders, and removes older templates', () => {
    for (const name of ['pglite-template-old1.tar', 'pglite-template-new.tar', 'pglite-template-new.dir.123.tmp', 'pglite-blank-b1.dir']) writeFileSync(join(dir, name), '')
    for (const name of ['pglite-template-old1.dir', 'pglite-template-old2.dir', 'pglite-template-new.dir']) mkdirSync(join(dir, name))
    removeStale(dir, 'pglite-template-', join(dir, 'pglite-template-new.tar'))
    expect(readdirSync(dir).sort()).toEqual(['pglite-blank-b1.dir', 'pglite-template-new.dir', 'pglite-template-new.dir.123.tmp', 'pglite-template-new.tar'])
    // The blank folder moved to the install (node_modules/.cache): every test cache of it goes.
    removeStale(dir, 'pglite-blank-')
    expect(readdirSync(dir).sort()).toEqual(['pglite-template-new.dir', 'pglite-template-new.dir.123.tmp', 'pglite-template-new.tar'])
  })
})
