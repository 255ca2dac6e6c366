import type { Point } from 'geojson';
import { request, requestWithEtag } from '../../api/client';
import type {
  CaseAction,
  CaseCollection,
  CaseCounts,
  CaseFeature,
  CaseKind,
  CaseProps,
  CaseTimeline,
  DisputeRegistration,
  HazardRegistration,
  QueueItem,
  RoutingRule,
  VillageDirectory,
} from './types';

/** The OGC collection id of a case kind. */
export const COLLECTION_OF: Record<CaseKind, 'hazards' | 'disputes'> = { hazard: 'hazards', dispute: 'disputes' };

/** Server-side filters of a case layer. */
export interface CaseQuery {
  /** Statuses to include; all when empty. */
  statuses: readonly string[];
  /** Reported on or after this date (YYYY-MM-DD), or empty. */
  from: string;
  /** Reported on or before this date (YYYY-MM-DD), or empty. */
  to: string;
}

function itemsPath(kind: CaseKind, query: CaseQuery): string {
  const params = new URLSearchParams({ limit: '10000' });
  if (query.from || query.to) params.set('datetime', `${query.from || '..'}/${query.to || '..'}`);
  if (query.statuses.length > 0) params.set('status', query.statuses.join(','));
  return `/api/collections/${COLLECTION_OF[kind]}/items?${params.toString()}`;
}

/** A case with the ETag (version) it was read at, for `If-Match`. */
export interface VersionedCase {
  props: CaseProps;
  etag: string;
}

/** The case and hazard endpoints the map uses. */
export const casesApi = {
  /** Cases of one kind with the given filters (one page of up to 10,000). */
  items: (kind: CaseKind, query: CaseQuery, signal?: AbortSignal) => request<CaseCollection>(itemsPath(kind, query), { signal }),

  /** One case with its ETag. */
  item: async (kind: CaseKind, id: number, signal?: AbortSignal): Promise<VersionedCase> => {
    const { body, etag } = await requestWithEtag<CaseFeature>(`/api/collections/${COLLECTION_OF[kind]}/items/${id}`, { signal });
    return { props: body.properties, etag: etag ?? `"${body.properties.version}"` };
  },

  /** Registers a hazard or a dispute at a point; 4xx answers are left to the caller. */
  register: async (kind: CaseKind, point: [number, number], properties: HazardRegistration | DisputeRegistration): Promise<CaseFeature> => {
    const geometry: Point = { type: 'Point', coordinates: point };
    return request<CaseFeature>(`/api/collections/${COLLECTION_OF[kind]}/items`, {
      method: 'POST',
      body: { type: 'Feature', geometry, properties },
      contentType: 'application/geo+json',
      handled: [400, 403, 409, 415, 422],
    });
  },

  /** Runs a workflow action with `If-Match`; 400/403/409/412 are left to the caller. */
  act: async (kind: CaseKind, id: number, action: CaseAction, body: Record<string, unknown>, etag: string): Promise<VersionedCase> => {
    const answer = await requestWithEtag<CaseProps>(`/api/${kind === 'hazard' ? 'hazards' : 'disputes'}/${id}/${action}`, {
      method: 'POST',
      body,
      headers: { 'If-Match': etag },
      handled: [400, 403, 409, 412],
    });
    return { props: answer.body, etag: answer.etag ?? `"${answer.body.version}"` };
  },

  /** The ledger of a case. */
  timeline: (kind: CaseKind, id: number, signal?: AbortSignal) => request<CaseTimeline>(`/api/cases/${kind}/${id}/timeline`, { signal }),

  /** Legend counts per status and deadline state. */
  counts: () => request<CaseCounts>('/api/cases/counts'),

  /** Categories and their default stations. */
  routingRules: () => request<{ rules: RoutingRule[] }>('/api/routing-rules').then((body) => body.rules),

  /** The directory of divisions: every town of the county with its villages (names and codes only), and the caller's town. */
  villageDirectory: (signal?: AbortSignal) => request<VillageDirectory>('/api/towns/villages', { signal }),

  /** Registered disputes awaiting dispatch (dispatcher, admin). */
  queue: () => request<{ items: QueueItem[] }>('/api/dispatch/queue?limit=500').then((body) => body.items),
};
