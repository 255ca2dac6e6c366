// @ts-check
/**
 * Builds the client (vite → dist/client/) and the server (esbuild → one file,
 * dist/server/main.js) only when what they are built from changed since the
 * last build: a SHA-256 of those inputs is stored beside the output
 * (dist/client.sha256, dist/server.sha256) after a successful build, with a
 * stamp of their sizes and modification times (dist/*.stamp) that spares
 * reading them again while none of them was touched.
 *
 * Why JavaScript and not TypeScript: `npm start` runs this before the server
 * on every start, and starting Node with tsx's loader costs 0.5 s of CPU before
 * the first line (measured), a sixth of the 3 s warm-start budget (issue 11).
 * `// @ts-check` keeps it checked by `tsc` where `allowJs` is on.
 *
 * CLI: `node scripts/build-if-changed.mjs [client] [server] [--force] [--soft]`
 * (no target: both; `--force` builds even when nothing changed; `--soft`
 * reports a failed build and exits 0, for the `prepare` step of `npm install`).
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** Root of the repository (with a trailing slash). */
export const ROOT = fileURLToPath(new URL('../', import.meta.url))
const DIST = join(ROOT, 'dist')

/** The file the built server starts from. */
export const SERVER_ENTRY = join(DIST, 'server/main.js')

/**
 * @typedef {object} Target
 * @property {string[]} inputs files and folders (relative to the root) whose content decides whether to rebuild
 * @property {string} output a file that exists after a successful build
 * @property {() => Promise<void>} build
 */

/** @type {Record<'client' | 'server', Target>} */
const TARGETS = {
  client: {
    // What `vite build` reads: the client's sources, its config and the installed versions.
    inputs: ['client', 'vite.config.ts', 'tsconfig.json', 'package-lock.json'],
    output: join(DIST, 'client/index.html'),
    build: buildClient,
  },
  server: {
    inputs: ['server', 'tsconfig.json', 'package-lock.json', 'scripts/build-if-changed.mjs'],
    output: SERVER_ENTRY,
    build: buildServer,
  },
}

/** Paths of every file under `path` (a file or a folder), sorted, skipping dot-files. */
function listFiles(/** @type {string} */ path) {
  if (!existsSync(path)) return []
  if (!statSync(path).isDirectory()) return [path]
  /** @type {string[]} */
  const files = []
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
    const full = join(path, entry.name)
    if (entry.isDirectory()) files.push(...listFiles(full))
    else files.push(full)
  }
  return files
}

/**
 * SHA-256 of a target's inputs: relative paths and contents. The root's own
 * path is included because the server bundle embeds absolute source paths.
 */
export function inputsHash(/** @type {'client' | 'server'} */ name) {
  const hash = createHash('sha256').update(name).update('\0').update(ROOT)
  for (const input of TARGETS[name].inputs) {
    for (const file of listFiles(join(ROOT, input))) {
      hash.update('\0').update(relative(ROOT, file)).update('\0').update(readFileSync(file))
    }
  }
  return hash.digest('hex')
}

function hashFile(/** @type {string} */ name) {
  return join(DIST, `${name}.sha256`)
}

function stampFile(/** @type {string} */ name) {
  return join(DIST, `${name}.stamp`)
}

/**
 * A cheaper fingerprint of a target's inputs than {@link inputsHash}: their
 * paths, sizes and modification times (what make trusts). When it is the one
 * stored after the last build or check, the contents are not read again.
 */
export function inputsStamp(/** @type {'client' | 'server'} */ name) {
  const hash = createHash('sha256').update(name).update('\0').update(ROOT)
  for (const input of TARGETS[name].inputs) {
    for (const file of listFiles(join(ROOT, input))) {
      const { size, mtimeMs } = statSync(file)
      hash.update('\0').update(relative(ROOT, file)).update(`\0${size}\0${mtimeMs}`)
    }
  }
  return hash.digest('hex')
}

/** The content of `file` without its line end, or undefined if it is missing. */
function readStored(/** @type {string} */ file) {
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined
}

/**
 * Builds `name` when its inputs changed (or `force`), and says what it did.
 * Whether they changed: if their stamp ({@link inputsStamp}) is the one stored
 * with the last build's hash, they did not; otherwise their content hash
 * decides (and a matching hash stores the new stamp: files touched, not
 * changed). Reading every input for the hash cost 0.15–0.2 s of each warm
 * start before anything else could begin (issue 11).
 * The stored hash is removed before building, so an interrupted build is redone.
 * @param {'client' | 'server'} name
 * @param {{ force?: boolean, log?: (line: string) => void }} [options]
 * @returns {Promise<boolean>} whether it built
 */
