// @ts-check
/**
 * The embedded database's thread: one PGlite + PostGIS instance, answering
 * the requests of `pglite-thread.ts` one at a time.
 *
 * Why a thread: PGlite runs PostgreSQL compiled to WebAssembly, synchronously.
 * On the main thread every query blocked the event loop, so under many
 * connections the server accepted sockets late and clients timed out although
 * no request was slow on the server (issue 9, embedded load benchmark). Here
 * the queries still run one after another, but the main thread stays free to
 * accept, parse and answer.
 *
 * Why JavaScript: a worker thread starts without its parent's TypeScript
 * loader (tsx for `npm start`, vite-node in the tests); registering tsx inside
 * the worker cost 0.6–1 s per open (measured), which every test file and every
 * start would pay. `// @ts-check` keeps this file type-checked by `tsc`.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import { pathToFileURL } from 'node:url'
import { fullPostgisBundle, installSlimPostgis, slimPostgisTar } from './postgis-bundle.js'
import { lockDataDir, unlockDataDir } from './data-dir-lock.js'
import { copyBlankInto } from './blank-data-dir.js'

const INT8_OID = 20
const NUMERIC_OID = 1700

/**
 * @typedef {{ dataDir?: string, loadDataDir?: ArrayBuffer }} WorkerOptions
 * @typedef {{ id: number, op: 'query', text: string, values: unknown[] }
 *   | { id: number, op: 'exec', text: string }
 *   | { id: number, op: 'dump' }
 *   | { id: number, op: 'close' }} Request
 */

if (!parentPort) throw new Error('pglite-worker.js runs only as a worker thread')
const port = parentPort
/** @type {WorkerOptions} */
const options = workerData ?? {}

/**
 * The error fields a caller reads (`code`, `constraint`, `detail`…): only own
 * primitive fields survive the copy between threads.
 * @param {unknown} error
 */
function serialiseError(error) {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) }
  /** @type {Record<string, string | number | boolean>} */
  const fields = { name: error.name, message: error.message, stack: error.stack ?? '' }
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value
  }
  return fields
}

/** The lock file of the data folder this thread opened (data-dir-lock.js), if any. */
/** @type {string | undefined} */
let lockFile

/**
 * @param {PGlite} pglite
 * @param {Request} request
 * @returns {Promise<{ result: unknown, transfer?: ArrayBuffer[] }>}
 */
async function handle(pglite, request) {
  switch (request.op) {
    case 'query': {
      const result = await pglite.query(request.text, request.values)
      return { result: { rows: result.rows, affectedRows: result.affectedRows } }
    }
    case 'exec':
      await pglite.exec(request.text)
      return { result: null }
    case 'dump': {
      const dump = await pglite.dumpDataDir('none')
      const bytes = await dump.arrayBuffer()
      return { result: bytes, transfer: [bytes] }
    }
    case 'close':
      await pglite.close()
      if (lockFile) unlockDataDir(lockFile)
      return { result: null }
  }
}

/**
 * PostGIS as its package sets it up (environment, PROJ data path), with its
 * files taken from the slim bundle (`postgis-bundle.js` says why) and written
 * by a `preRun` step instead of a bundle PGlite would unpack.
 * @type {import('@electric-sql/pglite').Extension}
 */
const slimPostgis = {
  name: postgis.name,
  /** @param {Parameters<typeof postgis.setup>} args */
  async setup(...args) {
    const setup = await postgis.setup(...args)
    const tar = slimPostgisTar()
    if (!tar) return { ...setup, bundlePath: pathToFileURL(fullPostgisBundle()) }
    const emscripten = setup.emscriptenOpts
    return {
      ...setup,
      bundlePath: undefined,
      emscriptenOpts: { ...emscripten, preRun: [...(emscripten.preRun ?? []), installSlimPostgis(tar, emscripten.WASM_PREFIX)] },
    }
  },
}

/**
 * Refuses a dump that is neither a tar archive ("ustar" at byte 257) nor
 * gzip (1f 8b), before PGlite reads it. Why: PGlite would feed it to a
 * DecompressionStream, and on Node 20 a gzip error there is thrown outside
 * any promise (an uncaught `Z_DATA_ERROR`), so a wrong file would crash the
 * process instead of rejecting `ready`.
 * @param {ArrayBuffer} dump
 */
function checkDump(dump) {
  const bytes = new Uint8Array(dump)
  const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
  const tar = bytes.length >= 262 && new TextDecoder().decode(bytes.subarray(257, 262)) === 'ustar'
  if (!gzip && !tar) throw new Error('not a database dump: it has no tar or gzip header')
}

try {
  if (options.loadDataDir) checkDump(options.loadDataDir)
  if (options.dataDir) lockFile = lockDataDir(options.dataDir)
  // A new folder starts as a copy of the install's blank database (blank-data-dir.js says why);
  // BLANK_DATABASE=off lets PGlite create it, as an install without `prepare` does (the startup bench times both).
  if (options.dataDir && !options.loadDataDir && process.env.BLANK_DATABASE !== 'off') copyBlankInto(options.dataDir)
  const pglite = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir ? new Blob([options.loadDataDir]) : undefined,
    extensions: { postgis: slimPostgis },
    parsers: {
      [INT8_OID]: (/** @type {string} */ value) => Number(value),
      [NUMERIC_OID]: (/** @type {string} */ value) => Number(value),
    },
  })
  // Requests are answered in order: the main thread's pool already lends the
  // one connection to one caller at a time, and a chain keeps it so here too.
  let tail = Promise.resolve()
  port.on('message', (/** @type {Request} */ request) => {
    tail = tail.then(async () => {
      try {
        const { result, transfer } = await handle(pglite, request)
        port.postMessage({ id: request.id, ok: true, result }, transfer ?? [])
      } catch (error) {
        port.postMessage({ id: request.id, ok: false, error: serialiseError(error) })
      }
    })
  })
  port.postMessage({ ready: true })
} catch (error) {
  if (lockFile) unlockDataDir(lockFile)
  port.postMessage({ ready: false, error: serialiseError(error) })
}
