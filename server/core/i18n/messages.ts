import { ANALYTICS_MESSAGES } from './catalogue/analytics.ts'
import { BOUNDARIES_MESSAGES } from './catalogue/boundaries.ts'
import { BOUNDARY_IO_MESSAGES } from './catalogue/boundary-io.ts'
import { CASES_MESSAGES } from './catalogue/cases.ts'
import { CASES_SRV_MESSAGES } from './catalogue/cases-server.ts'
import { PERSONS_MESSAGES } from './catalogue/persons.ts'
import { CREDENTIALS_MESSAGES } from './catalogue/credentials.ts'
import { FAULTS_MESSAGES } from './catalogue/faults.ts'
import { HARDENING_MESSAGES } from './catalogue/hardening.ts'
import { LOGIN_MESSAGES } from './catalogue/login.ts'
import { LEDGER_IMPORT_MESSAGES } from './catalogue/ledger-import.ts'
import { PRIVACY_MESSAGES } from './catalogue/privacy.ts'
import { CQL2_MESSAGES } from './catalogue/cql2.ts'
import { CRS_MESSAGES } from './catalogue/crs.ts'
import { COUNTY_MESSAGES } from './catalogue/county.ts'
import { TOWNS_MESSAGES } from './catalogue/towns.ts'

import type { Lang, Template } from './template.ts'

export type { Lang, Template } from './template.ts'

/** Error messages of the foundation (auth, OGC API, areas), in Simplified Chinese and English. */
const CORE_MESSAGES = {
  bad_request: {
    zh: (p) => `请求无效：${p.detail ?? ''}`,
    en: (p) => `Invalid request: ${p.detail ?? ''}`,
  },
  validation_failed: {
    zh: (p) => `参数${p.where ?? ''}无效：${p.detail}`,
    en: (p) => `Invalid ${p.where ?? 'input'}: ${p.detail}`,
  },
  unknown_parameter: {
    zh: (p) => `不支持的查询参数“${p.name}”。可用参数：${p.allowed || '无（此接口不接受查询参数）'}`,
    en: (p) => `Unknown query parameter "${p.name}". Allowed: ${p.allowed || 'none (this route takes no query parameters)'}`,
  },
  bad_bbox: {
    zh: () => 'bbox 格式应为“最小经度,最小纬度,最大经度,最大纬度”，经度在 -180~180、纬度在 -90~90 之间，且最小值不大于最大值',
    en: () => 'bbox must be "minLon,minLat,maxLon,maxLat" with longitudes in -180..180, latitudes in -90..90 and each minimum not above its maximum',
  },
  bad_json: {
    zh: () => '请求体不是有效的 JSON',
    en: () => 'The request body is not valid JSON',
  },
  unsupported_media_type: {
    zh: (p) => `不支持的内容类型：${p.type ?? '未知'}，请使用 application/json`,
    en: (p) => `Unsupported content type ${p.type ?? '(none)'}; send application/json`,
  },
  body_too_large: {
    zh: (p) => `请求体过大，上限为 ${p.limit}`,
    en: (p) => `The request body is too large; the limit is ${p.limit}`,
  },
  unauthenticated: {
    zh: () => '请先登录，或在 Authorization 头中提供有效的 API 令牌',
    en: () => 'Sign in first, or send a valid API token in the Authorization header',
  },
  bad_credentials: {
    zh: () => '用户名或密码错误',
    en: () => 'Wrong username or password',
  },
  bad_token: {
    zh: () => 'API 令牌无效、已过期或已撤销',
    en: () => 'The API token is invalid, expired or revoked',
  },
  forbidden: {
    zh: (p) => `当前角色无权执行此操作（需要：${p.roles}）`,
    en: (p) => `Your role may not do this (requires: ${p.roles})`,
  },
  not_found: {
    zh: () => '未找到该地址',
    en: () => 'No such route',
  },
  method_not_allowed: {
    zh: (p) => `该地址不支持 ${p.method} 方法。可用方法：${p.allow}`,
    en: (p) => `${p.method} is not allowed here. Allowed: ${p.allow}`,
  },
  bad_if_match: {
    zh: () => 'If-Match 请求头应为记录的 ETag（用英文双引号括起），例如 "3"',
    en: () => 'If-Match must be an entity tag in double quotes, such as the ETag you read: "3"',
  },
  if_match_several_versions: {
    zh: (p) => `If-Match 列出了多个版本（${p.versions}）；请只发送您读取到的那一个 ETag`,
    en: (p) => `If-Match names several versions (${p.versions}); send the one ETag you read`,
  },
  collection_not_found: {
    zh: (p) => `没有名为“${p.id}”的图层集合。可用集合：${p.available}`,
    en: (p) => `No collection "${p.id}". Available: ${p.available}`,
  },
  feature_not_found: {
    zh: (p) => `集合“${p.collection}”中没有编号为 ${p.id} 的要素`,
    en: (p) => `Collection "${p.collection}" has no feature ${p.id}`,
  },
  area_not_found: {
    zh: (p) => `没有编号为 ${p.id} 的区域`,
    en: (p) => `No area with id ${p.id}`,
  },
  user_not_found: {
    zh: (p) => `没有编号为 ${p.id} 的用户`,
    en: (p) => `No user with id ${p.id}`,
  },
  unknown_station: {
    zh: (p) => `没有名为“${p.key}”的站所`,
    en: (p) => `No station "${p.key}"`,
  },
  username_taken: {
    zh: (p) => `用户名“${p.username}”已被使用`,
    en: (p) => `The username "${p.username}" is already taken`,
  },
  unknown_grids: {
    zh: (p) => `以下网格编号不存在或不是网格：${p.ids}`,
    en: (p) => `These ids are not existing grids: ${p.ids}`,
  },
  weak_password: {
    zh: () => '密码至少需要 10 个字符',
    en: () => 'The password must have at least 10 characters',
  },
  internal: {
    zh: () => '服务器内部错误，请稍后重试；如仍失败请联系管理员',
    en: () => 'Internal server error; try again, and tell an administrator if it persists',
  },
} satisfies Record<string, Record<Lang, Template>>

/** Error messages by code: the foundation's plus each module's own `*.messages.ts`. */
export const MESSAGES = {
  ...CORE_MESSAGES, ...PERSONS_MESSAGES, ...CASES_MESSAGES, ...CASES_SRV_MESSAGES, ...ANALYTICS_MESSAGES, ...BOUNDARIES_MESSAGES, ...BOUNDARY_IO_MESSAGES,
  ...PRIVACY_MESSAGES,
  ...CQL2_MESSAGES,
  ...CRS_MESSAGES,
  ...TOWNS_MESSAGES,
  ...FAULTS_MESSAGES,
  ...HARDENING_MESSAGES,
  ...CREDENTIALS_MESSAGES,
  ...LOGIN_MESSAGES,
  ...LEDGER_IMPORT_MESSAGES,
  ...COUNTY_MESSAGES,
}

/** Codes of the errors the API can answer with. */
export type MessageCode = keyof typeof MESSAGES

/** Renders message `code` in `lang`. */
export function message(code: MessageCode, lang: Lang, params: Record<string, unknown> = {}): string {
  return MESSAGES[code][lang](params)
}

/** Picks the answer language from an Accept-Language header (Chinese unless English is preferred). */
export function langFromHeader(header: string | undefined): Lang {
  if (!header) return 'zh'
  const first = header.split(',')[0]?.trim().toLowerCase() ?? ''
  return first.startsWith('en') ? 'en' : 'zh'
}
