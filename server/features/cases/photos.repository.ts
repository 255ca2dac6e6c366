import { sql } from 'kysely'
import type { Db } from '../../core/db/database.ts'
import type { CasePhotoTable } from '../../core/db/tables/case.ts'

/** A photo of a case as read. */
export interface CasePhotoRow {
  id: number
  case_id: number
  file_name: string
  content_type: CasePhotoTable['content_type']
  size_bytes: number
  original_name: string | null
  uploaded_at: Date
  uploaded_by: number
}

/** A photo to record, its bytes already written under `fileName`. */
export interface NewCasePhoto {
  caseId: number
  fileName: string
  contentType: CasePhotoTable['content_type']
  sizeBytes: number
  originalName: string | null
  uploadedBy: number
}

/** The photos of a case, oldest first. */
export async function listCasePhotos(db: Db, caseId: number): Promise<CasePhotoRow[]> {
  return (await db.selectFrom('case_photos').selectAll().where('case_id', '=', caseId).orderBy('id').execute()) as CasePhotoRow[]
}

/** One photo of a case, or undefined. */
export async function findCasePhoto(db: Db, caseId: number, photoId: number): Promise<CasePhotoRow | undefined> {
  return (await db.selectFrom('case_photos').selectAll().where('case_id', '=', caseId).where('id', '=', photoId).executeTakeFirst()) as
    | CasePhotoRow
    | undefined
}

/**
 * Locks the case row until the transaction ends (so that two uploads cannot
 * both pass the per-case limit) and returns how many photos it has.
 */
export async function lockCaseAndCountPhotos(db: Db, caseId: number): Promise<number> {
  await sql`SELECT id FROM cases WHERE id = ${caseId} FOR UPDATE`.execute(db)
  const row = await db
    .selectFrom('case_photos')
    .where('case_id', '=', caseId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Inserts photos of a case; returns their ids in order. */
export async function insertCasePhotos(db: Db, photos: NewCasePhoto[]): Promise<number[]> {
  if (photos.length === 0) return []
  const rows = await db
    .insertInto('case_photos')
    .values(
      photos.map((photo) => ({
        case_id: photo.caseId,
        file_name: photo.fileName,
        content_type: photo.contentType,
        size_bytes: photo.sizeBytes,
        original_name: photo.originalName,
        uploaded_by: photo.uploadedBy,
      })),
    )
    .returning('id')
    .execute()
  return rows.map((row) => Number(row.id))
}
