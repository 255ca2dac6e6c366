// @ts-check
/**
 * Starts the embedded database's thread (`pglite-worker.js`) and tells when
 * PGlite is open in it; `pglite-thread.ts` talks to it afterwards.
 *
 * `npm start` (scripts/start.mjs) starts the thread before anything else,
 * with {@link prespawnPglite}: opening PGlite + PostGIS takes 2.5–3 s of the
 * thread's CPU, and before, it began only once the start script had checked
 * the build and Node had loaded the server's code (1–1.5 s of the main
 * thread). The server then adopts that thread ({@link takePrespawnedPglite})
 * instead of starting its own (issue 11: a warm start in ≤ 3 s).
 *
 * JavaScript for the reason given in `pglite-worker.js`: the start script runs
 * it in plain Node, before any TypeScript is loaded.
 */
import { mkdirSync } from 'node:fs'
import { Worker } from 'node:worker_threads'

const WORKER_URL = new URL('./pglite-worker.js', import.meta.url)

/** Where a prespawned thread waits for the server (shared by the start script and the server bundle). */
const PRESPAWNED = Symbol.for('gridatlas.pglite.prespawned')

/**
 * The thread's first message: PGlite opened, or the error that stopped it.
 * @typedef {{ ready: boolean, error?: Record<string, unknown> }} OpenMessage
 */

/**
 * A started thread and its first message; the promise rejects if the thread
 * fails or exits before sending it.
 * @typedef {{ worker: Worker, opened: Promise<OpenMessage> }} SpawnedPglite
 */

/**
 * Starts the thread; PGlite opens in it meanwhile. `loadDataDir` (a dump) is
 * transferred to the thread.
 * @param {{ dataDir?: string, loadDataDir?: ArrayBuffer }} options
 * @returns {SpawnedPglite}
 */
export function spawnPglite(options) {
  const worker = new Worker(WORKER_URL, {
    workerData: { dataDir: options.dataDir, loadDataDir: options.loadDataDir },
    transferList: options.loadDataDir ? [options.loadDataDir] : [],
  })
  /** @type {Promise<OpenMessage>} */
  const opened = new Promise((resolve, reject) => {
    const onExit = (/** @type {number} */ code) => reject(new Error(`The embedded database thread exited (code ${code}) while opening.`))
    worker.once('error', reject)
    worker.once('exit', onExit)
    worker.once('message', (/** @type {OpenMessage} */ message) => {
      worker.off('error', reject)
      worker.off('exit', onExit)
      resolve(message)
    })
  })
  // Seen by whoever adopts the thread; until then a failure must not count as unhandled.
  opened.catch(() => {})
  return { worker, opened }
}

/**
 * Starts the thread on the data folder `dataDir` for a server that this
 * process is about to load; it adopts it with {@link takePrespawnedPglite}.
 * Until then the thread does not keep the process alive.
 * @param {string} dataDir absolute path, as the server's config resolves `DATA_DIR`
 */
export function prespawnPglite(dataDir) {
  mkdirSync(dataDir, { recursive: true })
  const spawned = spawnPglite({ dataDir })
  spawned.worker.unref()
  const store = /** @type {Record<symbol, unknown>} */ (globalThis)
  store[PRESPAWNED] = { dataDir, spawned }
}

/**
 * The thread {@link prespawnPglite} started for `dataDir`, once; undefined if
 * none was. A thread started for another folder is ended, not used.
 * @param {string} dataDir
 * @returns {SpawnedPglite | undefined}
 */
export function takePrespawnedPglite(dataDir) {
  const store = /** @type {Record<symbol, { dataDir: string, spawned: SpawnedPglite } | undefined>} */ (globalThis)
  const prespawned = store[PRESPAWNED]
  if (!prespawned) return undefined
  delete store[PRESPAWNED]
  if (prespawned.dataDir === dataDir) return prespawned.spawned
  void prespawned.spawned.worker.terminate()
  return undefined
}
