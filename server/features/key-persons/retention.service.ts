import { sql } from 'kysely'
import type { Db } from '../../core/db/database.ts'
import { insertAuditEntry, type AuditActor } from '../../core/audit/audit.repository.ts'
import { archiveKeyPersons, findReleasedBefore } from './key-persons.repository.ts'
import { getKeyPersonSettings } from './settings.repository.ts'
import { SYSTEM_ACTOR } from '../../core/audit/audit.service.ts'
import { KEY_PERSON_SUBJECT } from './key-persons.service.ts'

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * Key of the transaction-level advisory lock a retention run holds (an
 * arbitrary constant, like the migration lock's): several server processes
 * start the run at the same moments; one archives, the others find the lock
 * taken and do nothing (before it, both archived the same persons and wrote
 * the `archive` audit entry twice).
 */
export const RETENTION_LOCK_KEY = 7_256_001_301

/** What {@link archiveReleasedPersons} did. */
export interface ArchiveReport {
  archivedIds: number[]
  retentionDays: number
  releasedBefore: Date
}

/**
 * Archives persons released longer ago than the retention period, in one
 * transaction: they leave every list, map and count, and their identifying
 * fields are cleared (see `archiveKeyPersons`); the row and its audit trail
 * stay. Writes one `archive` audit entry naming them. When another process
 * is running it at the same time, archives nothing (its run does the work).
 */
export async function archiveReleasedPersons(db: Db, now: Date, actor: AuditActor = SYSTEM_ACTOR): Promise<ArchiveReport> {
  return db.transaction().execute(async (trx) => {
    const { retentionDays } = await getKeyPersonSettings(trx)
    const releasedBefore = new Date(now.getTime() - retentionDays * DAY_MS)
    const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(${RETENTION_LOCK_KEY}) AS locked`.execute(trx)
    if (!rows[0].locked) return { archivedIds: [], retentionDays, releasedBefore }
    const ids = await findReleasedBefore(trx, releasedBefore)
    if (ids.length > 0) {
      await archiveKeyPersons(trx, ids, now, actor.userId)
      await insertAuditEntry(trx, actor, {
        action: 'archive',
        subjectKind: KEY_PERSON_SUBJECT,
        subjectIds: ids,
        detail: { retentionDays, releasedBefore: releasedBefore.toISOString() },
      })
    }
    return { archivedIds: ids, retentionDays, releasedBefore }
  })
}
