import { sql, type Expression, type RawBuilder } from 'kysely'

/**
 * Masks an identity number keeping only the last four characters:
 * `532901199001011234` → `**************1234`. The leading digits are the
 * county of registration and the birth date: with them and the last four the
 * full number falls to a few dozen candidates.
 */
export function maskIdNumber(value: string): string {
  if (value.length <= 8) return '*'.repeat(value.length)
  return `${'*'.repeat(value.length - 4)}${value.slice(-4)}`
}

/**
 * A ten-year age band instead of the birth year (`40–49`), as of `now`'s
 * year; null when the year is unknown. A birth year beside a masked identity
 * number gives away the number's birth-date digits.
 */
export function ageBand(birthYear: number | null, now: Date): string | null {
  if (birthYear === null) return null
  const age = Math.max(0, now.getUTCFullYear() - birthYear)
  const from = Math.floor(age / 10) * 10
  return `${from}–${from + 9}`
}

/** Masks a phone number keeping the first three and last four digits: `13812345678` → `138****5678`. */
export function maskPhone(value: string): string {
  if (value.length <= 7) return '*'.repeat(value.length)
  return `${value.slice(0, 3)}${'*'.repeat(value.length - 7)}${value.slice(-4)}`
}

/**
 * {@link maskPhone} in SQL, for answers the database writes as JSON: the
 * unmasked number never leaves it. NULL stays NULL.
 *
 * Emits: `CASE WHEN char_length(<phone>) <= 7 THEN repeat('*', char_length(<phone>)) ELSE left(<phone>, 3) || repeat('*', char_length(<phone>) - 7) || right(<phone>, 4) END`
 */
export function maskPhoneSql(phone: Expression<string | null>): RawBuilder<string | null> {
  return sql<string | null>`CASE WHEN char_length(${phone}) <= 7 THEN repeat('*', char_length(${phone}))
    ELSE left(${phone}, 3) || repeat('*', char_length(${phone}) - 7) || right(${phone}, 4) END`
}

/** Replaces every character of a name but the first (the surname): `张三丰` → `张**`. */
export function maskName(value: string): string {
  const chars = [...value]
  return `${chars[0] ?? ''}${'*'.repeat(Math.max(1, chars.length - 1))}`
}

/** An exact address reduced to the area it lies in: `喜洲村第3网格 附近` / `near Xizhou Village Grid 3`. */
export function maskAddress(areaName: string, lang: 'zh' | 'en'): string {
  return lang === 'zh' ? `${areaName} 附近` : `near ${areaName}`
}
