import { request } from '../../api/client';
import type { MonthlyReport } from '../../../../../server/features/analytics/report/report.schemas.ts';

export type { MonthlyReport };

/** `GET /api/analytics/report`: the monthly report of `month` (YYYY-MM) for a village or, with `villageId` null, the township. */
export function fetchReport(month: string, villageId: number | null, signal?: AbortSignal): Promise<MonthlyReport> {
  const query = new URLSearchParams({ month });
  if (villageId !== null) query.set('villageId', String(villageId));
  return request<MonthlyReport>(`/api/analytics/report?${query}`, { signal, handled: [400, 404] });
}
