import { requestWithEtag, request } from '../../api/client';
import type { CaseKind, CaseProps } from './types';

/** Statuses of a lead (线索): pending 待核实 → verified 已核实 → converted 已转化, or dismissed 已排除. */
export const LEAD_STATUSES = ['pending', 'verified', 'converted', 'dismissed'] as const;
/** A lead's status. */
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** A lead handed over by a department (`GET /api/leads`). */
export interface Lead {
  id: number;
  status: LeadStatus;
  /** Actions the signed-in user may take now (verify, dismiss, convert). */
  allowedActions: string[];
  department: string;
  category: string | null;
  description: string;
  lon: number | null;
  lat: number | null;
  villageName: string | null;
  receivedAt: string;
  verificationNote: string | null;
  dismissedReason: string | null;
  convertedCase: { id: number; kind: CaseKind } | null;
  version: number;
}

/** A new lead (`POST /api/leads`). */
export interface LeadRegistration {
  department: string;
  category?: string;
  description: string;
  lon?: number;
  lat?: number;
}

/** How a verified lead becomes a case (`POST /api/leads/{id}/convert`). */
export interface LeadConversion {
  kind: CaseKind;
  category: string;
  severity?: string;
  tier?: string;
  parties?: { name: string; villageId: number }[];
}

const etagOf = (lead: Lead) => `"${lead.version}"`;

/** The lead-list endpoints (线索清单). */
export const leadsApi = {
  /** Leads, newest first, optionally of one status. */
  list: (status: LeadStatus | '', signal?: AbortSignal) =>
    request<{ leads: Lead[] }>(`/api/leads?limit=200${status ? `&status=${status}` : ''}`, { signal }).then((body) => body.leads),

  /** Registers a lead; 4xx answers are left to the caller. */
  register: (body: LeadRegistration) => request<Lead>('/api/leads', { method: 'POST', body, handled: [400, 403] }),

  /** Verifies a pending lead. */
  verify: (lead: Lead, note: string) =>
    requestWithEtag<Lead>(`/api/leads/${lead.id}/verify`, { method: 'POST', body: note ? { note } : {}, headers: { 'If-Match': etagOf(lead) }, handled: [400, 403, 409, 412] }).then((answer) => answer.body),

  /** Dismisses a lead with a reason. */
  dismiss: (lead: Lead, reason: string) =>
    requestWithEtag<Lead>(`/api/leads/${lead.id}/dismiss`, { method: 'POST', body: { reason }, headers: { 'If-Match': etagOf(lead) }, handled: [400, 403, 409, 412] }).then((answer) => answer.body),

  /** Turns a verified lead into a hazard or a dispute. */
  convert: (lead: Lead, body: LeadConversion) =>
    requestWithEtag<{ lead: Lead; case: CaseProps }>(`/api/leads/${lead.id}/convert`, {
      method: 'POST',
      body,
      headers: { 'If-Match': etagOf(lead) },
      handled: [400, 403, 409, 412],
    }).then((answer) => answer.body),
};
