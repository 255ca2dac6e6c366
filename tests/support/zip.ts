import { createDeflateRaw } from 'node:zlib'

/** One entry of a hand-made ZIP: its name, the bytes as stored, and how. */
export interface ZipEntry {
  name: string
  /** The bytes as they sit in the archive (deflated when `method` is 8). */
  data: Buffer
  /** 0 stored, 8 deflated. */
  method: 0 | 8
  /** The size the archive claims once unpacked (a zip bomb lies here). */
  declaredSize: number
}

/**
 * A ZIP archive of `entries` (no CRC: the readers under test do not check it),
 * so tests can build archives with any declared sizes and entry counts.
 */
export function zipOf(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const entry of entries) {
    const name = Buffer.from(entry.name)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(entry.method, 8)
    local.writeUInt32LE(entry.data.length, 18)
    local.writeUInt32LE(entry.declaredSize, 22)
    local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(entry.method, 10)
    central.writeUInt32LE(entry.data.length, 20)
    central.writeUInt32LE(entry.declaredSize, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, entry.data)
    centrals.push(central, name)
    offset += local.length + name.length + entry.data.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

/** `megabytes` MB of zeros, deflated (about 1 kB per MB), without holding them in memory. */
export async function deflatedZeros(megabytes: number): Promise<Buffer> {
  const deflate = createDeflateRaw({ level: 9 })
  const chunks: Buffer[] = []
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve)
    deflate.on('error', reject)
  })
  const block = Buffer.alloc(1024 * 1024)
  for (let i = 0; i < megabytes; i++) {
    if (!deflate.write(block)) await new Promise((resolve) => deflate.once('drain', resolve))
  }
  deflate.end()
  await done
  return Buffer.concat(chunks)
}
