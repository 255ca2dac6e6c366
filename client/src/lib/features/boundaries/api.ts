import type { LineString, MultiPolygon, Polygon } from 'geojson';
import type { AreaLayerKey } from '../../api/types';
import { request, requestWithEtag } from '../../api/client';
import type { AreaEdit, BoundaryImpact, BoundaryResult, ImpactRequest } from './types';

/** Statuses the editor shows in its own panel rather than as a toast. */
const EDITOR_HANDLED = [400, 404, 409, 412, 422, 428];

/** The boundary-editing endpoints (admin). */
export const boundariesApi = {
  /** Checks proposed geometries without saving: `valid`, `problems`, `warnings`. */
  validate: (body: { areas?: AreaEdit[]; create?: { parentId: number; geometry: Polygon | MultiPolygon } }) =>
    request<BoundaryResult>('/api/boundaries/validate', { method: 'POST', body, handled: EDITOR_HANDLED }),

  /** What an edit, split or merge would move, without saving. */
  impact: (body: ImpactRequest) => request<BoundaryImpact>('/api/boundaries/impact', { method: 'POST', body, handled: EDITOR_HANDLED }),

  /** Saves several areas' geometries in one transaction (all or nothing). */
  batch: (areas: AreaEdit[], reason: string) =>
    request<BoundaryResult>('/api/boundaries/batch', { method: 'PATCH', body: { areas, reason }, handled: EDITOR_HANDLED }),

  /** Saves one area's geometry as a new version (OGC API – Features PATCH with If-Match). */
  saveOne: (collection: AreaLayerKey, id: number, version: number, geometry: Polygon | MultiPolygon, reason: string) =>
    requestWithEtag<Record<string, unknown>>(`/api/collections/${collection}/items/${id}`, {
      method: 'PATCH',
      body: { type: 'Feature', geometry },
      contentType: 'application/geo+json',
      headers: { 'If-Match': `"${version}"`, 'X-Change-Reason': encodeURIComponent(reason) },
      handled: EDITOR_HANDLED,
    }),

  /** Splits a grid along a line. */
  split: (areaId: number, line: LineString, ifMatch: number, reason: string) =>
    request<BoundaryResult>('/api/boundaries/split', { method: 'POST', body: { areaId, line, ifMatch, reason }, handled: EDITOR_HANDLED }),

  /** Merges adjacent sibling grids into one new grid. */
  merge: (areaIds: number[], ifMatches: number[], reason: string) =>
    request<BoundaryResult>('/api/boundaries/merge', { method: 'POST', body: { areaIds, ifMatches, reason }, handled: EDITOR_HANDLED }),

  /** Retires a grid by merging it into an adjacent sibling. */
  retire: (areaId: number, intoId: number, ifMatches: [number, number], reason: string) =>
    request<BoundaryResult>('/api/boundaries/retire', { method: 'POST', body: { areaId, intoId, ifMatches, reason }, handled: EDITOR_HANDLED }),

  /** Creates a grid in uncovered space of a village or base grid. */
  create: (parentId: number, geometry: Polygon | MultiPolygon, name: string, reason: string) =>
    request<BoundaryResult>('/api/boundaries/create', { method: 'POST', body: { parentId, geometry, name, reason }, handled: EDITOR_HANDLED }),
};
