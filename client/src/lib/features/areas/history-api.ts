import { request } from '../../api/client';

/** One version of an area as `GET /api/areas/{id}/versions` lists it. */
export interface AreaVersion {
  version: number;
  validFrom: string;
  validTo: string | null;
  code: string;
  name: string;
  households: number;
  population: number;
  changedBy: string;
  changeReason: string;
  changeId: number | null;
  geometry: GeoJSON.MultiPolygon;
}

/** A save outcome of the boundary routes (only what the panel shows). */
export interface RestoreResult {
  valid: boolean;
  areas: Array<{ id: number; version: number }>;
}

/** Every version of an area, oldest first. */
export async function fetchVersions(areaId: number, signal?: AbortSignal): Promise<AreaVersion[]> {
  const body = await request<{ versions: AreaVersion[] }>(`/api/areas/${areaId}/versions`, { signal });
  return body.versions;
}

/**
 * Restores `version`'s geometry as a new version; 412 (stale) and 422
 * (the grid rules refuse it) are left to the caller to show.
 */
export function restoreVersion(areaId: number, version: number, ifMatch: number, reason: string): Promise<RestoreResult> {
  return request<RestoreResult>(`/api/areas/${areaId}/restore`, {
    method: 'POST',
    body: { version, ifMatch, reason },
    handled: [400, 412, 422],
  });
}
