import type { Polygon, MultiPolygon } from 'geojson';
import { analyticsApi, type WindowQuery } from './api';
import type {
  BinCases,
  BinCollection,
  BinGroupBy,
  BinLayer,
  BinOptions,
  BinShape,
  ClusterCollection,
  ClusterProperties,
  DisputeArcs,
  JointCase,
  OpenedJointCase,
  RiskChange,
  RiskScores,
  RiskExplanation,
  RiskLevel,
  RiskSettings,
  Town,
} from './types';
import { featureBounds } from '../../map/geometry';
import { playback } from './playback.svelte';
import { DAY_MS, townshipDay, townshipMidnight, townshipMonthStart } from '../../ui/time';
import { camera } from '../../map/camera';
import { mapView } from '../../map/view.svelte';
import { panel } from '../../map/panel.svelte';
import { i18n } from '../../i18n/i18n.svelte';

/** The period of the risk map. */
export type RiskPeriod = 'month' | 'last30' | 'custom';

/** What the hex-bin layer counts, or `off`. */
export type HexBinChoice = 'off' | BinLayer;

/** Hexagon edge length of the bins, in metres. */
export const HEX_CELL_METERS = 250;

/** Cell sizes offered for bins, in metres. */
export const BIN_CELL_METERS = [100, 250, 500, 1000] as const;

/** Smallest cell for key persons: the server takes only 250, 500 and 1000 m for them (fixed sizes on a fixed origin). */
export const KEY_PERSON_MIN_CELL_METERS = 250;

/** Cell of the light points behind the kernel-density heatmap, in metres (key persons: the minimum). */
export const HEAT_CELL_METERS = 50;

/** What the heatmap shows, or `off`. */
export type HeatmapChoice = 'off' | BinLayer;

/** Cells of a metric grid (`cells`) or area polygons. */
export type BinAggregation = 'cells' | BinGroupBy;

/** The cases of one clicked bin. */
export interface OpenBin {
  cell: string;
  count: number;
  /** Null while loading. */
  result: BinCases | null;
}

/** Most cached playback answers kept. */
const CACHE_LIMIT = 400;

/**
 * State of the risk map mode (风险一张图): whether it is on, its level and
 * period, the loaded scores, settings, change, bins, clusters and arcs, and the
 * area being explained. Loads from `/api/analytics/*` whenever an input changes.
 */
export class RiskMap {
  /** Whether the risk map mode is on. */
  active = $state(false);
  /** Base grids (`grid`), villages, or (county users) towns side by side. */
  level = $state<RiskLevel>('grid');
  /** County users: the one town the risk map is narrowed to, or null for the whole county (全县). */
  townId = $state<number | null>(null);
  /** County users: the towns of the county once loaded (null for town users, who see their own town only). */
  towns = $state.raw<Town[] | null>(null);
  /** The period preset. */
  period = $state<RiskPeriod>('month');
  /** First day of a custom period (`YYYY-MM-DD`, CST, inclusive). */
  customFrom = $state(townshipDay(new Date(Date.now() - 30 * DAY_MS)));
  /** Last day of a custom period (`YYYY-MM-DD`, CST, inclusive). */
  customTo = $state(townshipDay());
  /** Colour areas by change this month vs last month instead of by score. */
  showChange = $state(false);
  /** What the hex bins count. */
  hexBins = $state<HexBinChoice>('off');
  /** Whether dispute clusters and arcs are drawn. */
  showClusters = $state(false);
  /** Shape of bin cells. */
  binShape = $state<BinShape>('hex');
  /** Bin cell size in metres (hexagon edge or square side). */
  binCellMeters = $state<number>(HEX_CELL_METERS);
  /** Cells, or counts per base grid / village. */
  binAggregation = $state<BinAggregation>('cells');
  /** What the kernel-density heatmap shows. */
  heatmap = $state<HeatmapChoice>('off');

  risk = $state.raw<RiskScores | null>(null);
  settings = $state.raw<RiskSettings | null>(null);
  change = $state.raw<RiskChange | null>(null);
  bins = $state.raw<BinCollection | null>(null);
  clusters = $state.raw<ClusterCollection | null>(null);
  arcs = $state.raw<DisputeArcs | null>(null);
  /** Light points of the heatmap: fine cells (or ≥ 250 m cells for key persons) with counts. */
  heat = $state.raw<BinCollection | null>(null);
  /** The cases of the last clicked bin, once loaded (shown while the `bin` panel is open for that cell). */
  #binResult = $state.raw<{ cell: string; result: BinCases } | null>(null);
  /** Joint mediation cases (联调), newest first, once loaded. */
  jointCases = $state.raw<JointCase[] | null>(null);
  explanation = $state.raw<RiskExplanation | null>(null);
  loading = $state(false);

  #controller: AbortController | null = null;
  #cache = new Map<string, Promise<unknown>>();

  /** The clicked bin and its cases (`result` null while loading): the open `bin` panel, or null. */
  get openBin(): OpenBin | null {
    const open = panel.of('bin');
    if (!open) return null;
    const loaded = this.#binResult?.cell === open.cell ? this.#binResult.result : null;
    return { cell: open.cell, count: open.count, result: loaded };
  }

