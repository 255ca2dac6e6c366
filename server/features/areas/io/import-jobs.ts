import { randomUUID } from 'node:crypto'
import type { Db } from '../../../core/db/database.ts'
import type { EngineKind } from '../../../core/db/engine.ts'
import { currentDbScope } from '../../../core/db/db-scope.ts'
import { message, MESSAGES, type Lang, type MessageCode } from '../../../core/i18n/messages.ts'
import {
  failImportJob,
  findImportJob,
  findRunningImportJobIds,
  finishImportJob,
  insertImportJob,
  isImportOrphaned,
  lockImportJob,
  pruneImportJobs,
  updateImportProgress,
  type ImportJobRow,
} from './import-jobs.repository.ts'
import { IMPORT_JOB_TTL_MS } from './limits.ts'
import type { ImportReport } from './import.service.ts'

/** State of an import job as the client polls it. */
export interface ImportJob {
  id: string
  status: 'running' | 'done' | 'failed'
  phase: 'queued' | 'checking' | 'validating' | 'writing' | 'done' | 'failed'
  /** Features checked so far, of `total`. */
  processed: number
  total: number
  format: string
  level: string
  sourceCrs: string
  startedAt: string
  finishedAt: string | null
  report: ImportReport | null
  /** Why the job failed as a whole (`{ code, message }`), nothing being written. */
  error: { code: string; message: string } | null
}

/** A running job's live state in the process that runs it. */
interface LocalJob {
  row: ImportJobRow
  /** The job's town: memory is not under row-level security, so a read checks it (see get). */
  townId: number | null
  /** A progress write in flight (at most one at a time). */
  saving: boolean
  /** Why it failed, while that is not yet stored (the database may be down). */
  failure?: { code: MessageCode; params: Record<string, unknown> }
}

/**
 * A running job whose import transaction is not seen for this long after it
 * started may be checked for being orphaned (the job row is committed before
 * the import transaction takes its lock).
 */
const ORPHAN_GRACE_MS = 30_000

/** How often, and how long apart, a failed job's final state is retried when the database is down. */
const FAIL_RETRIES = 5
const FAIL_RETRY_MS = 2000

/**
 * Import jobs, stored in `boundary_import_jobs` (migration 0013): status,
 * progress and report are read from the table, so they survive a restart
 * and every process on one database answers for every job.
 *
 * A job's final state is written in the import's own transaction, so "done"
 * and the boundary change it reports commit together. The process running a
 * job also keeps its live progress in memory: on the embedded database the
 * import transaction holds the only connection until it ends, so progress
 * can be neither stored nor read there meanwhile; on PostgreSQL it is also
 * stored (one write at a time) for the other processes.
 *
 * A job still recorded as running whose import is gone (its process or the
 * database stopped) is failed with `boundary_import_interrupted`: at start-up
 * and when it is read. Its transaction was rolled back, so nothing was
 * written; the file is not kept, so the user uploads it again (resuming would
 * mean storing uploads of up to 32 MB for a rare event). On PostgreSQL
 * "gone" is known exactly: the import transaction holds an advisory lock on
 * the job, released by PostgreSQL when the transaction or its connection ends.
 */
export class ImportJobRegistry {
  readonly #db: Db
  readonly #engine: EngineKind
  readonly #local = new Map<string, LocalJob>()
  readonly #onError: (error: unknown, text: string) => void

  constructor(db: Db, engine: EngineKind, onError: (error: unknown, text: string) => void) {
    this.#db = db
    this.#engine = engine
    this.#onError = onError
  }

