import { kpiApi, type KpiAnswer, type KpiFilters, type TrendPoint, type TrendStep } from './api';
import { naturalStep, periodWindow, type DashboardPeriod } from './period';
import { DAY_MS, townshipDay } from '../../ui/time';
import { saveBlob } from '../../ui/save-blob';
import { featureBounds } from '../../map/geometry';
import { mapView } from '../../map/view.svelte';
import { toasts } from '../../ui/toasts.svelte';
import { camera } from '../../map/camera';
import { fetchTownKpis, type TownKpi } from '../county/api';

/** Columns the KPI table sorts by. */
export type KpiSortKey = 'label' | 'open' | 'new' | 'newThisWeek' | 'overdue' | 'resolvedRate' | 'meanHoursToResolve' | 'satisfactionMean' | 'visitsOverdue';


/**
 * State of the dashboard (态势看板): period and filters, the KPI table (per
 * village or station, without the focus filter so every row stays
 * clickable), the cards (the filtered total, narrowed to the focused village
 * or station), and the trend series. Reloads whenever an input changes.
 */
export class Dashboard {
  /** Period preset. */
  period = $state<DashboardPeriod>('month');
  /** First day of a custom period (`YYYY-MM-DD`, township time, inclusive). */
  customFrom = $state(townshipDay(new Date(Date.now() - 30 * DAY_MS)));
  /** Last day of a custom period (inclusive). */
  customTo = $state(townshipDay(new Date()));
  /** Hazards, disputes, or both (`''`). */
  layer = $state<'' | 'hazards' | 'disputes'>('');
  /** Focused village id, or `null` for all. */
  villageId = $state<number | null>(null);
  /** Focused station key (`''` = not dispatched), or `null` for all. */
  stationKey = $state<string | null>(null);
  /** Table grouping. */
  groupBy = $state<'village' | 'station'>('village');
  /** Trend step; `null` picks one from the period length. */
  step = $state<TrendStep | null>(null);
  /** Table sort column and direction. */
  sortKey = $state<KpiSortKey>('open');
  sortDescending = $state(true);

  /** The table's answer (groups plus total, without the focus filter). */
  table = $state.raw<KpiAnswer | null>(null);
  /** The cards' answer (total with every filter). */
  cards = $state.raw<KpiAnswer | null>(null);
  /** Trend series, or `null` while loading or when refused. */
  trend = $state.raw<TrendPoint[] | null>(null);
  /** Whether the trend was refused as too long for the step. */
  trendTooLong = $state(false);
  loading = $state(false);
  /** County users: whether the towns are compared side by side (set by the panel from the user's capabilities). */
  compareTowns = $state(false);
  /** County users: the KPIs of each town for the window, or `null` (town users, or while loading). */
  towns = $state.raw<TownKpi[] | null>(null);
  /** The window last asked for (ISO instants). */
  window = $state<{ from: string; to: string } | null>(null);

  #abort: AbortController | null = null;
  #panel: HTMLElement | null = null;

  /** The trend step in use. */
  get effectiveStep(): TrendStep {
    if (this.step) return this.step;
    const window = this.window;
    return window ? naturalStep(new Date(window.from), new Date(window.to)) : 'day';
  }

  /** The filters of the cards, trend and export. */
  filters(window: { from: string; to: string }, withFocus = true): KpiFilters {
    return {
      ...window,
      layer: this.layer || undefined,
      villageId: withFocus && this.villageId !== null ? this.villageId : undefined,
      stationKey: this.stationKey ?? undefined,
    };
  }

  /** Registers the panel element, whose width the camera keeps clear. */
  setPanel(panel: HTMLElement | null): void {
    this.#panel = panel;
  }

  /** Changes one input and reloads. */
  set<K extends 'period' | 'customFrom' | 'customTo' | 'layer' | 'groupBy' | 'step'>(key: K, value: this[K]): void {
    this[key] = value;
    void this.load();
  }

