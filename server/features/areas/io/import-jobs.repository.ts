import { sql } from 'kysely'
import type { Db } from '../../../core/db/database.ts'

/** A row of `boundary_import_jobs` (migration 0013), in camelCase. */
export interface ImportJobRow {
  id: string
  status: 'running' | 'done' | 'failed'
  phase: 'queued' | 'checking' | 'validating' | 'writing' | 'done' | 'failed'
  processed: number
  total: number
  format: string
  level: string
  sourceCrs: string
  startedBy: string
  startedAt: Date
  finishedAt: Date | null
  report: unknown
  errorCode: string | null
  errorParams: Record<string, unknown> | null
}

/** First key of the two-key advisory locks of import jobs (an arbitrary constant; the migration lock uses a one-key lock). */
const IMPORT_LOCK_NAMESPACE = 72_560_013

const COLUMNS = sql`id::text AS id, status, phase, processed, total, format, level, source_crs AS "sourceCrs",
  started_by AS "startedBy", started_at AS "startedAt", finished_at AS "finishedAt", report,
  error_code AS "errorCode", error_params AS "errorParams"`

/** Records a new running job. */
export async function insertImportJob(db: Db, job: Pick<ImportJobRow, 'id' | 'total' | 'format' | 'level' | 'sourceCrs' | 'startedBy'>): Promise<ImportJobRow> {
  const { rows } = await sql<ImportJobRow>`
    INSERT INTO boundary_import_jobs (id, status, phase, total, format, level, source_crs, started_by)
    VALUES (${job.id}::uuid, 'running', 'queued', ${job.total}, ${job.format}, ${job.level}, ${job.sourceCrs}, ${job.startedBy})
    RETURNING ${COLUMNS}`.execute(db)
  return rows[0]
}

/** The job with `id`, or undefined. */
export async function findImportJob(db: Db, id: string): Promise<ImportJobRow | undefined> {
  const { rows } = await sql<ImportJobRow>`SELECT ${COLUMNS} FROM boundary_import_jobs WHERE id = ${id}::uuid`.execute(db)
  return rows[0]
}

/** Stores the progress of a running job (a finished job is left as it is). */
export async function updateImportProgress(db: Db, id: string, processed: number, phase: ImportJobRow['phase']): Promise<void> {
  await sql`UPDATE boundary_import_jobs SET processed = ${processed}, phase = ${phase}
    WHERE id = ${id}::uuid AND status = 'running'`.execute(db)
}

/** Marks a job done with its report (called inside the import's transaction, so both commit together). */
export async function finishImportJob(db: Db, id: string, report: unknown): Promise<void> {
  await sql`UPDATE boundary_import_jobs
    SET status = 'done', phase = 'done', processed = total, report = ${JSON.stringify(report)}::jsonb, finished_at = now(),
        error_code = NULL, error_params = NULL
    WHERE id = ${id}::uuid`.execute(db)
}

/** Marks a running job failed (nothing was written); returns whether it was still running. */
export async function failImportJob(db: Db, id: string, code: string, params: Record<string, unknown>): Promise<boolean> {
  const result = await sql`UPDATE boundary_import_jobs
    SET status = 'failed', phase = 'failed', error_code = ${code}, error_params = ${JSON.stringify(params)}::jsonb, finished_at = now()
    WHERE id = ${id}::uuid AND status = 'running'`.execute(db)
  return Number(result.numAffectedRows ?? 0) > 0
}

/** Ids of the jobs recorded as running that started before `before`. */
export async function findRunningImportJobIds(db: Db, before: Date): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT id::text AS id FROM boundary_import_jobs WHERE status = 'running' AND started_at < ${before}`.execute(db)
  return rows.map((row) => row.id)
}

/**
 * Whether the import transaction of job `id` is gone (on PostgreSQL): the
 * transaction holds an advisory lock on the job for its whole life, which
 * PostgreSQL releases when it ends or its connection or server dies.
 */
export async function isImportOrphaned(db: Db, id: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ free: boolean }>`
      SELECT pg_try_advisory_xact_lock(${IMPORT_LOCK_NAMESPACE}, hashtext(${id})) AS free`.execute(trx)
    return rows[0].free
  })
}

/** Takes job `id`'s advisory lock for the rest of the transaction `trx` (PostgreSQL). */
export async function lockImportJob(trx: Db, id: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${IMPORT_LOCK_NAMESPACE}, hashtext(${id}))`.execute(trx)
}

/** Deletes finished jobs older than `before`. */
export async function pruneImportJobs(db: Db, before: Date): Promise<void> {
  await sql`DELETE FROM boundary_import_jobs WHERE finished_at < ${before}`.execute(db)
}
