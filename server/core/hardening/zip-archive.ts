import { inflateRawSync } from 'node:zlib'
import { iter } from 'but-unzip'

/** Most entries an uploaded archive may hold (a Shapefile has 3–8 files, a KMZ one .kml and its icons). */
export const ARCHIVE_MAX_ENTRIES = 1_000

/**
 * Most bytes the entries read from one archive may unpack to, all together
 * (4 × the 32 MB upload limit; the sample township's fine grids unpack to ~2 MB).
 */
export const ARCHIVE_MAX_UNCOMPRESSED_BYTES = 128 * 1024 * 1024

/** Why an archive was refused before it was unpacked in full. */
export type ArchiveProblem =
  | { problem: 'too_many_entries'; count: number; max: number }
  | { problem: 'too_large'; limitBytes: number }

/** Result of {@link readZipEntries}. */
export type ArchiveRead = { ok: true; files: Map<string, Uint8Array> } | ({ ok: false } & ArchiveProblem)

class OverBudget extends Error {}

/**
 * Whether `bytes` end with a ZIP end-of-central-directory record (within the
 * 64 kB a trailing comment may take). The ZIP reader (but-unzip, also inside
 * shpjs) searches for it with `lastIndexOf` and, when there is none, wraps
 * around to the end and loops forever: a 36-byte upload would hang the server.
 */
export function hasEndOfCentralDirectory(bytes: Uint8Array): boolean {
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 0x05 && bytes[i + 3] === 0x06) return true
  }
  return false
}

/**
 * Unpacks the entries of a ZIP whose names `wanted` accepts, with the caps
 * above: the entry count is checked on the central directory before anything
 * is inflated, and inflation stops as soon as the running total would pass
 * the byte cap (sizes declared in the archive are not trusted: a zip bomb
 * lies about them). Throws what the ZIP reader throws on a damaged archive.
 */
export function readZipEntries(
  bytes: Uint8Array,
  wanted: (name: string) => boolean,
  caps = { maxEntries: ARCHIVE_MAX_ENTRIES, maxUncompressedBytes: ARCHIVE_MAX_UNCOMPRESSED_BYTES },
): ArchiveRead {
  if (!hasEndOfCentralDirectory(bytes)) throw new Error('not a ZIP archive: no end of central directory record')
  let count = 0
  for (const _entry of iter(bytes)) {
    count += 1
    if (count > caps.maxEntries) return { ok: false, problem: 'too_many_entries', count: countAll(bytes), max: caps.maxEntries }
  }
  let used = 0
  const cappedInflate = (raw: Uint8Array): Uint8Array => {
    const room = caps.maxUncompressedBytes - used
    if (room <= 0) throw new OverBudget()
    try {
      const out = inflateRawSync(raw, { maxOutputLength: room })
      used += out.length
      return out
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw new OverBudget()
      throw error
    }
  }
  const files = new Map<string, Uint8Array>()
  try {
    for (const entry of iter(bytes, cappedInflate)) {
      if (!wanted(entry.filename)) continue
      const before = used
      const data = entry.read() as Uint8Array
      // A stored (uncompressed) entry is not inflated, yet counts towards the cap too.
      if (used === before) used += data.length
      if (used > caps.maxUncompressedBytes) throw new OverBudget()
      files.set(entry.filename, data)
    }
  } catch (error) {
    if (error instanceof OverBudget) return { ok: false, problem: 'too_large', limitBytes: caps.maxUncompressedBytes }
    throw error
  }
  return { ok: true, files }
}

function countAll(bytes: Uint8Array): number {
  let count = 0
  for (const _entry of iter(bytes)) count += 1
  return count
}