  /** Fails the jobs a previous run left running (call once the server is up). */
  async failInterrupted(): Promise<number> {
    const grace = this.#engine === 'postgres' ? ORPHAN_GRACE_MS : 0
    const ids = await findRunningImportJobIds(this.#db, new Date(Date.now() - grace))
    let failed = 0
    for (const id of ids) if (await this.#failIfOrphaned(id)) failed += 1
    return failed
  }

  /** Records a new running job of `startedBy` in town `townId` (run it in that town's scope: the row takes the session's town). */
  async start(fields: Pick<ImportJob, 'total' | 'format' | 'level' | 'sourceCrs'>, startedBy: string, townId: number | null = null): Promise<ImportJob> {
    await pruneImportJobs(this.#db, new Date(Date.now() - IMPORT_JOB_TTL_MS))
    const row = await insertImportJob(this.#db, { id: randomUUID(), startedBy, ...fields })
    this.#local.set(row.id, { row, townId, saving: false })
    return toJob(row, 'zh')
  }

  /**
   * Called first inside the import's transaction: on PostgreSQL it takes the
   * job's advisory lock, which tells other processes the job is alive.
   */
  async claim(trx: Db, id: string): Promise<void> {
    if (this.#engine === 'postgres') await lockImportJob(trx, id)
  }

  /** Notes progress (kept in memory; also stored on PostgreSQL). */
  progress(id: string, processed: number, phase: 'checking' | 'validating' | 'writing'): void {
    const local = this.#local.get(id)
    if (!local) return
    Object.assign(local.row, { processed, phase })
    if (this.#engine !== 'postgres' || local.saving) return
    local.saving = true
    updateImportProgress(this.#db, id, processed, phase)
      .catch((error: unknown) => this.#onError(error, 'import progress not stored'))
      .finally(() => (local.saving = false))
  }

  /** Stores the report, inside the import's transaction `trx` (it commits with the boundary change). */
  async finishIn(trx: Db, id: string, report: ImportReport): Promise<void> {
    await finishImportJob(trx, id, report)
  }

  /** The import committed: the job's final state is in the table. */
  settled(id: string): void {
    this.#local.delete(id)
  }

  /**
   * The import failed and was rolled back: stores why, retrying while the
   * database is unreachable; until then this process answers from memory.
   */
  async fail(id: string, code: MessageCode, params: Record<string, unknown> = {}): Promise<void> {
    const local = this.#local.get(id)
    if (local) Object.assign(local, { failure: { code, params } })
    for (let attempt = 1; attempt <= FAIL_RETRIES; attempt++) {
      try {
        await failImportJob(this.#db, id, code, params)
        this.#local.delete(id)
        return
      } catch (error) {
        if (attempt === FAIL_RETRIES) return this.#onError(error, 'failed import job not stored; it is failed at the next start')
        await new Promise((resolve) => setTimeout(resolve, FAIL_RETRY_MS).unref())
      }
    }
  }

  /** The job with `id` in language `lang`, or undefined (also for another town's job, as the table's row-level security would). */
  async get(id: string, lang: Lang): Promise<ImportJob | undefined> {
    const scope = currentDbScope()
    const found = this.#local.get(id)
    const local = found && scope?.kind === 'town' && found.townId !== scope.townId ? undefined : found
    if (found && !local) return undefined
    if (local?.failure) return toJob({ ...local.row, ...failedFields(local.failure.code, local.failure.params) }, lang)
    // Running here: memory has the live progress (and on PGlite the table is busy until the import ends).
    if (local) return toJob(local.row, lang)
    const row = await findImportJob(this.#db, id)
    if (!row) return undefined
    if (row.status === 'running' && Date.now() - row.startedAt.getTime() > (this.#engine === 'postgres' ? ORPHAN_GRACE_MS : 0)) {
      if (await this.#failIfOrphaned(id)) return this.get(id, lang)
    }
    return toJob(row, lang)
  }

  /** Fails job `id` as interrupted when no live import holds it; returns whether it did. */
  async #failIfOrphaned(id: string): Promise<boolean> {
    if (this.#local.has(id)) return false
    // PGlite is one process: a running job not in this process's memory was left by an earlier run.
    if (this.#engine === 'postgres' && !(await isImportOrphaned(this.#db, id))) return false
    return failImportJob(this.#db, id, 'boundary_import_interrupted', {})
  }
}

function failedFields(code: string, params: Record<string, unknown>): Partial<ImportJobRow> {
  return { status: 'failed', phase: 'failed', errorCode: code, errorParams: params, finishedAt: new Date() }
}

function toJob(row: ImportJobRow, lang: Lang): ImportJob {
  // A code this version does not know (written by another version) reads as an internal error.
  const code = row.errorCode && row.errorCode in MESSAGES ? (row.errorCode as MessageCode) : 'internal'
  const error = row.errorCode ? { code: row.errorCode, message: message(code, lang, row.errorParams ?? {}) } : null
  return {
    id: row.id,
    status: row.status,
    phase: row.phase,
    processed: row.processed,
    total: row.total,
    format: row.format,
    level: row.level,
    sourceCrs: row.sourceCrs,
    startedAt: new Date(row.startedAt).toISOString(),
    finishedAt: row.finishedAt ? new Date(row.finishedAt).toISOString() : null,
    report: (typeof row.report === 'string' ? JSON.parse(row.report) : row.report) as ImportReport | null,
    error,
  }
}
