import { randomBytes } from 'node:crypto'
import { mkdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Db } from '../../core/db/database.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { inOwnGrids } from './access.ts'
import { PHOTO_TYPES } from './photo-type.ts'
import type { ReceivedPhoto } from './photo-upload.ts'
import { insertCaseEvent } from './events.repository.ts'
import { insertCasePhotos, lockCaseAndCountPhotos, type NewCasePhoto } from './photos.repository.ts'
import type { CaseAccessColumns, CaseRow } from './cases.repository.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'

/** Largest photo accepted, in bytes (10 MB). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024

/** Most photos a case may have (a phone's picker grid). */
export const MAX_PHOTOS_PER_CASE = 9

/**
 * Whether `user` may add photos to a case they can read: admin and
 * dispatcher any; a grid worker cases in their grids or registered by them;
 * station staff cases dispatched to their station (rectification or
 * mediation evidence); leaders never.
 */
export function mayAddPhotos(user: UserRecord, row: CaseAccessColumns): boolean {
  if (user.role === 'admin' || user.role === 'dispatcher') return true
  if (user.role === 'grid_worker') return inOwnGrids(user, row) || row.registered_by === user.id
  if (user.role === 'station') return user.stationKey !== null && row.station_key === user.stationKey
  return false
}

/**
 * Stores photos of a case, received to temporary files whose type and size
 * were checked on the way in (see `receivePhotoUploads`): checks the per-case
 * limit under a row lock, moves each file under a random name in `photoDir`,
 * records them and one `add-photo` ledger entry in one transaction. If
 * anything fails nothing is kept (moved files are removed; the caller removes
 * the temporary ones). Returns the new photo ids.
 */
export async function storeCasePhotos(db: Db, user: UserRecord, row: CaseRow, files: ReceivedPhoto[], photoDir: string): Promise<number[]> {
  if (files.length === 0) throw new HttpError(400, 'photo_required')
  const tooLarge = files.find((file) => file.sizeBytes > MAX_PHOTO_BYTES)
  if (tooLarge) throw new HttpError(413, 'photo_too_large', { maxMegabytes: MAX_PHOTO_BYTES / 1024 / 1024 })
  await mkdir(photoDir, { recursive: true })
  const written: string[] = []
  try {
    return await db.transaction().execute(async (trx) => {
      const existing = await lockCaseAndCountPhotos(trx, row.id)
      if (existing + files.length > MAX_PHOTOS_PER_CASE) throw new HttpError(400, 'photo_limit', { max: MAX_PHOTOS_PER_CASE, existing })
      const photos: NewCasePhoto[] = []
      for (const file of files) {
        const fileName = `${randomBytes(16).toString('hex')}.${PHOTO_TYPES[file.contentType]}`
        await rename(file.tempPath, join(photoDir, fileName))
        written.push(fileName)
        photos.push({
          caseId: row.id,
          fileName,
          contentType: file.contentType,
          sizeBytes: file.sizeBytes,
          originalName: file.originalName ? file.originalName.slice(0, 200) : null,
          uploadedBy: user.id,
        })
      }
      const ids = await insertCasePhotos(trx, photos)
      await insertCaseEvent(trx, {
        subject: { caseId: row.id },
        user,
        action: 'add-photo',
        statusFrom: row.status,
        statusTo: row.status,
        version: row.version,
        changes: { photos: { before: existing, after: existing + files.length } },
        reason: null,
      })
      return ids
    })
  } catch (error) {
    await Promise.all(written.map((fileName) => rm(join(photoDir, fileName), { force: true })))
    throw error
  }
}
