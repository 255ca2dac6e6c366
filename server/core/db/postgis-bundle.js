// @ts-check
/**
 * A slim copy of the PostGIS extension bundle for the embedded database.
 *
 * `@electric-sql/pglite-postgis` ships one 20 MB tarball with PostGIS, its
 * raster and topology libraries, the tiger geocoder and every upgrade script.
 * PGlite unpacks it and compiles every `.so` in it (48 MB of WebAssembly) on
 * each open, though GridAtlas only creates `postgis`: that was two thirds of
 * the CPU of opening the database (8.5 s of CPU with PostGIS against 2.2 s
 * without, measured on the 2-core machine), paid by every start and test file.
 * The slim copy keeps `postgis-3.so`, the extension's control file and install
 * script, and the PROJ data; it is written once beside `node_modules/` and
 * reused while the package's bundle is unchanged. JavaScript for the reason
 * given in `pglite-worker.js` (it runs in the database thread).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'

const BLOCK_BYTES = 512

/** What GridAtlas uses from the bundle (paths inside the tarball). */
const KEEP = [
  /^lib\/postgresql\/postgis-3\.so$/,
  /^share\/postgresql\/extension\/postgis\.control$/,
  /^share\/postgresql\/extension\/postgis--\d+\.\d+\.\d+\.sql$/,
  /^share\/proj\//,
]

/** @param {Uint8Array} bytes @param {number} start @param {number} length */
function text(bytes, start, length) {
  const field = bytes.subarray(start, start + length)
  const end = field.indexOf(0)
  return Buffer.from(end === -1 ? field : field.subarray(0, end)).toString('utf8')
}

/**
 * The entries of a (ustar) tarball whose path `keep` accepts, plus every
 * directory, as a new tarball. Links and other entries are left out.
 * @param {Uint8Array} tar
 * @param {(path: string) => boolean} keep
 * @returns {Buffer}
 */
export function filterTar(tar, keep) {
  /** @type {Uint8Array[]} */
  const kept = []
  for (let offset = 0; offset + BLOCK_BYTES <= tar.length; ) {
    const header = tar.subarray(offset, offset + BLOCK_BYTES)
    if (header.every((byte) => byte === 0)) break
    const prefix = text(header, 345, 155)
    const path = (prefix ? `${prefix}/` : '') + text(header, 0, 100)
    const sizeBytes = parseInt(text(header, 124, 12).trim() || '0', 8)
    const type = String.fromCharCode(header[156] || 48)
    const entryBytes = BLOCK_BYTES + Math.ceil(sizeBytes / BLOCK_BYTES) * BLOCK_BYTES
    const isFile = type === '0' || type === '\0'
    if (type === '5' || (isFile && keep(path.replace(/^\.\//, '')))) kept.push(tar.subarray(offset, offset + entryBytes))
    offset += entryBytes
  }
  kept.push(new Uint8Array(BLOCK_BYTES * 2))
  return Buffer.concat(kept)
}

/**
 * Path of the slim bundle, written on first use; the package's own bundle
 * when the slim one cannot be written (a read-only install).
 * @returns {string}
 */
export function slimPostgisBundle() {
  const require = createRequire(import.meta.url)
  const full = join(dirname(require.resolve('@electric-sql/pglite-postgis')), 'postgis.tar.gz')
  const { size, mtimeMs } = statSync(full)
  const nodeModules = full.slice(0, full.lastIndexOf('node_modules') + 'node_modules'.length)
  const slim = join(nodeModules, '.cache', 'gridatlas', `postgis-slim-${size}-${Math.round(mtimeMs)}.tar.gz`)
  if (existsSync(slim)) return slim
  try {
    mkdirSync(dirname(slim), { recursive: true })
    const tar = filterTar(gunzipSync(readFileSync(full)), (path) => KEEP.some((pattern) => pattern.test(path)))
    // Written under a private name, then renamed: test files opening at once never read half a file.
    const partial = `${slim}.${process.pid}.${Date.now()}`
    writeFileSync(partial, gzipSync(tar, { level: 1 }))
    renameSync(partial, slim)
    return slim
  } catch {
    return full
  }
}
