import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import type { Plugin } from 'vite'

const brotli = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

/** Files worth compressing: text formats (images and fonts are compressed already). */
const COMPRESSIBLE = /\.(?:m?js|css|html|svg|json|geojson|txt|map|wasm)$/i
/** Below this size the compressed copy saves less than a packet. */
const MIN_BYTES = 1024

/** What {@link precompressDir} wrote. */
export interface PrecompressSummary {
  files: number
  bytes: number
  brotliBytes: number
  gzipBytes: number
}

/**
 * Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip, level 9)
 * beside every compressible file under `dir`, so that the server sends them
 * as they are (`@fastify/static` `preCompressed`) instead of compressing on
 * every request or not at all. A copy that would not be smaller is skipped;
 * the server then falls back to the plain file.
 */
export async function precompressDir(dir: string): Promise<PrecompressSummary> {
  const summary: PrecompressSummary = { files: 0, bytes: 0, brotliBytes: 0, gzipBytes: 0 }
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  await Promise.all(
    entries
      .filter((entry) => entry.isFile() && COMPRESSIBLE.test(entry.name))
      .map(async (entry) => {
        const path = join(entry.parentPath, entry.name)
        const body = await readFile(path)
        if (body.length < MIN_BYTES) return
        const [br, gz] = await Promise.all([
          brotli(body, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
              [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
            },
          }),
          gzipAsync(body, { level: constants.Z_BEST_COMPRESSION }),
        ])
        if (br.length < body.length) await writeFile(`${path}.br`, br)
        if (gz.length < body.length) await writeFile(`${path}.gz`, gz)
        summary.files += 1
        summary.bytes += body.length
        summary.brotliBytes += Math.min(br.length, body.length)
        summary.gzipBytes += Math.min(gz.length, body.length)
      }),
  )
  return summary
}

/** Vite plugin: precompresses the build output (see {@link precompressDir}) once it is written. */
export function precompress(): Plugin {
  let outDir = ''
  let log: (message: string) => void = () => undefined
  return {
    name: 'gridatlas-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir)
      log = (message) => config.logger.info(message)
    },
    async closeBundle() {
      const summary = await precompressDir(outDir)
      const kB = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`
      log(
        `precompressed ${summary.files} files: ${kB(summary.bytes)} → brotli ${kB(summary.brotliBytes)}, gzip ${kB(summary.gzipBytes)}`,
      )
    },
  }
}