export async function buildIfChanged(name, options = {}) {
  const log = options.log ?? ((line) => console.log(line))
  const stored = hashFile(name)
  const storedHash = readStored(stored)
  const built = existsSync(TARGETS[name].output) && storedHash !== undefined
  const stamp = inputsStamp(name)
  if (built && !options.force && readStored(stampFile(name)) === `${stamp} ${storedHash}`) return false
  const hash = inputsHash(name)
  const fresh = built && storedHash === hash
  if (fresh && !options.force) {
    writeFileSync(stampFile(name), `${stamp} ${hash}\n`)
    return false
  }
  const started = performance.now()
  log(`GridAtlas: building the ${name} (${fresh ? 'forced' : existsSync(TARGETS[name].output) ? 'sources changed' : 'not built yet'}) …`)
  rmSync(stored, { force: true })
  rmSync(stampFile(name), { force: true })
  await TARGETS[name].build()
  mkdirSync(DIST, { recursive: true })
  writeFileSync(stored, `${hash}\n`)
  // The stamp of the inputs as they were hashed: a file saved during the build makes the next check hash again.
  writeFileSync(stampFile(name), `${stamp} ${hash}\n`)
  log(`GridAtlas: built the ${name} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return true
}

async function buildClient() {
  // vite is a development dependency: imported only when a build is due.
  const { build } = await import('vite')
  await build({ root: join(ROOT, 'client'), configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' })
}

/**
 * Packages bundled into the server instead of imported from node_modules:
 * pure ES modules made of hundreds of small files (typebox ~700, kysely ~280),
 * which Node 20 resolved, read, compiled and linked one by one at every start
 * (0.3 s and 0.2 s of CPU to import them alone). Only the server imports
 * them at run time, so there is one copy of each.
 */
const BUNDLED_PACKAGES = new Set(['typebox', 'kysely'])

/**
 * The server as one ES module with the packages left as imports (but {@link BUNDLED_PACKAGES}). Each source
 * file's `import.meta.url` is replaced by that file's own URL, so paths it
 * resolves (migrations/, geodata/, the PGlite worker script) stay those of the
 * source tree and the bundle runs from dist/ unchanged.
 */
async function buildServer() {
  const esbuild = await import('esbuild')
  const serverDir = join(ROOT, 'server')
  await esbuild.build({
    entryPoints: [join(serverDir, 'main.ts')],
    outfile: SERVER_ENTRY,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    // Class and function names stay as written: error names and logs use them.
    keepNames: true,
    logLevel: 'warning',
    plugins: [
      {
        // Packages stay imports of node_modules, except those in BUNDLED_PACKAGES.
        name: 'external-packages',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) => {
            const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0]
            if (BUNDLED_PACKAGES.has(name) && args.kind !== 'dynamic-import') return undefined
            return { path: args.path, external: true }
          })
        },
      },
      {
        name: 'source-import-meta-url',
        setup(build) {
          build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
            if (!args.path.startsWith(serverDir)) return undefined
            const source = readFileSync(args.path, 'utf8')
            const url = JSON.stringify(pathToFileURL(args.path).href)
            return { contents: source.replaceAll('import.meta.url', url), loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js' }
          })
        },
      },
    ],
  })
}

/** CLI: `node scripts/build-if-changed.mjs [client] [server] [--force] [--soft]`. */
async function main() {
  const args = process.argv.slice(2)
  const names = /** @type {('client' | 'server')[]} */ (args.filter((arg) => arg === 'client' || arg === 'server'))
  const unknown = args.filter((arg) => !['client', 'server', '--force', '--soft'].includes(arg))
  if (unknown.length > 0) throw new Error(`unknown argument(s) ${unknown.join(' ')}; use: [client] [server] [--force] [--soft]`)
  for (const name of names.length > 0 ? names : /** @type {const} */ (['client', 'server'])) {
    try {
      const built = await buildIfChanged(name, { force: args.includes('--force') })
      if (!built) console.log(`GridAtlas: the ${name} is up to date (dist/${name}.sha256)`)
    } catch (error) {
      if (!args.includes('--soft')) throw error
      console.warn(`GridAtlas: building the ${name} failed; \`npm start\` will try again.\n${String(error)}`)
    }
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) await main()
