import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import multipart from '@fastify/multipart'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { canRead } from './access.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { currentUser } from '../../core/auth/auth.plugin.ts'
import { findCasePhoto, listCasePhotos, type CasePhotoRow } from './photos.repository.ts'
import { findCaseById, type CaseRow } from './cases.repository.ts'
import { MAX_PHOTO_BYTES, MAX_PHOTOS_PER_CASE, mayAddPhotos, storeCasePhotos } from './photos.service.ts'
import { discardReceived, receivePhotoUploads } from './photo-upload.ts'
import { UPLOAD_RETRY_AFTER_SECONDS } from '../../core/hardening/request-limits.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { IdParams } from './cases.schemas.ts'
import { STAFF_GRID_SCOPED } from '../../core/auth/access.ts'

/** Options of {@link casePhotosRoutes}. */
export interface CasePhotosOptions {
  /** Folder the photo files are stored in (created when missing). */
  photoDir: string
}

/** A stored photo as the API lists it. */
const StoredPhotoSchema = Type.Object({
  id: Type.Integer(),
  url: Type.String({ description: 'GET it with the same permission as the case' }),
  contentType: Type.String(),
  sizeBytes: Type.Integer(),
  originalName: Type.Union([Type.String(), Type.Null()]),
  uploadedAt: Type.String(),
  uploadedBy: Type.Integer(),
})
const PhotoListSchema = Type.Object({ photos: Type.Array(StoredPhotoSchema) })

const toStoredPhoto = (photo: CasePhotoRow) => ({
  id: photo.id,
  url: `/api/cases/${photo.case_id}/photos/${photo.id}`,
  contentType: photo.content_type,
  sizeBytes: photo.size_bytes,
  originalName: photo.original_name,
  uploadedAt: photo.uploaded_at.toISOString(),
  uploadedBy: Number(photo.uploaded_by),
})

/** Photos of hazards and disputes: upload (multipart), list, and stream one. */
const casePhotosRoutes: FastifyPluginAsyncTypebox<CasePhotosOptions> = async (app, options) => {
  await app.register(multipart, {
    limits: { fileSize: MAX_PHOTO_BYTES, files: MAX_PHOTOS_PER_CASE, fields: 10, parts: MAX_PHOTOS_PER_CASE + 10 },
  })

  /** Uploads being received now: each holds a socket, a file handle and disk writes. */
  let uploadsInFlight = 0

  async function readableCase(request: FastifyRequest, id: number): Promise<CaseRow> {
    const row = await findCaseById(app.db, id)
    if (!row || !canRead(currentUser(request), row)) throw new HttpError(404, 'case_not_found', { id, kind: 'case' })
    return row
  }

  app.post(
    '/:id/photos',
    {
      config: { access: STAFF_GRID_SCOPED },
      schema: {
        tags: ['Cases'],
        summary: 'Add photos to a hazard or dispute (multipart/form-data, field "photo", one or more files)',
        description:
          `JPEG, PNG or WebP (checked by their bytes, 415 otherwise), at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB each (413), ` +
          `at most ${MAX_PHOTOS_PER_CASE} per case (400). All or nothing; one ledger entry (add-photo). Admin and dispatcher any case, ` +
          'a grid worker cases in their grids or registered by them, station staff cases dispatched to their station. Files are streamed ' +
          'to disk; when too many uploads run at once the answer is 503 with Retry-After.',
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: PhotoListSchema, ...errorResponses(400, 401, 403, 404, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const row = await readableCase(request, request.params.id)
      if (!mayAddPhotos(user, row)) throw new HttpError(403, 'photo_forbidden')
      const maxUploads = app.requestLimits.maxConcurrentPhotoUploads
      if (uploadsInFlight >= maxUploads) {
        reply.header('retry-after', String(UPLOAD_RETRY_AFTER_SECONDS))
        throw new HttpError(503, 'photo_uploads_busy', { max: maxUploads, seconds: UPLOAD_RETRY_AFTER_SECONDS })
      }
      uploadsInFlight += 1
      let received: Awaited<ReturnType<typeof receivePhotoUploads>> = []
      try {
        received = await receivePhotoUploads(request, options.photoDir, { maxBytes: MAX_PHOTO_BYTES, maxFiles: MAX_PHOTOS_PER_CASE })
        await storeCasePhotos(app.db, user, row, received, options.photoDir)
      } finally {
        uploadsInFlight -= 1
        await discardReceived(received.map((file) => file.tempPath))
      }
      return reply.code(201).send({ photos: (await listCasePhotos(app.db, row.id)).map(toStoredPhoto) })
    },
  )

  app.get(
    '/:id/photos',
    {
      config: { access: STAFF_GRID_SCOPED },
      schema: {
        tags: ['Cases'],
        summary: 'Photos of a hazard or dispute, oldest first (same permission as the case)',
        params: IdParams,
        response: { 200: PhotoListSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const row = await readableCase(request, request.params.id)
      return { photos: (await listCasePhotos(app.db, row.id)).map(toStoredPhoto) }
    },
  )

  app.get(
    '/:id/photos/:photoId',
    {
      config: { access: STAFF_GRID_SCOPED },
      schema: {
        tags: ['Cases'],
        summary: 'One photo of a case, streamed (same permission as the case: grid workers only their grids)',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }), photoId: Type.Integer({ minimum: 1 }) }),
        produces: ['image/jpeg', 'image/png', 'image/webp'],
        response: { 200: Type.Unknown({ description: 'The image bytes' }), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const row = await readableCase(request, request.params.id)
      const photo = await findCasePhoto(app.db, row.id, request.params.photoId)
      const path = photo ? join(options.photoDir, photo.file_name) : undefined
      const onDisk = path ? await stat(path).then((file) => file.isFile(), () => false) : false
      if (!photo || !path || !onDisk) throw new HttpError(404, 'photo_not_found', { caseId: row.id, photoId: request.params.photoId })
      reply
        .header('content-type', photo.content_type)
        .header('content-length', String(photo.size_bytes))
        .header('cache-control', 'private, max-age=86400, immutable')
        .header('x-content-type-options', 'nosniff')
      return reply.send(createReadStream(path))
    },
  )
}

export default casePhotosRoutes
