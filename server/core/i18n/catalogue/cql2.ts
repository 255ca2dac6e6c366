import type { Lang, Template } from '../template.ts'

const TYPE_ZH: Record<string, string> = {
  string: '字符串', number: '数值', boolean: '布尔值', timestamp: '日期时间', date: '日期', geometry: '几何', interval: '时间区间',
}
const zhType = (type: unknown) => String(type).split(/,| or /).map((part) => TYPE_ZH[part.trim()] ?? part.trim()).join('、')

/** Where a filter error is: a character position (cql2-text) or a JSON path (cql2-json). */
const whereZh = (position: unknown) => (typeof position === 'number' ? `第 ${position} 个字符处` : `JSON 路径 ${position} 处`)
const whereEn = (position: unknown) => (typeof position === 'number' ? `at character ${position}` : `at JSON path ${position}`)

/** Messages of OGC API – Features – Part 3 filters (CQL2), in Simplified Chinese and English. */
export const CQL2_MESSAGES = {
  cql2_syntax: {
    zh: (p) => `filter 语法错误（${whereZh(p.position)}）：应为 ${p.expected}，实际为 ${p.found}`,
    en: (p) => `filter syntax error ${whereEn(p.position)}: expected ${p.expected}, found ${p.found}`,
  },
  cql2_json_syntax: {
    zh: (p) => `cql2-json 格式的 filter 有误（${whereZh(p.position)}）：应为 ${p.expected}，实际为 ${p.found}`,
    en: (p) => `cql2-json filter error ${whereEn(p.position)}: expected ${p.expected}, found ${p.found}`,
  },
  cql2_unknown_queryable: {
    zh: (p) => `filter 中的属性“${p.name}”不是可查询属性（${whereZh(p.position)}）。可查询属性：${p.available}（见 /collections/{id}/queryables）`,
    en: (p) => `"${p.name}" ${whereEn(p.position)} is not a queryable of this collection. Queryables: ${p.available} (see /collections/{id}/queryables)`,
  },
  cql2_type_mismatch: {
    zh: (p) => `filter 类型不符（${whereZh(p.position)}）：${p.operator} 需要${zhType(p.expected)}，实际为${zhType(p.found)}`,
    en: (p) => `filter type mismatch ${whereEn(p.position)}: ${p.operator} needs ${p.expected}, found ${p.found}`,
  },
  cql2_bad_literal: {
    zh: (p) => `filter 中的值“${p.value}”无效（${whereZh(p.position)}）：应为 ${p.expected}`,
    en: (p) => `Invalid value "${p.value}" in the filter ${whereEn(p.position)}: expected ${p.expected}`,
  },
  cql2_bad_geometry: {
    zh: (p) => `filter 中的几何无效（${whereZh(p.position)}）：${p.reason}`,
    en: (p) => `Invalid geometry in the filter ${whereEn(p.position)}: ${p.reason}`,
  },
  cql2_too_complex: {
    zh: (p) => `filter 过于复杂（${whereZh(p.position)}），上限为 ${p.limit}`,
    en: (p) => `The filter is too complex ${whereEn(p.position)}; the limit is ${p.limit}`,
  },
  cql2_bad_filter_lang: {
    zh: (p) => `不支持的 filter-lang“${p.value}”。可用：${p.allowed}`,
    en: (p) => `Unsupported filter-lang "${p.value}". Supported: ${p.allowed}`,
  },
  cql2_bad_filter_crs: {
    zh: (p) => `不支持的 filter-crs“${p.value}”。仅支持 ${p.allowed}（经度在前，单位为度）`,
    en: (p) => `Unsupported filter-crs "${p.value}". Supported: ${p.allowed} (longitude first, degrees)`,
  },
} satisfies Record<string, Record<Lang, Template>>
