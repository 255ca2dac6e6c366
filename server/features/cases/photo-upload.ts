import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { FastifyRequest } from 'fastify'
import { HttpError } from '../../core/http/http-error.ts'
import { sniffPhotoType, type PhotoContentType } from './photo-type.ts'

/** Bytes the type check needs: WebP is `RIFF` + 4 size bytes + `WEBP`. */
const HEAD_BYTES = 12

/** Folder (inside the photo folder, so the final move is a rename) holding uploads being received. */
export const INCOMING_DIR = '.incoming'

/** A photo received to a temporary file, its type known from its first bytes. */
export interface ReceivedPhoto {
  tempPath: string
  sizeBytes: number
  contentType: PhotoContentType
  originalName: string
}

/**
 * Passes bytes through, refusing the stream (415) as soon as its first bytes
 * are not a JPEG, PNG or WebP, so a wrong file is not written out in full.
 */
class PhotoHeadCheck extends Transform {
  private head = Buffer.alloc(0)
  type: PhotoContentType | undefined
  bytes = 0

  constructor(private readonly fileName: string) {
    super()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length
    if (this.type === undefined && this.head.length < HEAD_BYTES) {
      this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD_BYTES - this.head.length)])
      if (this.head.length >= HEAD_BYTES && !this.sniff()) return done(this.refusal())
    }
    done(null, chunk)
  }

  override _flush(done: TransformCallback): void {
    if (this.type === undefined && !this.sniff()) return done(this.refusal())
    done()
  }

  private sniff(): boolean {
    this.type = sniffPhotoType(this.head)
    return this.type !== undefined
  }

  private refusal(): HttpError {
    return new HttpError(415, 'photo_bad_type', { fileName: this.fileName || '—' })
  }
}

/** Maps @fastify/multipart's limit errors to ours; anything else is passed on. */
function uploadError(error: unknown, limits: { maxBytes: number; maxFiles: number }): unknown {
  const code = (error as { code?: string }).code
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new HttpError(413, 'photo_too_large', { maxMegabytes: limits.maxBytes / 1024 / 1024 })
  if (code === 'FST_FILES_LIMIT') return new HttpError(400, 'photo_batch_limit', { max: limits.maxFiles })
  return error
}

/**
 * Receives every file part of a multipart request, each streamed to its own
 * temporary file under `<photoDir>/.incoming` (never held in memory): the type
 * is checked on the first bytes (415), the size by the multipart limit (413).
 * On any failure every temporary file is removed before the error is thrown.
 * The caller moves the files into place or calls {@link discardReceived}.
 */
export async function receivePhotoUploads(
  request: FastifyRequest,
  photoDir: string,
  limits: { maxBytes: number; maxFiles: number },
): Promise<ReceivedPhoto[]> {
  if (!request.isMultipart()) throw new HttpError(415, 'content_type_refused', { type: request.headers['content-type'] ?? '—', expected: 'multipart/form-data' })
  const incoming = join(photoDir, INCOMING_DIR)
  await mkdir(incoming, { recursive: true })
  const received: ReceivedPhoto[] = []
  const temporary: string[] = []
  try {
    for await (const part of request.files()) {
      const tempPath = join(incoming, `${randomBytes(16).toString('hex')}.part`)
      temporary.push(tempPath)
      const check = new PhotoHeadCheck(part.filename)
      await pipeline(part.file, check, createWriteStream(tempPath, { flags: 'wx' }))
      if (part.file.truncated) throw new HttpError(413, 'photo_too_large', { maxMegabytes: limits.maxBytes / 1024 / 1024 })
      received.push({ tempPath, sizeBytes: check.bytes, contentType: check.type!, originalName: part.filename })
    }
  } catch (error) {
    await discardReceived(temporary)
    throw uploadError(error, limits)
  }
  return received
}

/** Removes temporary upload files (those already moved into place are simply gone). */
export async function discardReceived(paths: string[]): Promise<void> {
  await Promise.all(paths.map((path) => rm(path, { force: true })))
}
