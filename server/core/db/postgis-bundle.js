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
 * script, and the PROJ data; it is written once beside `node_modules/`
 * (uncompressed, see {@link slimPostgisTar}) and reused while the package's
 * bundle is unchanged. JavaScript for the reason
 * given in `pglite-worker.js` (it runs in the database thread).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { gunzipSync } from 'node:zlib'

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
 * The files of a (ustar) tarball, as views into `tar` (nothing copied).
 * @param {Uint8Array} tar
 * @returns {{ path: string, data: Uint8Array }[]}
 */
export function tarFiles(tar) {
  /** @type {{ path: string, data: Uint8Array }[]} */
  const files = []
  for (let offset = 0; offset + BLOCK_BYTES <= tar.length; ) {
    const header = tar.subarray(offset, offset + BLOCK_BYTES)
    if (header.every((byte) => byte === 0)) break
    const prefix = text(header, 345, 155)
    const path = ((prefix ? `${prefix}/` : '') + text(header, 0, 100)).replace(/^\.\//, '')
    const sizeBytes = parseInt(text(header, 124, 12).trim() || '0', 8)
    const type = String.fromCharCode(header[156] || 48)
    if (type === '0' || type === '\0') files.push({ path, data: tar.subarray(offset + BLOCK_BYTES, offset + BLOCK_BYTES + sizeBytes) })
    offset += BLOCK_BYTES + Math.ceil(sizeBytes / BLOCK_BYTES) * BLOCK_BYTES
  }
  return files
}

/** The package's own bundle (gzipped tarball of everything). */
function packageBundle() {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('@electric-sql/pglite-postgis')), 'postgis.tar.gz')
}

/**
 * Path of the slim bundle, an uncompressed tarball written on first use beside
 * `node_modules/` (named after the package bundle's size and date, so a new
 * version writes a new one); undefined when it cannot be written (a read-only
 * install).
 *
 * Uncompressed because PGlite read a gzipped bundle through a stream, a Blob
 * and a copy into its file system on every open: 0.5–0.9 s of the database
 * thread's CPU for the 34 MB (CPU profile of a warm start, issue 11).
 * {@link installSlimPostgis} reads this one with one `readFileSync` and hands
 * PGlite views into it.
 * @returns {string | undefined}
 */
export function slimPostgisTar() {
  const full = packageBundle()
  const { size, mtimeMs } = statSync(full)
  const nodeModules = full.slice(0, full.lastIndexOf('node_modules') + 'node_modules'.length)
  const slim = join(nodeModules, '.cache', 'gridatlas', `postgis-slim-${size}-${Math.round(mtimeMs)}.tar`)
  if (existsSync(slim)) return slim
  try {
    mkdirSync(dirname(slim), { recursive: true })
    const tar = filterTar(gunzipSync(readFileSync(full)), (path) => KEEP.some((pattern) => pattern.test(path)))
    // Written under a private name, then renamed: test files opening at once never read half a file.
    const partial = `${slim}.${process.pid}.${Date.now()}`
    writeFileSync(partial, tar)
    renameSync(partial, slim)
    return slim
  } catch {
    return undefined
  }
}

/**
 * What the `postgis` extension's setup gives PGlite instead of a bundle path:
 * a `preRun` step writing the slim bundle's files into PGlite's file system
 * before PostgreSQL starts, handed over without a copy.
 *
 * `postgis-3.so` is written as a plain file, not preloaded: PostgreSQL loads
 * it when a PostGIS function is first called (Emscripten compiles it then),
 * as PostgreSQL itself loads an extension's library in each backend at first
 * use. Preloaded, as PGlite does it, its 17 MB of WebAssembly were compiled
 * and linked before PostgreSQL could start: 0.8 s of the database thread's
 * CPU on every open (1.7–2.0 s instead of 2.6–2.8 s, 3 alternating runs),
 * on the critical path of a warm `npm start` (issue 11). The server asks for
 * it right after it is ready (main.ts), while nobody waits.
 * @param {string} tarPath from {@link slimPostgisTar}
 * @param {string} prefix PGlite's install prefix in its file system (`/pglite`)
 * @returns {(module: any) => void} the preRun step
 */
export function installSlimPostgis(tarPath, prefix) {
  const files = tarFiles(new Uint8Array(readFileSync(tarPath)))
  return (module) => {
    const FS = module.FS
    for (const { path, data } of files) {
      const full = `${prefix}/${path}`
      const dir = full.slice(0, full.lastIndexOf('/'))
      if (!FS.analyzePath(dir).exists) FS.mkdirTree(dir)
      FS.writeFile(full, data, { canOwn: true })
    }
  }
}

/**
 * Path of the package's gzipped bundle when the slim one cannot be written.
 * @returns {string}
 */
export function fullPostgisBundle() {
  return packageBundle()
}
