import { i18n } from '../state/i18n.svelte';

/** A count, grouped in the interface language; `—` for null. */
export function formatCount(value: number | null): string {
  return value === null ? i18n.t('dash.kpi.none') : i18n.number(value);
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
