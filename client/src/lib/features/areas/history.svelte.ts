import { ApiError } from '../../api/client';
import { fetchVersions, restoreVersion, type AreaVersion } from './history-api';

/** A problem that refused a restore, with its place for the map. */
export interface RestoreProblem {
  kind: string;
  message: string;
  geometry?: unknown;
}

/**
 * The version history of the selected area: its versions, the one chosen
 * for comparison on the map, and restoring it as a new version.
 */
export class AreaHistory {
  /** Whether the panel is open. */
  open = $state(false);
  /** The area whose versions are loaded. */
  areaId = $state<number | null>(null);
  versions = $state.raw<AreaVersion[]>([]);
  loading = $state(false);
  /** The version shown against the current geometry, or `null`. */
  compared = $state<number | null>(null);
  /** Problems of the last refused restore. */
  problems = $state.raw<RestoreProblem[]>([]);
  /** Message of the last refused or successful restore. */
  notice = $state<{ kind: 'ok' | 'error'; text: string } | null>(null);
  restoring = $state(false);
  #abort: AbortController | null = null;

  /** The version in force (the last one, open-ended). */
  get current(): AreaVersion | null {
    return this.versions.find((version) => version.validTo === null) ?? null;
  }

  /** The compared version, if any. */
  get comparedVersion(): AreaVersion | null {
    return this.versions.find((version) => version.version === this.compared) ?? null;
  }

  /** Loads the versions of `areaId` (clears everything for `null`). */
  async load(areaId: number | null): Promise<void> {
    this.#abort?.abort();
    this.areaId = areaId;
    this.versions = [];
    this.compared = null;
    this.problems = [];
    this.notice = null;
    if (areaId === null) return;
    const abort = new AbortController();
    this.#abort = abort;
    this.loading = true;
    try {
      const versions = await fetchVersions(areaId, abort.signal);
      if (!abort.signal.aborted) this.versions = versions;
    } catch (error) {
      if (!(error instanceof DOMException)) throw error;
    } finally {
      if (this.#abort === abort) this.loading = false;
    }
  }

  /** Shows `version` against the current geometry (or stops with `null`). */
  compare(version: number | null): void {
    this.compared = version;
    this.problems = [];
  }

  /**
   * Restores `version` with `reason` as a new version; answers the new
   * version number, or null when the server refused (problems kept).
   */
  async restore(version: number, reason: string, texts: { restored: (v: number, n: number) => string }): Promise<number | null> {
    const areaId = this.areaId;
    const current = this.current;
    if (areaId === null || !current) return null;
    this.restoring = true;
    this.problems = [];
    this.notice = null;
    try {
      const result = await restoreVersion(areaId, version, current.version, reason);
      const newVersion = result.areas.find((area) => area.id === areaId)?.version ?? current.version + 1;
      await this.load(areaId);
      this.compared = version;
      this.notice = { kind: 'ok', text: texts.restored(version, newVersion) };
      return newVersion;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.problems = Array.isArray(error.body.problems) ? (error.body.problems as RestoreProblem[]) : [];
      this.notice = { kind: 'error', text: error.message };
      return null;
    } finally {
      this.restoring = false;
    }
  }

  /** Closes the panel and forgets the comparison. */
  close(): void {
    this.open = false;
    this.compared = null;
    this.problems = [];
  }
}

/** The shared history state. */
export const areaHistory = new AreaHistory();
