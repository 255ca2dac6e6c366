import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'

const brotli = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

/** A content coding the server sends: brotli, gzip or none. */
export type ContentCoding = 'br' | 'gzip' | 'identity'

/**
 * The coding to answer with for an `Accept-Encoding` header: brotli if
 * accepted, else gzip, else none. A coding with `q=0` is refused; `*`
 * accepts either. (Browsers send `gzip, deflate, br, zstd`.)
 */
export function pickCoding(acceptEncoding: string | undefined): ContentCoding {
  if (!acceptEncoding) return 'identity'
  const accepted = new Map<string, number>()
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';')
    const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)).find(Boolean)
    accepted.set(name.trim(), q ? Number(q[1]) : 1)
  }
  const weight = (coding: string) => accepted.get(coding) ?? accepted.get('*') ?? 0
  if (weight('br') > 0) return 'br'
  if (weight('gzip') > 0) return 'gzip'
  return 'identity'
}

/** One file held in memory as it is and compressed, with a strong ETag. */
export interface CompressedFile {
  etag: string
  bodies: Record<ContentCoding, Buffer>
}

/**
 * Reads `path` once and compresses it with brotli (quality 11) and gzip
 * (level 9), for a small file served often that is not part of the client
 * build (the offline basemap). The answer is cached: the file does not change
 * while the server runs.
 */
export function compressedFile(path: string): () => Promise<CompressedFile> {
  let pending: Promise<CompressedFile> | null = null
  return () => {
    pending ??= (async () => {
      const plain = await readFile(path)
      const [br, gz] = await Promise.all([
        brotli(plain, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }),
        gzipAsync(plain, { level: constants.Z_BEST_COMPRESSION }),
      ])
      const etag = `"${createHash('sha256').update(plain).digest('base64url').slice(0, 22)}"`
      return { etag, bodies: { identity: plain, br, gzip: gz } }
    })().catch((error: unknown) => {
      // A missing file may appear later (geodata generated after start): try again next time.
      pending = null
      throw error
    })
    return pending
  }
}
