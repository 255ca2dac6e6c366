// @ts-check
/**
 * One process at a time in an embedded data folder. PGlite takes no lock of
 * its own: a second process (say `npm run user:create` while the server
 * runs) opened the same files, reported success, and its writes were lost
 * when the server next wrote the folder, or worse, the two mixed their pages.
 * Now the thread that opens a folder writes its process id into
 * {@link LOCK_FILE_NAME} there and removes it on close; another live process
 * is refused with a message saying which. A file left by a process that
 * ended without closing (killed) is taken over.
 *
 * JavaScript: the database thread (`pglite-worker.js`) loads it without a
 * TypeScript loader.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** The file naming the process that has the folder open (PostgreSQL's own postmaster.pid plays this part on a server). */
export const LOCK_FILE_NAME = 'gridatlas-open.pid'

/**
 * Whether process `pid` is still running. A zombie is not: it has ended and
 * waits only to be reaped, which in a container whose first process does not
 * reap (no `--init`) is never. Seen here: a server stopped by `timeout` stayed
 * a zombie, and `npm start` refused its data folder.
 * @param {number} pid
 */
function running(pid) {
  try {
    process.kill(pid, 0)
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM'
  }
  return !zombie(pid)
}

/**
 * Whether `/proc` says `pid` has ended (state Z, zombie, or X, dead); false
 * where there is no `/proc`.
 * @param {number} pid
 */
function zombie(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // "pid (command) state …": the command may hold spaces and parentheses, the state follows the last ')'.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
    return state === 'Z' || state === 'X'
  } catch {
    return false
  }
}

/**
 * Marks `dataDir` as open by this process, or throws if another running
 * process has it open. The same process may open it again (tests and
 * benchmarks reopen a folder they closed or still hold).
 * @param {string} dataDir
 * @returns {string} the lock file, for {@link unlockDataDir}
 */
export function lockDataDir(dataDir) {
  mkdirSync(dataDir, { recursive: true })
  const file = join(dataDir, LOCK_FILE_NAME)
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' })
      return file
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error
    }
    const holder = Number(readFileSync(file, 'utf8').trim())
    if (holder === process.pid) return file
    if (Number.isInteger(holder) && holder > 0 && running(holder)) {
      throw new Error(
        `The embedded database in ${dataDir} is open in another process (pid ${holder}), probably the GridAtlas server: ` +
          `stop it first, one process at a time may open the folder. If no such process runs, delete ${file}.`,
      )
    }
    // Left by a process that ended without closing the folder.
    rmSync(file, { force: true })
  }
  throw new Error(`Could not take ${file}: another process keeps creating it.`)
}

/**
 * Removes the lock file if it still names this process.
 * @param {string} file
 */
export function unlockDataDir(file) {
  try {
    if (Number(readFileSync(file, 'utf8').trim()) === process.pid) rmSync(file, { force: true })
  } catch {
    // Already gone.
  }
}