  /** The area whose score is explained (the open `risk-explain` panel), or null. */
  get explainId(): number | null {
    return panel.of('risk-explain')?.areaId ?? null;
  }

  /** The `[from, to)` window of the playback frame when playback is on, else of the chosen period, as ISO instants. */
  get window(): WindowQuery {
    const frame = playback.frame;
    if (frame) return frame;
    const now = new Date();
    if (this.period === 'month') return { from: townshipMonthStart(now).toISOString(), to: now.toISOString() };
    if (this.period === 'last30') return { from: new Date(now.getTime() - 30 * DAY_MS).toISOString(), to: now.toISOString() };
    const from = townshipMidnight(this.customFrom);
    const to = new Date(townshipMidnight(this.customTo).getTime() + DAY_MS);
    return { from: from.toISOString(), to: (to > from ? to : new Date(from.getTime() + DAY_MS)).toISOString() };
  }

  /** The bin request of the current choices, or null when bins are off. */
  get binOptions(): BinOptions | null {
    if (this.hexBins === 'off') return null;
    const cellMeters = this.hexBins === 'key-persons' ? Math.max(this.binCellMeters, KEY_PERSON_MIN_CELL_METERS) : this.binCellMeters;
    return { layer: this.hexBins, shape: this.binShape, cellMeters, groupBy: this.binAggregation === 'cells' ? null : this.binAggregation };
  }

  /** A town's name in the interface language. */
  townName(town: { name: string; nameEn: string | null }): string {
    return i18n.lang === 'en' && town.nameEn ? town.nameEn : town.name;
  }

  /**
   * Loads the towns of the county for the town selector (county users only:
   * a town user's risk map is always their own town's, so they get no selector).
   */
  async loadTowns(): Promise<void> {
    if (this.towns) return;
    try {
      this.towns = (await analyticsApi.towns()).towns;
    } catch {
      // The API client has already shown a toast; the selector stays hidden.
    }
  }

  /** Narrows the risk map to one town (null: the whole county) and reloads; from the 镇 level, goes down to villages. */
  chooseTown(townId: number | null): void {
    this.townId = townId;
    if (townId !== null && this.level === 'town') this.level = 'village';
    this.closeExplain();
    if (townId !== null) this.flyTo(townId);
    void this.reload();
  }

  /** Switches the mode on or off; switching on loads the data. */
  setActive(on: boolean): void {
    this.active = on;
    if (!on) {
      this.closeExplain();
      this.closeBin();
      playback.pause();
    }
    if (on) void this.reload();
  }

