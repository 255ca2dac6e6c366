import { postLedger, type LedgerCrs, type LedgerReport, type LedgerTarget } from './api';

/**
 * The ledger import dialog's state: the chosen file and options, the column
 * mapping (proposed by the server on the first check, then the user's), the
 * last dry-run report and the outcome of the commit.
 */
export class LedgerImportState {
  target = $state<LedgerTarget>('cases');
  crs = $state<LedgerCrs>('wgs84');
  kind = $state<'' | 'hazard' | 'dispute'>('');
  file = $state.raw<File | null>(null);
  /** Column index of each field, as shown in the mapping step. */
  mapping = $state<Record<string, number | null>>({});
  /** The report of the last dry run (or of a refused commit). */
  report = $state.raw<LedgerReport | null>(null);
  /** The report of a successful commit. */
  committed = $state.raw<LedgerReport | null>(null);
  /** Whether the mapping or options changed since the last check (the report is then stale). */
  stale = $state(false);
  busy = $state(false);
  /** The last error, as the server worded it. */
  error = $state<string | null>(null);

  /** Whether the last report allows a commit: every row accepted, nothing missing, nothing changed since. */
  get canCommit(): boolean {
    const report = this.report;
    return !!report && !this.stale && !this.busy && report.missingFields.length === 0 && report.counts.refused === 0 && report.counts.accepted > 0;
  }

  /** Chooses a new file or target: forgets the mapping and the report. */
  choose(file: File | null, target: LedgerTarget = this.target): void {
    this.file = file;
    this.target = target;
    this.mapping = {};
    this.report = null;
    this.committed = null;
    this.error = null;
    this.stale = false;
  }

  /** Sets the column of a field (the report is stale until the next check). */
  setColumn(field: string, column: number | null): void {
    this.mapping = { ...this.mapping, [field]: column };
    this.stale = true;
  }

  /** Marks the report stale after an option changed. */
  touch(): void {
    if (this.report) this.stale = true;
  }

  /** Dry run: the server checks every row and writes nothing. The first check takes the server's proposed mapping. */
  async check(): Promise<void> {
    if (!this.file) return;
    this.busy = true;
    this.error = null;
    const hasMapping = this.report !== null && Object.keys(this.mapping).length > 0;
    const answer = await postLedger(this.target, 'dry-run', this.file, { crs: this.crs, kind: this.kind, mapping: hasMapping ? this.mapping : undefined });
    this.busy = false;
    if (!answer.ok) {
      this.error = answer.error.message;
      return;
    }
    this.report = answer.report;
    this.mapping = { ...answer.report.mapping };
    this.stale = false;
  }

  /** Commits: every row in one transaction, or nothing (then the refused rows are shown). Returns whether rows were written. */
  async commit(): Promise<boolean> {
    if (!this.file || !this.canCommit) return false;
    this.busy = true;
    this.error = null;
    const answer = await postLedger(this.target, 'commit', this.file, { crs: this.crs, kind: this.kind, mapping: this.mapping });
    this.busy = false;
    if (!answer.ok) {
      this.error = answer.error.message;
      if (answer.report) this.report = answer.report;
      return false;
    }
    this.committed = answer.report;
    return true;
  }
}
