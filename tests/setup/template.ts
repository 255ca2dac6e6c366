import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import pg from 'pg'
import { openEngine, type DbEngine, type EngineOptions } from '../../server/core/db/engine.ts'
import { blankDataDir, buildBlankDataDir } from '../../server/core/db/blank-data-dir.js'
import { SYSTEM_SCOPE } from '../../server/core/db/db-scope.ts'
import { migrate, MIGRATIONS_DIR } from '../../server/core/db/migrate.ts'
import { seedSampleTownship } from '../../server/seed/sample-township.ts'

/** Root of the repository. */
export const ROOT = new URL('../../', import.meta.url).pathname
/** Folder of the sample township. */
export const GEODATA_DIR = join(ROOT, 'geodata/xizhou')
const CACHE_DIR = join(ROOT, '.test-cache')

/** A hash of everything the template is built from, so a cached dump is never stale. */
function templateKey(): string {
  const hash = createHash('sha256')
  for (const dir of [MIGRATIONS_DIR, GEODATA_DIR]) {
    for (const name of readdirSync(dir).sort()) {
      if (name.endsWith('.md')) continue
      hash.update(name).update(readFileSync(join(dir, name)))
    }
  }
  hash.update(readFileSync(join(ROOT, 'server/seed/sample-township.ts')))
  return hash.digest('hex').slice(0, 16)
}

/** Where the PGlite template dump of the current migrations and sample township is (or will be) kept. */
export function pgliteTemplateFile(): string {
  return join(CACHE_DIR, `pglite-template-${templateKey()}.tar`)
}

/**
 * Where the blank PGlite data folder is kept: the install's own
 * (`node_modules/.cache/gridatlas/`, server/core/db/blank-data-dir.js), which
 * `npm install` builds and a first `npm start` copies.
 */
export function pgliteBlankDir(): string {
  return blankDataDir()
}

/**
 * Builds (or reuses) the blank PGlite data folder, holding nothing but
 * PostGIS: what a database is before migration 0001's `CREATE EXTENSION IF
 * NOT EXISTS postgis`, which then does nothing. `npm install` has normally
 * built it already (scripts/blank-database.mjs).
 *
 * Why: every fresh PGlite ran initdb (~3 s more than opening a folder) and
 * PostGIS's install script (~8 s), measured alone on this machine; the
 * template, the migration and county-sample files and the engine's own tests
 * each paid them. They copy this folder instead ({@link openBlankPglite}).
 * Test caches of it from before it moved to the install are removed.
 */
export async function buildPgliteBlank(dir: string = pgliteBlankDir()): Promise<string> {
  await buildBlankDataDir(dir)
  if (existsSync(CACHE_DIR)) removeStale(CACHE_DIR, 'pglite-blank-')
  return dir
}

/**
 * Removes the cached databases in `cacheDir` named `prefix…` other than `kept`
 * (and its unpacked folder or dump, and a build of it under way); all of them
 * when `kept` is not given. Each change of the migrations, the sample or the
 * engine left ~130 MB behind, 0.8 GB after six on this machine.
 */
export function removeStale(cacheDir: string, prefix: string, kept?: string): void {
  const keptStem = kept === undefined ? undefined : basename(kept).replace(/\.(tar|dir)$/, '')
  for (const name of readdirSync(cacheDir)) {
    if (!name.startsWith(prefix) || (keptStem !== undefined && name.startsWith(keptStem))) continue
    rmSync(join(cacheDir, name), { recursive: true, force: true })
  }
}

/**
 * A new PGlite engine on a copy of the blank folder ({@link buildPgliteBlank})
 * made in `scratchDir`; closing the engine removes the copy.
 */
export async function openBlankPglite(blankDir: string, scratchDir: string, options: Omit<EngineOptions, 'dataDir' | 'databaseUrl'> = {}): Promise<DbEngine> {
  const dataDir = mkdtempSync(join(scratchDir, 'blank-'))
  cpSync(blankDir, dataDir, { recursive: true })
  const engine = await openEngine({ ...options, dataDir })
  return {
    ...engine,
    async close() {
      await engine.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/**
 * Builds (or reuses from `.test-cache/`) a PGlite dump with the schema and
 * the sample township, and returns its path. Test files start from it. It
 * starts from the blank folder (a copy of it, in `scratchDir`).
 */
export async function buildPgliteTemplate(file: string = pgliteTemplateFile(), blankDir?: string, scratchDir: string = CACHE_DIR): Promise<string> {
  if (existsSync(file)) return file
  mkdirSync(CACHE_DIR, { recursive: true })
  const engine = blankDir ? await openBlankPglite(blankDir, scratchDir, { defaultScope: SYSTEM_SCOPE }) : await openEngine({ defaultScope: SYSTEM_SCOPE })
  try {
    await migrate(engine)
    await engine.db.transaction().execute((trx) => seedSampleTownship(trx, GEODATA_DIR))
    const dump = await engine.pglite!.dumpDataDir()
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()))
  } finally {
    await engine.close()
  }
  removeStale(CACHE_DIR, 'pglite-template-', file)
  return file
}

/** Connection string `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

/** Runs one statement on the server's maintenance connection (the URL's own database). */
export async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

/** Databases on the server of `url` whose names start with `template` followed by `_` (the copies test files made of it). */
export async function databasesNamedAfter(url: string, template: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [`${template}_`])
    return rows.map((row) => row.datname)
  } finally {
    await client.end()
  }
}

/** A new name for this run's PostgreSQL template database. */
export function postgresTemplateName(): string {
  return `gridatlas_tpl_${process.pid}_${Date.now()}`
}

/**
 * Creates a PostgreSQL template database with the schema and the sample
 * township on the server of `url`; test files copy it with CREATE DATABASE … TEMPLATE.
 */
export async function buildPostgresTemplate(url: string, name: string = postgresTemplateName()): Promise<string> {
  await adminQuery(url, `CREATE DATABASE ${name}`)
  const engine = await openEngine({ databaseUrl: withDatabase(url, name), poolSize: 2, defaultScope: SYSTEM_SCOPE })
  try {
    await migrate(engine)
    await engine.db.transaction().execute((trx) => seedSampleTownship(trx, GEODATA_DIR))
  } finally {
    await engine.close()
  }
  return name
}

