// @ts-check
/**
 * Builds the blank embedded database of this install (PGlite with PostGIS
 * installed, nothing else) in `node_modules/.cache/gridatlas/`, unless it is
 * there: `server/core/db/blank-data-dir.js` says why. Run by `prepare`
 * (`npm install`); a failure is reported and ignored, as a first start then
 * creates the database itself.
 *
 * CLI: `node scripts/blank-database.mjs`
 */
import { blankDataDir, buildBlankDataDir } from '../server/core/db/blank-data-dir.js'
import { spawnPglite } from '../server/core/db/pglite-spawn.js'

/**
 * One request to the database thread and its answer.
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
 * Creates a database in `folder` in a database thread, installs PostGIS, closes it.
 * @param {string} folder
 */
async function createBlank(folder) {
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

const started = performance.now()
const dir = blankDataDir()
try {
  if (await buildBlankDataDir(dir, createBlank)) {
    console.log(`GridAtlas: built the blank embedded database (PostGIS) for first starts in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  } else {
    console.log('GridAtlas: the blank embedded database is ready (node_modules/.cache/gridatlas/)')
  }
} catch (error) {
  console.warn(`GridAtlas: building the blank embedded database failed; a first \`npm start\` will create the database itself.\n${String(error)}`)
}
