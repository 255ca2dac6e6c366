import { ApiError, request } from '../../api/client';
import { i18n } from '../../i18n/i18n.svelte';
import type { ExportFormat, ImportJob, IoLevel, SourceCrs } from '../../api/types';
import { EXPORT_CRS, type ExportCrs } from './export-crs';

/** What an import needs besides the file. */
export interface ImportOptions {
  level: IoLevel;
  sourceCrs: SourceCrs;
  reason: string;
  /** The town of the import: needed from a county administrator when the county has several towns. */
  townId?: number;
}

/** A town the user may import into, as `GET /api/towns` lists it (their own, or every town for the county). */
export interface ImportTown {
  id: number;
  code: string;
  name: string;
  nameEn: string | null;
}

/** The towns the signed-in user may import into. */
export async function fetchImportTowns(): Promise<ImportTown[]> {
  return (await request<{ towns: ImportTown[] }>('/api/towns')).towns;
}

/**
 * Uploads an import file as the request body and answers the started job.
 * A file the server cannot read throws an {@link ApiError} with its message
 * (shown in the dialog, not as a toast).
 */
export async function startImport(file: Blob, options: ImportOptions): Promise<ImportJob> {
  const query = new URLSearchParams({ level: options.level, sourceCrs: options.sourceCrs, reason: options.reason });
  if (options.townId !== undefined) query.set('townId', String(options.townId));
  const response = await fetch(`/api/boundaries/imports?${query}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream', 'Accept-Language': i18n.locale, Accept: 'application/json' },
    body: file,
    credentials: 'same-origin',
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const message = typeof body.message === 'string' ? body.message : i18n.t('error.status', { status: response.status });
    throw new ApiError(response.status, String(body.code ?? 'http_error'), message, body);
  }
  return body as unknown as ImportJob;
}

/** The current state of an import job. */
export function fetchImport(id: string): Promise<ImportJob> {
  return request<ImportJob>(`/api/boundaries/imports/${encodeURIComponent(id)}`);
}

/** Download address of a level in a format, in a coordinate system (WGS84 by default). */
export function exportUrl(level: IoLevel, format: ExportFormat, crs: ExportCrs = 'wgs84'): string {
  const uri = EXPORT_CRS[crs];
  const query = uri === undefined ? '' : `?${new URLSearchParams({ crs: uri })}`;
  return `/api/boundaries/export/${level}.${format}${query}`;
}
