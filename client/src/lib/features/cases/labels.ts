import type { CaseKind, RoutingRule } from './types';
import { i18n } from '../../i18n/i18n.svelte';
import type { MessageKey } from '../../i18n/zh';
import { townshipDay, townshipTime } from '../../ui/time';

/** An ISO timestamp as `YYYY-MM-DD HH:mm` on the township's clock (UTC+8). */
export function formatDateTime(iso: string | null | undefined): string {
  return iso ? townshipTime(iso) : '—';
}

/** Today's date (YYYY-MM-DD) on the township's clock. */
export function townshipToday(): string {
  return townshipDay();
}

/** The translated label of a dynamic key such as `status.${status}`, or the raw value when unknown. */
export function labelOf(prefix: string, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const key = `${prefix}.${value}` as MessageKey;
  const text = i18n.t(key);
  return text === undefined ? value : text;
}

/** A case kind's name: 隐患 / 矛盾纠纷. */
export function kindLabel(kind: CaseKind): string {
  return i18n.t(kind === 'hazard' ? 'cases.hazards' : 'cases.disputes');
}

/** The name of a category from the routing rules, in the current language. */
export function categoryLabel(rules: readonly RoutingRule[], kind: RoutingRule['kind'], category: string): string {
  const rule = rules.find((candidate) => candidate.kind === kind && candidate.category === category);
  if (!rule) return category;
  return i18n.lang === 'en' ? rule.nameEn : rule.nameZh;
}
