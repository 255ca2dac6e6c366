import { HttpError } from '../../core/http/http-error.ts'
import type { Lang } from '../../core/i18n/messages.ts'
import type { LedgerField } from './columns.ts'

/** Labels of a set of keys, as the cases feature keeps them (key → zh/en). */
export type Labels = Record<string, Record<Lang, string>>

/** Clock skew tolerated on a reported time, as for a registration through the API. */
const FUTURE_SKEW_MS = 5 * 60_000

/** The text of a field in a row: the cell of its mapped column, trimmed; undefined when unmapped or empty. */
export type RowText = (key: string) => string | undefined

/** A row's value of a required field, or the refusal naming it. */
export function required(text: RowText, field: LedgerField, lang: Lang): string {
  const value = text(field.key)
  if (value === undefined) throw new HttpError(400, 'ledger_row_required', { field: field.label[lang] })
  return value
}

/** A text no longer than `max` characters. */
export function limited(value: string, max: number, field: LedgerField, lang: Lang): string {
  if ([...value].length > max) throw new HttpError(400, 'ledger_row_too_long', { field: field.label[lang], max })
  return value
}

/**
 * The key of `labels` that `value` names: the key itself, or its zh or en label
 * (case-insensitive, ignoring spaces), or one of `aliases`. Refused with the labels
 * in the user's language otherwise.
 */
export function keyOf(labels: Labels, value: string, field: LedgerField, lang: Lang, aliases: Record<string, string> = {}): string {
  const wanted = value.replace(/\s/g, '').toLowerCase()
  for (const [key, names] of Object.entries(labels)) {
    if ([key, names.zh, names.en].some((name) => name.replace(/\s/g, '').toLowerCase() === wanted)) return key
  }
  const alias = aliases[wanted]
  if (alias) return alias
  throw new HttpError(400, 'ledger_row_bad_value', { field: field.label[lang], value, allowed: Object.values(labels).map((names) => names[lang]).join('、') })
}

const LOCAL_TIME = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2}))?秒?)?$/

/**
 * A reported time: `YYYY-MM-DD HH:mm[:ss]` (also with `/`, `.` or 年月日) as township
 * time (UTC+8, as our exports write it), a date alone at 00:00, or an ISO time with a
 * zone. Refused when unreadable or in the future.
 */
export function reportedTime(value: string, field: LedgerField, lang: Lang, now: Date): Date {
  const local = LOCAL_TIME.exec(value.trim())
  const pad = (part: string | undefined) => (part ?? '0').padStart(2, '0')
  const at = local
    ? new Date(`${local[1]}-${pad(local[2])}-${pad(local[3])}T${pad(local[4])}:${pad(local[5])}:${pad(local[6])}+08:00`)
    : /[zZ]|[+-]\d{2}:?\d{2}$/.test(value)
      ? new Date(value)
      : new Date(Number.NaN)
  if (Number.isNaN(at.getTime()) || at.getTime() > now.getTime() + FUTURE_SKEW_MS) {
    throw new HttpError(400, 'ledger_row_bad_time', { field: field.label[lang], value })
  }
  return at
}
