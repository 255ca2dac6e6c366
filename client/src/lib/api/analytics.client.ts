import { request } from './api.client';
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
} from './analytics.types';

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
  /** Scores and four-colour grades of every grid or village (GeoJSON). */
  risk: (level: RiskLevel, window: WindowQuery, signal?: AbortSignal) =>
    request<RiskCollection>(`/api/analytics/risk?${query({ level, ...window })}`, { signal }),

  /** The events behind one area's score. */
  explain: (areaId: number, window: WindowQuery, signal?: AbortSignal) =>
    request<RiskExplanation>(`/api/analytics/risk/${areaId}/explain?${query({ ...window })}`, { signal }),

  /** Change of each area's score between `window` and `compare`, largest rise first. */
  change: (level: RiskLevel, window: WindowQuery, compare: WindowQuery, signal?: AbortSignal) =>
    request<RiskChange>(
      `/api/analytics/risk/change?${query({ level, ...window, compareFrom: compare.from, compareTo: compare.to })}`,
      { signal },
    ),

  /** The scoring weights, thresholds and formula text. */
  settings: (signal?: AbortSignal) => request<RiskSettings>('/api/analytics/settings', { signal }),

  /** Hexagonal bins of hazards or disputes (non-empty cells only). */
  bins: (layer: BinLayer, cellMeters: number, window: WindowQuery, signal?: AbortSignal) =>
    request<BinCollection>(`/api/analytics/bins?${query({ layer, shape: 'hex', cellMeters, ...window })}`, { signal }),

  /** Dispute cluster hulls, largest first. */
  clusters: (window: WindowQuery, signal?: AbortSignal) =>
    request<ClusterCollection>(`/api/analytics/dispute-clusters?${query({ ...window })}`, { signal }),

  /** Pairs of home villages of cross-village disputes. */
  arcs: (window: WindowQuery, signal?: AbortSignal) =>
    request<DisputeArcs>(`/api/analytics/dispute-arcs?${query({ ...window })}`, { signal }),
};
