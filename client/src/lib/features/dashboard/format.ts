import type { Kpi } from './api';
import { i18n } from '../../i18n/i18n.svelte';

/** A count, grouped in the interface language; `—` for null. */
export function formatCount(value: number | null): string {
  return value === null ? i18n.t('dash.kpi.none') : i18n.number(value);
}

/** Visits overdue of a KPI row: "少于 k" when suppressed for a counts-only role, never 0. */
export function formatVisits(kpi: Kpi): string {
  if (kpi.visitsOverdueSuppressed) return i18n.t('person.suppressed', { k: kpi.minCount ?? 5 });
  return formatCount(kpi.visitsOverdue);
}

/** A 0–1 rate as a percentage with one decimal; `—` for null. */
export function formatRate(value: number | null): string {
  return value === null ? i18n.t('dash.kpi.none') : `${(value * 100).toFixed(1)}%`;
}

/** Hours with one decimal; `—` for null. */
export function formatHours(value: number | null): string {
  return value === null ? i18n.t('dash.kpi.none') : value.toFixed(1);
}

/** A 1–5 satisfaction mean with two decimals; `—` for null. */
export function formatScore(value: number | null): string {
  return value === null ? i18n.t('dash.kpi.none') : value.toFixed(2);
}
