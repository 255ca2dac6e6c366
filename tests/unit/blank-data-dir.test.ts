import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { blankDataDir, buildBlankDataDir, copyBlankInto } from '../../server/core/db/blank-data-dir.js'
import { openEngine } from '../../server/core/db/engine.ts'
import { LOCK_FILE_NAME } from '../../server/core/db/data-dir-lock.js'
import { ENGINE_UNDER_TEST } from '../support/test-database.ts'
import { blankDatabaseReady } from '../support/template-ready.ts'

const scratch = mkdtempSync(join(tmpdir(), 'gridatlas-blank-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** A fake blank folder: a few files and a PG_VERSION. */
function fakeBlank(name: string): string {
  const dir = join(scratch, name)
  mkdirSync(join(dir, 'base/1'), { recursive: true })
  writeFileSync(join(dir, 'base/1/1259'), 'catalog')
  writeFileSync(join(dir, 'postgresql.conf'), 'conf')
  writeFileSync(join(dir, 'PG_VERSION'), '17')
  return dir
}

/**
 * A new embedded data folder starts as a copy of the install's blank database
 * (PGlite + PostGIS, built by `npm install`): a first `npm start` skipped
 * initdb and PostGIS's install script, ~10 s of a cold start (issue 11).
 */
describe('the blank embedded database', () => {
  it('is named after the PGlite and PostGIS packages, beside node_modules', () => {
    expect(blankDataDir()).toMatch(/node_modules\/\.cache\/gridatlas\/pglite-blank-[0-9a-f]{16}\.dir$/)
    expect(blankDataDir(scratch)).toBe(join(scratch, blankDataDir().split('/').at(-1)!))
  })

  it('is copied into a new folder, beside its lock file, and never over a database', () => {
    const blank = fakeBlank('blank-a')
    const data = join(scratch, 'data-a')
    mkdirSync(data)
    writeFileSync(join(data, LOCK_FILE_NAME), '1')
    expect(copyBlankInto(data, blank)).toBe(true)
    expect(readdirSync(data).sort()).toEqual([LOCK_FILE_NAME, 'PG_VERSION', 'base', 'postgresql.conf'].sort())
    expect(readFileSync(join(data, 'base/1/1259'), 'utf8')).toBe('catalog')
    writeFileSync(join(data, 'base/1/1259'), 'changed by the server')
    expect(copyBlankInto(data, blank)).toBe(false)
    expect(readFileSync(join(data, 'base/1/1259'), 'utf8')).toBe('changed by the server')
  })

  it('copies again over a copy that was cut short (no PG_VERSION yet), and does nothing without a blank folder', () => {
    const blank = fakeBlank('blank-b')
    const data = join(scratch, 'data-b')
    mkdirSync(join(data, 'base/1'), { recursive: true })
    writeFileSync(join(data, 'base/1/1259'), 'half')
    expect(copyBlankInto(data, blank)).toBe(true)
    expect(readFileSync(join(data, 'base/1/1259'), 'utf8')).toBe('catalog')
    const empty = join(scratch, 'data-c')
    expect(copyBlankInto(empty, join(scratch, 'missing'))).toBe(false)
    expect(existsSync(empty)).toBe(false)
  })

  it('is built once, in a private folder renamed into place; other versions go; a failed build leaves nothing', async () => {
    const cache = join(scratch, 'cache')
    mkdirSync(join(cache, 'pglite-blank-old.dir'), { recursive: true })
    writeFileSync(join(cache, 'postgis-slim-1-2.tar'), '')
    const dir = join(cache, 'pglite-blank-new.dir')
    const seen: string[] = []
    const create = async (folder: string) => {
      seen.push(folder)
      mkdirSync(folder)
      writeFileSync(join(folder, 'PG_VERSION'), '17')
    }
    expect(await buildBlankDataDir(dir, create)).toBe(true)
    expect(seen[0]).not.toBe(dir)
    expect(readdirSync(cache).sort()).toEqual(['pglite-blank-new.dir', 'postgis-slim-1-2.tar'])
    expect(await buildBlankDataDir(dir, create)).toBe(false)
    expect(seen).toHaveLength(1)

    const failing = join(cache, 'pglite-blank-failing.dir')
    await expect(
      buildBlankDataDir(failing, async (folder) => {
        mkdirSync(folder)
        throw new Error('initdb failed')
      }),
    ).rejects.toThrow('initdb failed')
    expect(readdirSync(cache).sort()).toEqual(['pglite-blank-new.dir', 'postgis-slim-1-2.tar'])
  })

  it.skipIf(ENGINE_UNDER_TEST === 'postgres')('gives a new data folder PostGIS before any migration; BLANK_DATABASE=off leaves the folder to PGlite', async () => {
    await blankDatabaseReady()
    expect(inject('pgliteBlankDir')).toBe(blankDataDir())
    const data = join(scratch, 'engine-data')
    const engine = await openEngine({ dataDir: data })
    try {
      const extensions = await sql<{ extname: string }>`SELECT extname FROM pg_extension ORDER BY extname`.execute(engine.db)
      expect(extensions.rows.map((row) => row.extname)).toContain('postgis')
      await expect(sql<{ v: string }>`SELECT postgis_lib_version() AS v`.execute(engine.db)).resolves.toBeTruthy()
      const tables = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`.execute(engine.db)
      // PostGIS's spatial_ref_sys is the one table: no migration has run.
      expect(tables.rows[0].n).toBe(1)
    } finally {
      await engine.close()
    }

    const previous = process.env.BLANK_DATABASE
    process.env.BLANK_DATABASE = 'off'
    const bare = join(scratch, 'engine-bare')
    try {
      const created = await openEngine({ dataDir: bare })
      try {
        const extensions = await sql<{ extname: string }>`SELECT extname FROM pg_extension`.execute(created.db)
        expect(extensions.rows.map((row) => row.extname)).not.toContain('postgis')
      } finally {
        await created.close()
      }
    } finally {
      if (previous === undefined) delete process.env.BLANK_DATABASE
      else process.env.BLANK_DATABASE = previous
    }
  }, 120_000)
})
