import { request } from '../../api/client';
import type { HeatCollection, KeyPerson, KeyPersonFeature, PersonCategory, PersonSummary, RevealField, RevealedText, Visit, VisitKind } from '../cases/types';

/** The key-person endpoints (重点人员): the layer, heat counts, one person, reveal and visits. */
export const keyPersonsApi = {
  /** Key persons at their households, masked (identity roles only). */
  persons: (signal?: AbortSignal) =>
    request<{ type: 'FeatureCollection'; features: KeyPersonFeature[] }>('/api/collections/key-persons/items?limit=10000', { signal }),

  /** Grid outlines with key-person counts (every role; no identities). */
  heat: (signal?: AbortSignal) => request<HeatCollection>('/api/key-persons/heat?level=grid', { signal }),

  /** Key persons per colour (counts only). */
  personSummary: () => request<PersonSummary>('/api/key-persons/summary?groupBy=colour'),

  /** Key-person categories. */
  personCategories: () => request<{ categories: PersonCategory[] }>('/api/key-persons/settings').then((body) => body.categories),

  /** One key person, masked, with its ETag. */
  person: (id: number, signal?: AbortSignal) => request<KeyPerson>(`/api/key-persons/${id}`, { signal }),

  /** Reveals masked fields with a reason (audited). */
  reveal: (id: number, fields: RevealField[], reason: string) =>
    request<{ id: number; fields: RevealedText }>(`/api/key-persons/${id}/reveal`, {
      method: 'POST',
      body: { fields, reason },
      handled: [400, 403],
    }),

  /** Visits of a key person, newest first. */
  visits: (id: number, signal?: AbortSignal) => request<{ visits: Visit[] }>(`/api/key-persons/${id}/visits`, { signal }).then((body) => body.visits),

  /** Records a visit. */
  recordVisit: (id: number, kind: VisitKind, note: string) =>
    request<{ visit: Visit; person: KeyPerson }>(`/api/key-persons/${id}/visits`, {
      method: 'POST',
      body: note ? { kind, note } : { kind },
      handled: [400, 403],
    }),
};
