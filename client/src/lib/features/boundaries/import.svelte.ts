import { ApiError } from '../../api/client';
import { fetchImport, fetchImportTowns, startImport, type ImportOptions, type ImportTown } from './io-api';
import type { ImportJob } from '../../api/types';

/** Pause between two polls of a running import (ms). */
const POLL_INTERVAL_MS = 250;

/**
 * One boundary import at a time: uploads the file, polls the job until it
 * ends and keeps its progress and report for the dialog.
 */
export class BoundaryImport {
  /** The job being followed (or the last one). */
  job = $state<ImportJob | null>(null);
  /** True from upload until the job ends. */
  busy = $state(false);
  /** Why the file was refused or the job failed. */
  error = $state<string | null>(null);
  /** The towns the user may import into; a choice is asked for only when there are several (a county administrator). */
  towns = $state<ImportTown[]>([]);
  /** Called once when a job finishes with something written (the map reloads its areas). */
  onwritten: (() => void) | null = null;

  /** Share of the features checked, 0..1. */
  get progress(): number {
    const job = this.job;
    if (!job || job.total === 0) return 0;
    return job.status === 'done' ? 1 : job.processed / job.total;
  }

  /** Loads the towns to choose from (a failure leaves the list empty: the server then names what is missing). */
  async loadTowns(): Promise<void> {
    try {
      this.towns = await fetchImportTowns();
    } catch {
      this.towns = [];
    }
  }

  /** Uploads `file` and follows the job to its end. */
  async run(file: Blob, options: ImportOptions): Promise<void> {
    this.busy = true;
    this.error = null;
    this.job = null;
    try {
      let job = await startImport(file, options);
      this.job = job;
      while (job.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
        job = await fetchImport(job.id);
        this.job = job;
      }
      if (job.status === 'failed') this.error = job.error?.message ?? null;
      if (job.report?.changeId != null) this.onwritten?.();
    } catch (error) {
      this.error = error instanceof ApiError ? error.message : String(error);
    } finally {
      this.busy = false;
    }
  }

  /** Forgets the last job (a new import starts from an empty dialog). */
  clear(): void {
    if (this.busy) return;
    this.job = null;
    this.error = null;
  }
}

/** The shared import state. */
export const boundaryImport = new BoundaryImport();
