import { randomUUID } from 'node:crypto'
import { IMPORT_JOB_TTL_MS } from './boundary-io.limits.ts'
import type { ImportReport } from '../services/boundary-import.service.ts'

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

/**
 * Import jobs of this server process, kept in memory for
 * {@link IMPORT_JOB_TTL_MS} after they finish (a restart forgets them; the
 * boundary changes they wrote stay in the change log).
 */
export class ImportJobRegistry {
  readonly #jobs = new Map<string, ImportJob>()

  /** Registers a new running job. */
  start(fields: Pick<ImportJob, 'total' | 'format' | 'level' | 'sourceCrs'>): ImportJob {
    this.#prune()
    const job: ImportJob = {
      id: randomUUID(),
      status: 'running',
      phase: 'queued',
      processed: 0,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      report: null,
      error: null,
      ...fields,
    }
    this.#jobs.set(job.id, job)
    return job
  }

  /** The job with `id`, or undefined. */
  get(id: string): ImportJob | undefined {
    return this.#jobs.get(id)
  }

  /** Marks a job finished with its report. */
  finish(job: ImportJob, report: ImportReport): void {
    Object.assign(job, { status: 'done', phase: 'done', processed: job.total, report, finishedAt: new Date().toISOString() })
  }

  /** Marks a job failed (nothing was written). */
  fail(job: ImportJob, error: { code: string; message: string }): void {
    Object.assign(job, { status: 'failed', phase: 'failed', error, finishedAt: new Date().toISOString() })
  }

  #prune(): void {
    const cutoff = Date.now() - IMPORT_JOB_TTL_MS
    for (const [id, job] of this.#jobs) if (job.finishedAt && Date.parse(job.finishedAt) < cutoff) this.#jobs.delete(id)
  }
}
