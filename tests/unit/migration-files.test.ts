import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { DbEngine } from '../../server/core/db/engine.ts'
import { migrate, MIGRATIONS_DIR } from '../../server/core/db/migrate.ts'
import { HISTORICAL_SHARED_PREFIX_FILES, listMigrationFiles } from '../../server/core/db/migration-files.ts'

/** Temporary migration folders made by {@link folderWith}, removed after each test. */
const folders: string[] = []

/** A temporary folder holding empty migration files with these names. */
function folderWith(...names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'gridatlas-migrations-'))
  folders.push(dir)
  for (const name of names) writeFileSync(join(dir, name), '-- empty\n')
  return dir
}

afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('migration file numbers', () => {
  it('accepts the real migrations folder, with its three historical 0009 files, in file-name order', async () => {
    const files = await listMigrationFiles(MIGRATIONS_DIR)
    expect(files.filter((name) => name.startsWith('0009_'))).toEqual([...HISTORICAL_SHARED_PREFIX_FILES].sort())
    expect(files).toEqual([...files].sort())
    expect(files[0]).toBe('0001_extensions.sql')
    expect(files.length).toBeGreaterThanOrEqual(14)
  })

  it('refuses two migrations numbered 0015 and names both files', async () => {
    const dir = folderWith('0014_last.sql', '0015_a.sql', '0015_b.sql')
    const refusal = listMigrationFiles(dir)
    await expect(refusal).rejects.toThrow(/0015_a\.sql/)
    await expect(refusal).rejects.toThrow(/0015_b\.sql/)
    await expect(refusal).rejects.toThrow('Migrations 0015_a.sql and 0015_b.sql share the number 0015; each migration needs a number of its own (the next free one is 0016).')
  })

  it('compares numbers, not spellings, and refuses a new file joining the historical 0009 group', async () => {
    await expect(listMigrationFiles(folderWith('0015_a.sql', '015_b.sql'))).rejects.toThrow(/0015_a\.sql and 015_b\.sql share/)
    await expect(listMigrationFiles(folderWith(...HISTORICAL_SHARED_PREFIX_FILES, '0009_new.sql'))).rejects.toThrow(/0009_new\.sql/)
    await expect(listMigrationFiles(folderWith(...HISTORICAL_SHARED_PREFIX_FILES, '0010_a.sql', 'notes.txt'))).resolves.toEqual([...[...HISTORICAL_SHARED_PREFIX_FILES].sort(), '0010_a.sql'])
  })

  it('stops the migrator before it applies anything', async () => {
    const scripts: string[] = []
    // Just enough of an engine for migrate(): the check runs before any query but the bookkeeping table's.
    const engine = { kind: 'pglite', exec: async (script: string) => void scripts.push(script) } as unknown as DbEngine
    await expect(migrate(engine, folderWith('0015_a.sql', '0015_b.sql'))).rejects.toThrow(/0015_a\.sql and 0015_b\.sql/)
    expect(scripts).toHaveLength(1)
    expect(scripts[0]).toMatch(/CREATE TABLE IF NOT EXISTS schema_migrations/)
  })
})