  /** Sorts the table by `key` (again: reverses). */
  sortBy(key: KpiSortKey): void {
    if (this.sortKey === key) this.sortDescending = !this.sortDescending;
    else {
      this.sortKey = key;
      this.sortDescending = key !== 'label';
    }
  }

  /** Focuses a village: filters the cards and trend, highlights and frames it on the map. `null` clears. */
  focusVillage(id: number | null): void {
    this.villageId = id;
    mapView.select(id);
    if (id !== null) this.#frame(id);
    void this.load();
  }

  /** Focuses a station (`''` = not dispatched), or clears with `null`. */
  focusStation(key: string | null): void {
    this.stationKey = key;
    void this.load();
  }

  /** Loads the table, cards and trend for the current inputs. */
  async load(): Promise<void> {
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    const range = periodWindow(this.period, new Date(Math.floor(Date.now() / 60_000) * 60_000), { from: this.customFrom, to: this.customTo });
    if (range.from.getTime() >= range.to.getTime()) return;
    const window = { from: range.from.toISOString(), to: range.to.toISOString() };
    this.window = window;
    this.loading = true;
    const focused = this.villageId !== null;
    try {
      const [table, cards, trend, towns] = await Promise.all([
        kpiApi.kpis(this.filters(window, false), this.groupBy, abort.signal),
        focused ? kpiApi.kpis(this.filters(window), this.groupBy, abort.signal) : Promise.resolve(null),
        kpiApi.trend(this.filters(window), this.effectiveStep, abort.signal).catch(() => null),
        // The towns compared: a failure leaves the rest of the dashboard standing.
        this.compareTowns ? fetchTownKpis(window, abort.signal).then((answer) => answer.towns).catch(() => null) : Promise.resolve(null),
      ]);
      if (abort.signal.aborted) return;
      this.towns = towns;
      this.table = table;
      this.cards = cards ?? table;
      this.trend = trend?.series ?? null;
      this.trendTooLong = trend === null;
    } catch (error) {
      if (!abort.signal.aborted) console.warn('[dashboard]', error);
    } finally {
      if (this.#abort === abort) this.loading = false;
    }
  }

  /** Downloads the KPI table as .xlsx with the current filters, in the interface language. */
  async downloadXlsx(): Promise<void> {
    if (!this.window) return;
    try {
      const { blob, filename } = await kpiApi.xlsx(this.filters(this.window), this.groupBy);
      saveBlob(blob, filename);
    } catch (error) {
      toasts.show(error instanceof Error ? error.message : String(error));
    }
  }

  /** Clears data and the focus (on leaving the screen). */
  reset(): void {
    this.#abort?.abort();
    this.#panel = null;
    this.table = null;
    this.cards = null;
    this.trend = null;
    this.towns = null;
    this.compareTowns = false;
    this.villageId = null;
    this.stationKey = null;
  }

  /** Fits the camera to a village, keeping the panel's side clear. */
  #frame(id: number): void {
    const box = camera.container;
    const feature = mapView.feature(id);
    if (!box || !feature) return;
    const bounds = featureBounds(feature);
    const container = box.getBoundingClientRect();
    const panel = this.#panel?.getBoundingClientRect();
    const padding = { top: 40, bottom: 40, left: 40, right: 40 };
    if (panel && panel.width < container.width * 0.9) padding.left += Math.max(0, panel.right - container.left);
    else if (panel) padding.top += Math.max(0, Math.min(panel.bottom, container.bottom) - container.top);
    if (padding.left + padding.right >= container.width - 40 || padding.top + padding.bottom >= container.height - 40) {
      camera.fit(bounds, { duration: 700, maxZoom: 16 });
      return;
    }
    camera.fit(bounds, { padding, duration: 700, maxZoom: 16 });
  }
}

/** The application's single dashboard state. */
export const dashboard = new Dashboard();
