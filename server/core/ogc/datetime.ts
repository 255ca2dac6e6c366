/** Result of {@link parseDatetime}: both ends inclusive, either may be open. */
export type DatetimeParse = { valid: true; from?: Date; to?: Date } | { valid: false; reason: string }

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2}))?$/

function parseEnd(text: string, end: 'start' | 'end'): Date | undefined | null {
  if (text === '..' || text === '') return undefined
  const match = RFC3339.exec(text)
  if (!match) return null
  const dateOnly = match[4] === undefined
  const value = dateOnly ? `${text}T${end === 'start' ? '00:00:00.000' : '23:59:59.999'}Z` : text
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? null : date
}

/**
 * Parses an OGC API `datetime` parameter: an RFC 3339 instant
 * (`2026-11-05T10:00:00Z`, or a date `2026-11-05` meaning that whole UTC day)
 * or an interval `a/b`, with `..` (or nothing) for an open end: `../b`, `a/..`.
 */
export function parseDatetime(text: string): DatetimeParse {
  const parts = text.split('/')
  if (parts.length > 2) return { valid: false, reason: 'at most one "/"' }
  if (parts.length === 1) {
    if (parts[0] === '..' || parts[0] === '') return { valid: false, reason: 'an instant cannot be open' }
    const from = parseEnd(parts[0], 'start')
    const to = parseEnd(parts[0], 'end')
    if (!from || !to) return { valid: false, reason: `"${parts[0]}" is not an RFC 3339 date or date-time` }
    return { valid: true, from, to }
  }
  const from = parseEnd(parts[0], 'start')
  const to = parseEnd(parts[1], 'end')
  if (from === null) return { valid: false, reason: `"${parts[0]}" is not an RFC 3339 date or date-time` }
  if (to === null) return { valid: false, reason: `"${parts[1]}" is not an RFC 3339 date or date-time` }
  if (from && to && from.getTime() > to.getTime()) return { valid: false, reason: 'the interval starts after it ends' }
  return { valid: true, from, to }
}
