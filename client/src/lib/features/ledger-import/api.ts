import { i18n } from '../../i18n/i18n.svelte';
import { ApiError } from '../../api/client';
import type { LedgerReportDto } from '../../../../../server/features/ledger-import/ledger-import.schemas.ts';

/** What a ledger brings in. */
export type LedgerTarget = 'cases' | 'key-persons';
/** Coordinate system of a ledger's coordinate columns. */
export type LedgerCrs = 'wgs84' | 'cgcs2000' | 'gcj02';
/** The server's report of a dry run or a commit. */
export type LedgerReport = LedgerReportDto;

/** Options sent beside the file. */
export interface LedgerOptions {
  crs: LedgerCrs;
  /** Kind of case rows without a kind column. */
  kind: '' | 'hazard' | 'dispute';
  /** Column index of each field; omitted on the first check (the server proposes one). */
  mapping?: Record<string, number | null>;
}

/** An answer: the report, or an error with the server's message (and, for a refused commit, its report). */
export type LedgerAnswer = { ok: true; report: LedgerReport } | { ok: false; error: ApiError; report?: LedgerReport };

/**
 * Posts the ledger to `/api/ledger-imports/{target}/{step}` (multipart). Errors
 * come back as values, with the server's translated message, for the dialog to show.
 */
export async function postLedger(target: LedgerTarget, step: 'dry-run' | 'commit', file: File, options: LedgerOptions): Promise<LedgerAnswer> {
  const form = new FormData();
  form.append('crs', options.crs);
  if (options.kind) form.append('kind', options.kind);
  if (options.mapping) form.append('mapping', JSON.stringify(options.mapping));
  form.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch(`/api/ledger-imports/${target}/${step}`, {
      method: 'POST',
      body: form,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Accept-Language': i18n.locale },
    });
  } catch {
    return { ok: false, error: new ApiError(0, 'network', i18n.t('error.network')) };
  }
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // Not JSON: a generic message below.
  }
  if (response.ok) return { ok: true, report: body as unknown as LedgerReport };
  const message = typeof body.message === 'string' ? body.message : i18n.t('error.status', { status: response.status });
  return { ok: false, error: new ApiError(response.status, String(body.code ?? 'error'), message, body), report: body.report as LedgerReport | undefined };
}