  /** Loads everything the current choices need. */
  async reload(): Promise<void> {
    if (!this.active) return;
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    const { signal } = controller;
    const window = this.window;
    this.loading = true;
    try {
      const now = new Date();
      const binOptions = this.binOptions;
      const heatLayer = this.heatmap;
      // A county user's chosen town narrows every layer of the risk map; a town user's answers are their own town's anyway.
      const townId = this.townId ?? undefined;
      const town = this.townId ?? '';
      const [risk, settings, change, bins, clusters, arcs, heat] = await Promise.all([
        this.#cached(`risk|${this.level}|${this.townId ?? ''}`, window, () => analyticsApi.scores(this.level, window, signal, this.townId ?? undefined)),
        this.settings ? Promise.resolve(this.settings) : analyticsApi.settings(signal),
        this.showChange
          ? analyticsApi.change(
              this.level,
              { from: townshipMonthStart(now).toISOString(), to: now.toISOString() },
              { from: townshipMonthStart(now, -1).toISOString(), to: townshipMonthStart(now).toISOString() },
              signal,
              townId,
            )
          : Promise.resolve(null),
        binOptions
          ? this.#cached(`bins|${JSON.stringify(binOptions)}|${town}`, window, () => analyticsApi.binsBy(binOptions, window, signal, townId))
          : Promise.resolve(null),
        this.showClusters
          ? this.#cached(`clusters|${this.townId ?? ''}`, window, () => analyticsApi.clusters(window, signal, this.townId ?? undefined))
          : Promise.resolve(null),
        this.showClusters ? this.#cached(`arcs|${this.townId ?? ''}`, window, () => analyticsApi.arcs(window, signal, this.townId ?? undefined)) : Promise.resolve(null),
        heatLayer === 'off' ? Promise.resolve(null) : this.#cached(`heat|${heatLayer}|${town}`, window, () => analyticsApi.binsBy(heatOptions(heatLayer), window, signal, townId)),
      ]);
      if (signal.aborted) return;
      this.risk = risk;
      this.settings = settings;
      this.change = change;
      this.bins = bins;
      this.clusters = clusters;
      this.arcs = arcs;
      this.heat = heat;
      if (!binOptions) this.closeBin();
      if (this.explainId !== null) void this.explain(this.explainId);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      // The API client has already shown a toast.
    } finally {
      if (this.#controller === controller) this.loading = false;
    }
  }

  /** Sets one choice and reloads. */
  set<
    K extends 'level' | 'period' | 'customFrom' | 'customTo' | 'showChange' | 'hexBins' | 'showClusters' | 'binShape' | 'binCellMeters' | 'binAggregation' | 'heatmap',
  >(key: K, value: this[K]): void {
    this[key] = value;
    if (key === 'hexBins' || key === 'binShape' || key === 'binCellMeters' || key === 'binAggregation') this.closeBin();
    void this.reload();
  }

  /** Lists the cases of one clicked cell (not for key persons or area counts). */
  async showBin(cell: string, count: number): Promise<void> {
    const options = this.binOptions;
    if (!options || options.groupBy || options.layer === 'key-persons') return;
    panel.open({ type: 'bin', cell, count });
    try {
      const result = await analyticsApi.binCases(options, cell, this.window, undefined, this.townId ?? undefined);
      this.#binResult = { cell, result };
    } catch {
      if (panel.of('bin')?.cell === cell) panel.close('bin');
    }
  }

  /** Closes the bin's case list. */
  closeBin(): void {
    panel.close('bin');
    this.#binResult = null;
  }

  /** Loads the joint cases (联调). */
  async loadJointCases(): Promise<void> {
    try {
      this.jointCases = await analyticsApi.jointCases();
    } catch {
      // The API client has already shown a toast.
    }
  }

  /**
   * Opens a joint mediation case (联调) on a cluster's disputes, dispatched to
   * `stationKeys`; then reloads the joint cases and the map (cached frames
   * are stale). Rejects with an `ApiError` (e.g. a dispute already in another joint case).
   */
  async openJointCase(cluster: ClusterProperties, title: string, note: string, stationKeys: string[]): Promise<OpenedJointCase> {
    const opened = await analyticsApi.openJointCase({
      title,
      note: note || undefined,
      caseIds: cluster.memberIds,
      stationKeys,
      cluster: { memberIds: cluster.memberIds, firstReportedAt: cluster.firstReportedAt, lastReportedAt: cluster.lastReportedAt },
    });
    this.clearCache();
    void this.loadJointCases();
    void this.reload();
    return opened;
  }

  /** Closes a joint case with a reason, then reloads the joint cases. Rejects with an `ApiError`. */
  async closeJointCase(id: number, reason: string): Promise<void> {
    await analyticsApi.closeJointCase(id, reason);
    await this.loadJointCases();
  }

  /** Forgets cached playback frames (after a change such as a new joint case). */
  clearCache(): void {
    this.#cache.clear();
  }

  /** While playback is on, answers repeated frames from a cache; otherwise loads. */
  #cached<T>(key: string, window: WindowQuery, load: () => Promise<T>): Promise<T> {
    if (!playback.enabled) return load();
    const id = `${key}|${window.from}|${window.to}`;
    const hit = this.#cache.get(id) as Promise<T> | undefined;
    if (hit) return hit;
    const promise = load();
    promise.catch(() => this.#cache.delete(id));
    if (this.#cache.size >= CACHE_LIMIT) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(id, promise);
    return promise;
  }

  /** Opens the explanation of one area's score (replacing the open right-hand panel) and loads it. */
  async explain(areaId: number): Promise<void> {
    panel.open({ type: 'risk-explain', areaId });
    if (this.explanation?.area.id !== areaId) this.explanation = null;
    try {
      const explanation = await analyticsApi.explain(areaId, this.window);
      if (this.explainId === areaId) this.explanation = explanation;
    } catch {
      if (this.explainId === areaId) panel.close('risk-explain');
    }
  }

  /** Closes the explanation. */
  closeExplain(): void {
    panel.close('risk-explain');
    this.explanation = null;
  }

  /** Flies the map to one area of the risk map (its outline as the area layers loaded it). */
  flyTo(areaId: number): void {
    const feature = mapView.feature(areaId);
    if (!feature) return;
    this.fitGeometry(feature.geometry);
  }

  /** Fits the map to a geometry (a cluster hull). */
  fitGeometry(geometry: Polygon | MultiPolygon): void {
    camera.fit(featureBounds({ type: 'Feature', geometry, properties: {} }), { padding: 120, maxZoom: 16, duration: 800 });
  }

  /** Forgets everything (on sign-out). */
  reset(): void {
    this.#controller?.abort();
    this.active = false;
    this.townId = null;
    this.towns = null;
    this.risk = null;
    this.change = null;
    this.bins = null;
    this.clusters = null;
    this.arcs = null;
    this.heat = null;
    this.closeBin();
    this.jointCases = null;
    this.#cache.clear();
    playback.setEnabled(false);
    this.closeExplain();
  }
}

/** The fine cells whose centres, weighted by counts, feed the heatmap. */
function heatOptions(layer: BinLayer): BinOptions {
  return { layer, shape: 'square', cellMeters: layer === 'key-persons' ? KEY_PERSON_MIN_CELL_METERS : HEAT_CELL_METERS, groupBy: null };
}

/** The risk map mode of the signed-in screen. */
export const riskMap = new RiskMap();
