import { request } from '../../api/client';
import type {
  BinCases,
  BinCollection,
  BinLayer,
  BinOptions,
  ClusterCollection,
  DisputeArcs,
  JointCase,
  OpenedJointCase,
  RiskChange,
  RiskCollection,
  RiskExplanation,
  RiskLevel,
  RiskScores,
  RiskSettings,
  Town,
} from './types';

/** A half-open window `[from, to)` as ISO instants. */
export interface WindowQuery {
  from: string;
  to: string;
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  return search.toString();
}

/**
 * The analytics endpoints of the risk map (风险一张图). Readers are leaders,
 * the dispatch center, stations and admins; grid workers get 403.
 */
export const analyticsApi = {
  /** Scores and four-colour grades of every grid or village (GeoJSON, with outlines: for GIS clients). */
  risk: (level: RiskLevel, window: WindowQuery, signal?: AbortSignal) =>
    request<RiskCollection>(`/api/analytics/risk?${query({ level, ...window })}`, { signal }),

  /** Scores and four-colour grades of every grid or village by area id, without outlines (the map joins them to its area layers). */
  scores: (level: RiskLevel, window: WindowQuery, signal?: AbortSignal, townId?: number) =>
    request<RiskScores>(`/api/analytics/risk/scores?${query({ level, townId, ...window })}`, { signal }),

  /** The towns in the caller's scope (county users: every town of the county; town users: their own). */
  towns: (signal?: AbortSignal) => request<{ towns: Town[] }>('/api/towns', { signal }),

  /** The events behind one area's score. */
  explain: (areaId: number, window: WindowQuery, signal?: AbortSignal) =>
    request<RiskExplanation>(`/api/analytics/risk/${areaId}/explain?${query({ ...window })}`, { signal }),

  /** Change of each area's score between `window` and `compare`, largest rise first. */
  change: (level: RiskLevel, window: WindowQuery, compare: WindowQuery, signal?: AbortSignal, townId?: number) =>
    request<RiskChange>(
      `/api/analytics/risk/change?${query({ level, townId, ...window, compareFrom: compare.from, compareTo: compare.to })}`,
      { signal },
    ),

  /** The scoring weights, thresholds and formula text. */
  settings: (signal?: AbortSignal) => request<RiskSettings>('/api/analytics/settings', { signal }),

  /** Hexagonal bins of hazards or disputes (non-empty cells only). */
  bins: (layer: BinLayer, cellMeters: number, window: WindowQuery, signal?: AbortSignal, townId?: number) =>
    request<BinCollection>(`/api/analytics/bins?${query({ layer, shape: 'hex', cellMeters, townId, ...window })}`, { signal }),

  /** Hexagon or square cells, or counts per village / base grid (non-empty only). */
  binsBy: (options: BinOptions, window: WindowQuery, signal?: AbortSignal, townId?: number) =>
    request<BinCollection>(
      `/api/analytics/bins?${query({
        layer: options.layer,
        ...(options.groupBy ? { groupBy: options.groupBy } : { shape: options.shape, cellMeters: options.cellMeters }),
        townId,
        ...window,
      })}`,
      { signal },
    ),

  /** The hazards or disputes counted in one cell (never key persons). */
  binCases: (options: BinOptions, cell: string, window: WindowQuery, signal?: AbortSignal, townId?: number) =>
    request<BinCases>(
      `/api/analytics/bins/cases?${query({ layer: options.layer, shape: options.shape, cellMeters: options.cellMeters, cell, townId, ...window })}`,
      { signal },
    ),

  /** Joint mediation cases (联调), newest first. */
  jointCases: (signal?: AbortSignal) =>
    request<{ jointCases: JointCase[] }>('/api/analytics/joint-cases', { signal }).then((body) => body.jointCases),

  /** Opens a joint case on a cluster's disputes, dispatched to several stations (dispatcher, admin). */
  openJointCase: (body: { title: string; note?: string; caseIds: number[]; stationKeys: string[]; cluster?: Record<string, unknown> }) =>
    request<OpenedJointCase>('/api/analytics/dispute-clusters/joint-case', { method: 'POST', body, handled: [400, 409] }),

  /** Closes a joint case with a reason (dispatcher, admin). */
  closeJointCase: (id: number, reason: string) =>
    request<{ id: number; status: 'closed'; closedAt: string }>(`/api/analytics/joint-cases/${id}/close`, { method: 'POST', body: { reason }, handled: [400, 404, 409] }),

  /** Dispute cluster hulls, largest first. */
  clusters: (window: WindowQuery, signal?: AbortSignal, townId?: number) =>
    request<ClusterCollection>(`/api/analytics/dispute-clusters?${query({ townId, ...window })}`, { signal }),

  /** Pairs of home villages of cross-village disputes. */
  arcs: (window: WindowQuery, signal?: AbortSignal, townId?: number) =>
    request<DisputeArcs>(`/api/analytics/dispute-arcs?${query({ townId, ...window })}`, { signal }),
};
