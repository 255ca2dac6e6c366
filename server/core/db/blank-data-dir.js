// @ts-check
/**
 * A blank embedded database: a PGlite data folder holding nothing but
 * PostGIS, built once per install beside `node_modules/` and copied into a
 * new data folder before PGlite first opens it.
 *
 * Why: a first `npm start` on a new `./data/` ran initdb (~3 s) and
 * PostGIS's install script (`CREATE EXTENSION postgis`, ~8 s of the thread's
 * CPU) before the migrations, measured alone on the 2-core machine: the
 * larger part of a cold start that must stay under 30 s (issue 11). Both give
 * the same folder on every machine with the same PGlite and PostGIS packages,
 * so `npm install` builds it once (`scripts/blank-database.mjs`, in
 * `prepare`) and a new data folder starts as a copy; migration 0001's
 * `CREATE EXTENSION IF NOT EXISTS postgis` then does nothing, as for a DBA who
 * installed PostGIS before the first start. Without the blank folder (an
 * install with `--ignore-scripts`, a read-only `node_modules/`) PGlite
 * creates the database itself, as before. The tests copy the same folder.
 *
 * JavaScript for the reason given in `pglite-worker.js` (it runs in the
 * database thread and in the `prepare` script).
 */
import { createHash } from 'node:crypto'
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { spawnPglite } from './pglite-spawn.js'

/** The file initdb writes last and PGlite reads to tell an existing database from a new folder. */
const VERSION_FILE = 'PG_VERSION'

/** Name prefix of the blank folders in the cache. */
const PREFIX = 'pglite-blank-'

/** `node_modules/` of the install that holds PGlite. */
function nodeModulesDir() {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite-postgis')
  return entry.slice(0, entry.lastIndexOf('node_modules') + 'node_modules'.length)
}

/**
 * Path of the blank folder of this install: named after a hash of the
 * PGlite and PostGIS packages' manifests, so that another version builds
 * another folder.
 * @param {string} [cacheDir] where to keep it; default `node_modules/.cache/gridatlas/`
 * @returns {string}
 */
export function blankDataDir(cacheDir) {
  const modules = nodeModulesDir()
  const hash = createHash('sha256')
  for (const name of ['@electric-sql/pglite', '@electric-sql/pglite-postgis']) hash.update(readFileSync(join(modules, name, 'package.json')))
  return join(cacheDir ?? join(modules, '.cache', 'gridatlas'), `${PREFIX}${hash.digest('hex').slice(0, 16)}.dir`)
}

/**
 * Copies the blank folder into `dataDir` when `dataDir` holds no database
 * yet and the blank folder exists; returns whether it did. `PG_VERSION` is
 * copied last: a copy cut short leaves a folder PGlite still sees as new, and
 * the next open copies again over it. Call it with the folder locked
 * (`data-dir-lock.js`); the lock file is not in the blank folder.
 * @param {string} dataDir
 * @param {string} [blankDir] default {@link blankDataDir}
 * @returns {boolean}
 */
export function copyBlankInto(dataDir, blankDir) {
  if (existsSync(join(dataDir, VERSION_FILE))) return false
  const blank = blankDir ?? blankDataDir()
  if (!existsSync(join(blank, VERSION_FILE))) return false
  mkdirSync(dataDir, { recursive: true })
  cpSync(blank, dataDir, { recursive: true, filter: (source) => source !== join(blank, VERSION_FILE) })
  copyFileSync(join(blank, VERSION_FILE), join(dataDir, VERSION_FILE))
  return true
}

/**
 * One request to a database thread (`pglite-worker.js`) and its answer.
 * @param {import('node:worker_threads').Worker} worker
 * @param {{ id: number, op: 'exec', text: string } | { id: number, op: 'close' }} request
 * @returns {Promise<void>}
 */
function ask(worker, request) {
  return new Promise((resolve, reject) => {
    const onMessage = (/** @type {{ id: number, ok: boolean, error?: { message?: string } }} */ message) => {
      if (message.id !== request.id) return
      worker.off('message', onMessage)
      if (message.ok) resolve()
      else reject(new Error(message.error?.message ?? `${request.op} failed`))
    }
    worker.on('message', onMessage)
    worker.postMessage(request)
  })
}

/**
 * Creates a PGlite database in `folder` in a database thread, installs
 * PostGIS and closes it: what {@link buildBlankDataDir} builds by default.
 * @param {string} folder
 * @returns {Promise<void>}
 */
export async function createBlankDatabase(folder) {
  const { worker, opened } = spawnPglite({ dataDir: folder })
  try {
    const open = await opened
    if (!open.ready) throw new Error(String(open.error?.message ?? 'the embedded database did not open'))
    await ask(worker, { id: 1, op: 'exec', text: 'CREATE EXTENSION IF NOT EXISTS postgis' })
    await ask(worker, { id: 2, op: 'close' })
  } finally {
    await worker.terminate()
  }
}

/**
 * Builds the blank folder at `dir` unless it exists, with `create`
 * ({@link createBlankDatabase} unless a test gives another), which must
 * create a PGlite database in the folder it is given, install PostGIS and
 * close it. The build happens in a private folder renamed into place, so
 * a reader never sees half a database; the blank folders of other versions
 * in the same cache are removed. Returns whether it built one.
 * @param {string} dir
 * @param {(folder: string) => Promise<void>} [create]
 * @returns {Promise<boolean>}
 */
export async function buildBlankDataDir(dir, create = createBlankDatabase) {
  if (existsSync(join(dir, VERSION_FILE))) return false
  const cacheDir = dirname(dir)
  mkdirSync(cacheDir, { recursive: true })
  const building = `${dir}.${process.pid}.tmp`
  rmSync(building, { recursive: true, force: true })
  try {
    await create(building)
    rmSync(dir, { recursive: true, force: true })
    renameSync(building, dir)
  } finally {
    rmSync(building, { recursive: true, force: true })
  }
  for (const name of readdirSync(cacheDir)) {
    if (name.startsWith(PREFIX) && join(cacheDir, name) !== dir && !name.endsWith('.tmp')) rmSync(join(cacheDir, name), { recursive: true, force: true })
  }
  return true
}
