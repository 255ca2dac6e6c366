import { i18n } from '../../i18n/i18n.svelte';
import { toasts } from '../../ui/toasts.svelte';
import { ApiError } from '../../api/client';
import { saveBlob } from '../../ui/save-blob';
import { actOnEscalation, fetchEscalations, fetchTownKpis, fetchTownKpisXlsx, type Escalation, type EscalationAction, type TownKpi, type TownKpiAnswer } from './api';

/** Columns the KPI table sorts by. */
export type TownSortKey = 'name' | 'open' | 'overdue' | 'closed' | 'onTimeRate' | 'disputes' | 'hazards' | 'keyPersons' | 'escalationsInProgress';

const DAY_MS = 86_400_000;
/** Length of the default period. */
const DEFAULT_DAYS = 30;

/**
 * The county view's data: the KPI table by town (period: the last 30 days),
 * the escalation queue (all towns or one) and what the county dispatcher does
 * with an escalation. Loads on demand; components only render.
 */
export class CountyState {
  kpis = $state<TownKpiAnswer | null>(null);
  escalations = $state<Escalation[]>([]);
  /** Town filter of the queue and the comparison (null = all towns). */
  townId = $state<number | null>(null);
  sortKey = $state<TownSortKey>('overdue');
  sortDescending = $state(true);
  loading = $state(false);
  /** Escalation whose step is being sent. */
  busyId = $state<number | null>(null);
  period = $state<{ from: string; to: string }>(CountyState.lastDays(DEFAULT_DAYS));
  #abort: AbortController | null = null;

  /** The last `days` days up to now. */
  static lastDays(days: number): { from: string; to: string } {
    const to = new Date();
    return { from: new Date(to.getTime() - days * DAY_MS).toISOString(), to: to.toISOString() };
  }

  /** The table's rows in the chosen order (nulls last). */
  get sortedTowns(): TownKpi[] {
    const rows = this.kpis?.towns ?? [];
    const sign = this.sortDescending ? -1 : 1;
    const key = this.sortKey;
    return [...rows].sort((a, b) => {
      if (key === 'name') return sign * this.townName(a).localeCompare(this.townName(b), i18n.locale);
      const [x, y] = [a[key], b[key]];
      if (x === null || y === null) return x === y ? a.code.localeCompare(b.code) : x === null ? 1 : -1;
      return x === y ? a.code.localeCompare(b.code) : sign * (x < y ? -1 : 1);
    });
  }

  /** The rows the comparison shows: every town, or the chosen one. */
  get comparedTowns(): TownKpi[] {
    return this.sortedTowns.filter((town) => this.townId === null || town.townId === this.townId);
  }

  /** A town's name in the interface language. */
  townName(town: { name: string; nameEn: string | null }): string {
    return i18n.lang === 'en' && town.nameEn ? town.nameEn : town.name;
  }

  /** Sorts by `key`; again on the same key reverses. */
  sortBy(key: TownSortKey): void {
    if (this.sortKey === key) this.sortDescending = !this.sortDescending;
    else [this.sortKey, this.sortDescending] = [key, key !== 'name'];
  }

  /** Chooses the town (null = all) and reloads the queue. */
  chooseTown(townId: number | null): void {
    this.townId = townId;
    void this.loadQueue();
  }

  /** Loads the table and the queue. */
  async load(): Promise<void> {
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.loading = true;
    try {
      const [kpis, queue] = await Promise.all([fetchTownKpis(this.period, abort.signal), fetchEscalations(this.townId, abort.signal)]);
      if (abort.signal.aborted) return;
      this.kpis = kpis;
      this.escalations = queue.escalations;
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    } finally {
      if (this.#abort === abort) this.loading = false;
    }
  }

  /** Loads the queue alone (after a town change or a step). */
  async loadQueue(): Promise<void> {
    this.escalations = (await fetchEscalations(this.townId)).escalations;
  }

  /** Takes a county step; a conflict (someone else acted first) reloads the queue and says so. */
  async act(escalation: Escalation, action: EscalationAction, text: string): Promise<boolean> {
    this.busyId = escalation.id;
    try {
      await actOnEscalation(escalation, action, text);
      toasts.show(i18n.t(`county.done.${action}`), 'info');
      // The table counts escalations in progress: reload both.
      await this.load();
      return true;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 409 || error.status === 412)) {
        toasts.show(error.message);
        await this.loadQueue();
        return false;
      }
      throw error;
    } finally {
      this.busyId = null;
    }
  }

  /** Downloads the table as .xlsx in the table's order and the interface language. */
  async exportXlsx(): Promise<void> {
    const { blob, filename } = await fetchTownKpisXlsx(this.period, this.sortKey === 'name' ? 'name' : this.sortKey, this.sortDescending ? 'desc' : 'asc');
    saveBlob(blob, filename);
  }

  /** Forgets everything (sign-out). */
  reset(): void {
    this.#abort?.abort();
    this.kpis = null;
    this.escalations = [];
    this.townId = null;
  }
}

/** The shared county view state. */
export const county = new CountyState();
