import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import multipart from '@fastify/multipart'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { canRead } from '../../cases/case-access.policy.ts'
import { HttpError } from '../../http-error.ts'
import { currentUser } from '../../plugins/auth.plugin.ts'
import { findCasePhoto, listCasePhotos, type CasePhotoRow } from '../../repositories/case-photos.repository.ts'
import { findCaseById, type CaseRow } from '../../repositories/cases.repository.ts'
import { MAX_PHOTO_BYTES, MAX_PHOTOS_PER_CASE, mayAddPhotos, storeCasePhotos, type UploadedPhoto } from '../../services/case-photos.service.ts'
import { errorResponses } from '../schemas.ts'
import { IdParams } from './case.schemas.ts'
import { STAFF_GRID_SCOPED } from '../../security/access.ts'

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

/** Reads every file part of a multipart request into memory (≤ 9 × 10 MB), mapping the plugin's limits to our errors. */
async function readUploads(request: FastifyRequest): Promise<UploadedPhoto[]> {
  if (!request.isMultipart()) throw new HttpError(415, 'unsupported_media_type', { type: request.headers['content-type'] ?? '—' })
  const files: UploadedPhoto[] = []
  try {
    for await (const part of request.files()) files.push({ bytes: await part.toBuffer(), originalName: part.filename })
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new HttpError(413, 'photo_too_large', { maxMegabytes: MAX_PHOTO_BYTES / 1024 / 1024 })
    if (code === 'FST_FILES_LIMIT') throw new HttpError(400, 'photo_batch_limit', { max: MAX_PHOTOS_PER_CASE })
    throw error
  }
  return files
}

/** Photos of hazards and disputes: upload (multipart), list, and stream one. */
const casePhotosRoutes: FastifyPluginAsyncTypebox<CasePhotosOptions> = async (app, options) => {
  await app.register(multipart, {
    limits: { fileSize: MAX_PHOTO_BYTES, files: MAX_PHOTOS_PER_CASE, fields: 10, parts: MAX_PHOTOS_PER_CASE + 10 },
  })

  async function readableCase(request: FastifyRequest, id: number): Promise<CaseRow> {
    const row = await findCaseById(app.db, id)
    if (!row || !canRead(currentUser(request), row)) throw new HttpError(404, 'case_not_found', { id, kind: 'case' })
    return row
  }

  app.post(
    '/api/cases/:id/photos',
    {
      config: { access: STAFF_GRID_SCOPED },
      schema: {
        tags: ['Cases'],
        summary: 'Add photos to a hazard or dispute (multipart/form-data, field "photo", one or more files)',
        description:
          `JPEG, PNG or WebP (checked by their bytes, 415 otherwise), at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB each (413), ` +
          `at most ${MAX_PHOTOS_PER_CASE} per case (400). All or nothing; one ledger entry (add-photo). Admin and dispatcher any case, ` +
          'a grid worker cases in their grids or registered by them, station staff cases dispatched to their station.',
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: PhotoListSchema, ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const row = await readableCase(request, request.params.id)
      if (!mayAddPhotos(user, row)) throw new HttpError(403, 'photo_forbidden')
      const files = await readUploads(request)
      await storeCasePhotos(app.db, user, row, files, options.photoDir)
      return reply.code(201).send({ photos: (await listCasePhotos(app.db, row.id)).map(toStoredPhoto) })
    },
  )

  app.get(
    '/api/cases/:id/photos',
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
    '/api/cases/:id/photos/:photoId',
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
