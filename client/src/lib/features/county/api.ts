import { request } from '../../api/client';
import { i18n } from '../../i18n/i18n.svelte';

/** One row of the county KPI table (`GET /api/county/kpis`). */
export interface TownKpi {
  townId: number;
  code: string;
  name: string;
  nameEn: string | null;
  open: number;
  overdue: number;
  closed: number;
  onTimeRate: number | null;
  disputes: number;
  hazards: number;
  /** Protected count (rounded to a multiple of k), null below k. */
  keyPersons: number | null;
  keyPersonsSuppressed: boolean;
  escalationsInProgress: number;
}

/** The county KPI table answer. */
export interface TownKpiAnswer {
  window: { from: string | null; to: string };
  towns: TownKpi[];
  protection: { minCount: number; roundedTo: number } | null;
}

/** Where an escalation stands. */
export type EscalationStatus = 'pending' | 'accepted' | 'returned' | 'closed';
/** What the county does with an escalation. */
export type EscalationAction = 'accept' | 'return' | 'close';

/** An escalated case (事件上报) as the county queue lists it. */
export interface Escalation {
  id: number;
  status: EscalationStatus;
  reason: string;
  escalatedAt: string;
  escalatedBy: string;
  acceptedAt: string | null;
  returnedAt: string | null;
  instructions: string | null;
  closedAt: string | null;
  closingNote: string | null;
  finishedBy: string | null;
  version: number;
  allowedActions: EscalationAction[];
  town: { id: number; name: string; nameEn: string | null };
  case: {
    id: number;
    kind: 'hazard' | 'dispute';
    category: string;
    status: string;
    tier: string | null;
    severity: string | null;
    description: string;
    reportedAt: string;
    deadlineAt: string;
    closedAt: string | null;
    village: { id: number; name: string; nameEn: string | null };
  };
}

/** Query of the KPI table. */
export interface TownKpiQuery {
  from: string;
  to: string;
}

function kpiParams(query: TownKpiQuery): URLSearchParams {
  return new URLSearchParams({ from: query.from, to: query.to });
}

/** The KPI table by town. */
export function fetchTownKpis(query: TownKpiQuery, signal?: AbortSignal): Promise<TownKpiAnswer> {
  return request<TownKpiAnswer>(`/api/county/kpis?${kpiParams(query)}`, { signal });
}

/** The KPI table as .xlsx, headers and town names in the interface language, rows in the table's order. */
export async function fetchTownKpisXlsx(query: TownKpiQuery, sort: string, order: 'asc' | 'desc'): Promise<{ blob: Blob; filename: string }> {
  const params = kpiParams(query);
  params.set('sort', sort);
  params.set('order', order);
  const response = await fetch(`/api/county/kpis.xlsx?${params}`, { credentials: 'same-origin', headers: { 'Accept-Language': i18n.locale } });
  if (!response.ok) throw new Error(i18n.t('error.status', { status: response.status }));
  const encoded = /filename\*=UTF-8''([^;]+)/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  return { blob: await response.blob(), filename: encoded ? decodeURIComponent(encoded) : 'town-kpis.xlsx' };
}

/** The escalation queue, optionally of one town. */
export function fetchEscalations(townId: number | null, signal?: AbortSignal): Promise<{ escalations: Escalation[] }> {
  const params = new URLSearchParams();
  if (townId !== null) params.set('townId', String(townId));
  return request<{ escalations: Escalation[] }>(`/api/county/escalations?${params}`, { signal });
}

/** Takes one county step on an escalation, at the version seen. */
export function actOnEscalation(escalation: Escalation, action: EscalationAction, text: string): Promise<Escalation> {
  const body = action === 'return' ? { instructions: text } : action === 'close' ? { note: text } : text ? { note: text } : {};
  return request<Escalation>(`/api/county/escalations/${escalation.id}/${action}`, {
    method: 'POST',
    body,
    headers: { 'If-Match': `"${escalation.version}"` },
    handled: [409, 412],
  });
}
