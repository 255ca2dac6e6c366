import type { Map as MapLibreMap } from 'maplibre-gl';
import type { Polygon, MultiPolygon } from 'geojson';
import { analyticsApi, type WindowQuery } from '../api/analytics.client';
import type {
  BinCollection,
  BinLayer,
  ClusterCollection,
  DisputeArcs,
  RiskChange,
  RiskCollection,
  RiskExplanation,
  RiskLevel,
  RiskSettings,
} from '../api/analytics.types';
import type { Role } from '../api/api.types';
import { featureBounds } from '../map/geometry.util';

/** Roles that may read analytics (grid workers get 403). */
export const RISK_ROLES: readonly Role[] = ['leader', 'dispatcher', 'station', 'admin'];

/** The period of the risk map. */
export type RiskPeriod = 'month' | 'last30' | 'custom';

/** What the hex-bin layer counts, or `off`. */
export type HexBinChoice = 'off' | BinLayer;

/** Hexagon edge length of the bins, in metres. */
export const HEX_CELL_METERS = 250;

const DAY = 86_400_000;
/** The township keeps China Standard Time (UTC+8, no DST). */
const CST = 8 * 3_600_000;

/** Start of the CST calendar month containing `at`, shifted by `months`. */
function monthStart(at: Date, months = 0): Date {
  const local = new Date(at.getTime() + CST);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + months, 1) - CST);
}

/** Midnight CST of a `YYYY-MM-DD` date. */
function cstMidnight(date: string): Date {
  return new Date(`${date}T00:00:00+08:00`);
}

/** Today as `YYYY-MM-DD` in CST. */
export function cstToday(at = new Date()): string {
  return new Date(at.getTime() + CST).toISOString().slice(0, 10);
}

/**
 * State of the risk map mode (风险一张图): whether it is on, its level and
 * period, the loaded scores, settings, change, bins, clusters and arcs, and the
 * area being explained. Loads from `/api/analytics/*` whenever an input changes.
 */
export class RiskMap {
  /** Whether the risk map mode is on. */
  active = $state(false);
  /** Base grids (`grid`) or villages. */
  level = $state<RiskLevel>('grid');
  /** The period preset. */
  period = $state<RiskPeriod>('month');
  /** First day of a custom period (`YYYY-MM-DD`, CST, inclusive). */
  customFrom = $state(cstToday(new Date(Date.now() - 30 * DAY)));
  /** Last day of a custom period (`YYYY-MM-DD`, CST, inclusive). */
  customTo = $state(cstToday());
  /** Colour areas by change this month vs last month instead of by score. */
  showChange = $state(false);
  /** What the hex bins count. */
  hexBins = $state<HexBinChoice>('off');
  /** Whether dispute clusters and arcs are drawn. */
  showClusters = $state(false);

  risk = $state.raw<RiskCollection | null>(null);
  settings = $state.raw<RiskSettings | null>(null);
  change = $state.raw<RiskChange | null>(null);
  bins = $state.raw<BinCollection | null>(null);
  clusters = $state.raw<ClusterCollection | null>(null);
  arcs = $state.raw<DisputeArcs | null>(null);
  /** The area whose score is explained, or null. */
  explainId = $state<number | null>(null);
  explanation = $state.raw<RiskExplanation | null>(null);
  loading = $state(false);

  #map: MapLibreMap | null = null;
  #controller: AbortController | null = null;

  /** The `[from, to)` window of the chosen period, as ISO instants. */
  get window(): WindowQuery {
    const now = new Date();
    if (this.period === 'month') return { from: monthStart(now).toISOString(), to: now.toISOString() };
    if (this.period === 'last30') return { from: new Date(now.getTime() - 30 * DAY).toISOString(), to: now.toISOString() };
    const from = cstMidnight(this.customFrom);
    const to = new Date(cstMidnight(this.customTo).getTime() + DAY);
    return { from: from.toISOString(), to: (to > from ? to : new Date(from.getTime() + DAY)).toISOString() };
  }

  /** Keeps the map, for flying to areas. */
  attach(map: MapLibreMap): void {
    this.#map = map;
  }

  /** Switches the mode on or off; switching on loads the data. */
  setActive(on: boolean): void {
    this.active = on;
    if (!on) this.closeExplain();
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
      const [risk, settings, change, bins, clusters, arcs] = await Promise.all([
        analyticsApi.risk(this.level, window, signal),
        this.settings ? Promise.resolve(this.settings) : analyticsApi.settings(signal),
        this.showChange
          ? analyticsApi.change(
              this.level,
              { from: monthStart(now).toISOString(), to: now.toISOString() },
              { from: monthStart(now, -1).toISOString(), to: monthStart(now).toISOString() },
              signal,
            )
          : Promise.resolve(null),
        this.hexBins === 'off' ? Promise.resolve(null) : analyticsApi.bins(this.hexBins, HEX_CELL_METERS, window, signal),
        this.showClusters ? analyticsApi.clusters(window, signal) : Promise.resolve(null),
        this.showClusters ? analyticsApi.arcs(window, signal) : Promise.resolve(null),
      ]);
      if (signal.aborted) return;
      this.risk = risk;
      this.settings = settings;
      this.change = change;
      this.bins = bins;
      this.clusters = clusters;
      this.arcs = arcs;
      if (this.explainId !== null) void this.explain(this.explainId);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      // The API client has already shown a toast.
    } finally {
      if (this.#controller === controller) this.loading = false;
    }
  }

  /** Sets one choice and reloads. */
  set<K extends 'level' | 'period' | 'customFrom' | 'customTo' | 'showChange' | 'hexBins' | 'showClusters'>(key: K, value: this[K]): void {
    this[key] = value;
    void this.reload();
  }

  /** Opens the explanation of one area's score. */
  async explain(areaId: number): Promise<void> {
    this.explainId = areaId;
    if (this.explanation?.area.id !== areaId) this.explanation = null;
    try {
      const explanation = await analyticsApi.explain(areaId, this.window);
      if (this.explainId === areaId) this.explanation = explanation;
    } catch {
      if (this.explainId === areaId) this.explainId = null;
    }
  }

  /** Closes the explanation. */
  closeExplain(): void {
    this.explainId = null;
    this.explanation = null;
  }

  /** Flies the map to one area of the loaded risk map. */
  flyTo(areaId: number): void {
    const feature = this.risk?.features.find((candidate) => Number(candidate.id) === areaId);
    if (!feature || !this.#map) return;
    const geometry = feature.geometry as Polygon | MultiPolygon;
    const [w, s, e, n] = featureBounds({ type: 'Feature', geometry, properties: {} });
    this.#map.fitBounds([w, s, e, n], { padding: 120, maxZoom: 16, duration: 800 });
  }

  /** Forgets everything (on sign-out). */
  reset(): void {
    this.#controller?.abort();
    this.active = false;
    this.risk = null;
    this.change = null;
    this.bins = null;
    this.clusters = null;
    this.arcs = null;
    this.closeExplain();
  }
}

/** The risk map mode of the signed-in screen. */
export const riskMap = new RiskMap();
