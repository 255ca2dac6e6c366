import { api, ApiError } from '../../api/client';
import { i18n } from '../../i18n/i18n.svelte';
import { fetchReport, type MonthlyReport } from './api';
import type { ReportChoice } from './route.svelte';

/** A village offered in the report's area picker. */
export interface VillageOption {
  id: number;
  name: string;
  nameEn: string | null;
}

/**
 * The monthly report's data: the answer for the current choice and language,
 * the villages to choose from, and the error of the last load. Loads again
 * when the choice or the language changes (labels come from the server).
 */
export class ReportState {
  report = $state.raw<MonthlyReport | null>(null);
  villages = $state.raw<VillageOption[]>([]);
  loading = $state(false);
  error = $state<string | null>(null);
  #controller: AbortController | null = null;

  /** Loads the report of `choice` (the previous load, if still running, is cancelled). */
  async load(choice: ReportChoice): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.loading = true;
    this.error = null;
    try {
      const report = await fetchReport(choice.month, choice.villageId, controller.signal);
      if (controller.signal.aborted) return;
      this.report = report;
    } catch (error) {
      if (controller.signal.aborted) return;
      this.report = null;
      this.error = error instanceof ApiError ? error.message : i18n.t('error.network');
    } finally {
      if (this.#controller === controller) this.loading = false;
    }
  }

  /** Loads the villages of the area picker once. */
  async loadVillages(): Promise<void> {
    if (this.villages.length > 0) return;
    const collection = await api.collection('villages');
    this.villages = collection.features
      .map((feature) => ({ id: Number(feature.id), name: feature.properties.name, nameEn: feature.properties.nameEn ?? null }))
      .sort((a, b) => a.id - b.id);
  }
}

/** The shared report state. */
export const reportState = new ReportState();
