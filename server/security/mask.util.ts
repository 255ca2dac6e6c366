/**
 * Masks an identity number keeping the first and last four characters:
 * `532901199001011234` → `5329**********1234`.
 */
export function maskIdNumber(value: string): string {
  if (value.length <= 8) return '*'.repeat(value.length)
  return `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`
}

/** Masks a phone number keeping the first three and last four digits: `13812345678` → `138****5678`. */
export function maskPhone(value: string): string {
  if (value.length <= 7) return '*'.repeat(value.length)
  return `${value.slice(0, 3)}${'*'.repeat(value.length - 7)}${value.slice(-4)}`
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
