import { i18n } from '../../i18n/i18n.svelte';
import { request } from '../../api/client';

/** Which cases the dashboard counts (all when absent). */
export interface KpiFilters {
  /** `from`, INCLUSIVE (ISO instant). */
  from: string;
  /** `to`, EXCLUSIVE (ISO instant). */
  to: string;
  layer?: 'hazards' | 'disputes';
  villageId?: number;
  /** Station key; `''` = not dispatched to a station. */
  stationKey?: string;
}

/** KPIs of one group, as `/api/analytics/kpis` answers them. */
export interface Kpi {
  key: string;
  label: string;
  open: number;
  new: number;
  newThisWeek: number;
  overdue: number;
  resolved: number;
  resolvedRate: number | null;
  meanHoursToResolve: number | null;
  satisfactionMean: number | null;
  visitsOverdue: number | null;
  /** True when `visitsOverdue` is null because fewer than k persons are behind it (counts-only roles). */
  visitsOverdueSuppressed?: boolean;
  /** Smallest count shown to counts-only roles (copied from the answer's `protection`), when suppressed. */
  minCount?: number;
}

/** KPIs per village or station plus the total of the filtered cases. */
export interface KpiAnswer {
  groupBy: 'village' | 'station';
  window: { from: string | null; to: string };
  /** Where "new this week" starts (Monday 00:00 UTC+8). */
  weekStart: string;
  groups: Kpi[];
  total: Kpi;
  /** Small-count protection applied to the key-person figures, or null (exact counts). */
  protection?: { minCount: number; roundedTo: number } | null;
}

/** Trend step. */
export type TrendStep = 'day' | 'week' | 'month';

/** One step of a trend series. */
export interface TrendPoint {
  start: string;
  end: string;
  new: number;
  resolved: number;
  openAtEnd: number;
  overdueAtEnd: number;
}

/** The query string of a KPI or trend request. */
export function kpiQuery(filters: KpiFilters, extra: Record<string, string> = {}): string {
  const search = new URLSearchParams({ from: filters.from, to: filters.to, ...extra });
  if (filters.layer) search.set('layer', filters.layer);
  if (filters.villageId !== undefined) search.set('villageId', String(filters.villageId));
  if (filters.stationKey !== undefined) search.set('stationKey', filters.stationKey);
  return search.toString();
}

/** The dashboard's endpoints. */
export const kpiApi = {
  /** KPIs per village or station plus the filtered total. */
  async kpis(filters: KpiFilters, groupBy: 'village' | 'station', signal?: AbortSignal): Promise<KpiAnswer> {
    const answer = await request<KpiAnswer>(`/api/analytics/kpis?${kpiQuery(filters, { groupBy })}`, { signal });
    // Each row carries k, so a suppressed figure can say "fewer than k" wherever it is drawn.
    const minCount = answer.protection?.minCount;
    if (minCount === undefined) return answer;
    return { ...answer, total: { ...answer.total, minCount }, groups: answer.groups.map((group) => ({ ...group, minCount })) };
  },

  /** New / resolved / overdue per day, week or month. */
  trend: (filters: KpiFilters, step: TrendStep, signal?: AbortSignal) =>
    request<{ step: TrendStep; series: TrendPoint[] }>(`/api/analytics/trend?${kpiQuery(filters, { step })}`, { signal, handled: [400] }),

  /** The KPI table as .xlsx, headers in the interface language. */
  async xlsx(filters: KpiFilters, groupBy: 'village' | 'station'): Promise<{ blob: Blob; filename: string }> {
    const response = await fetch(`/api/analytics/kpis.xlsx?${kpiQuery(filters, { groupBy })}`, {
      credentials: 'same-origin',
      headers: { 'Accept-Language': i18n.locale },
    });
    if (!response.ok) throw new Error(i18n.t('error.status', { status: response.status }));
    const disposition = response.headers.get('content-disposition') ?? '';
    const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
    return { blob: await response.blob(), filename: encoded ? decodeURIComponent(encoded) : `kpis-${groupBy}.xlsx` };
  },
};
