import type { Lang, Template } from '../template.ts'

/** Error messages of hazards, disputes, leads and exports, in Simplified Chinese and English. */
export const CASES_MESSAGES = {
  point_outside_township: {
    zh: (p) => `位置（经度 ${p.lon}，纬度 ${p.lat}）不在本镇任何村（社区）范围内，无法登记；请核对坐标`,
    en: (p) => `The point (lon ${p.lon}, lat ${p.lat}) is in no village of the township; check the coordinates`,
  },
  point_outside_own_grids: {
    zh: () => '该位置不在您负责的网格内，网格员只能登记本网格的事件',
    en: () => 'This point is outside your grids; grid workers register events in their own grids only',
  },
  case_outside_own_grids: {
    zh: () => '该事件不在您负责的网格内',
    en: () => 'This case is outside your grids',
  },
  case_other_station: {
    zh: (p) => `该事件已分流至“${p.station}”，只有该站所人员可以办理`,
    en: (p) => `This case is dispatched to "${p.station}"; only that station's staff may act on it`,
  },
  case_not_found: {
    zh: (p) => `没有编号为 ${p.id} 的${p.kindLabel ?? '事件'}`,
    en: (p) => `No ${p.kind ?? 'case'} with id ${p.id}`,
  },
  lead_not_found: {
    zh: (p) => `没有编号为 ${p.id} 的线索`,
    en: (p) => `No lead with id ${p.id}`,
  },
  illegal_transition: {
    zh: (p) => `当前状态为“${p.statusLabel}”，不能执行“${p.actionLabel}”。当前可执行的操作：${p.allowedZh || '无（已办结）'}`,
    en: (p) => `The ${p.kind} is "${p.status}"; "${p.action}" is not allowed now. Allowed actions: ${p.allowed || 'none (finished)'}`,
  },
  version_mismatch: {
    zh: (p) => `数据已被他人修改（您提交的版本为 ${p.expected}，当前版本为 ${p.current}），请刷新后重试`,
    en: (p) => `Someone changed this record meanwhile (you sent version ${p.expected}, it is now ${p.current}); reload and try again`,
  },
  concurrent_change: {
    zh: () => '数据在处理期间被他人修改，本次操作未生效，请刷新后重试',
    en: () => 'The record changed while your action was being applied; nothing was saved — reload and try again',
  },
  unknown_category: {
    zh: (p) => `“${p.category}”不是${p.kindLabel}的类别。可用类别：${p.allowed}`,
    en: (p) => `"${p.category}" is not a ${p.kind} category. Allowed: ${p.allowed}`,
  },
  unknown_villages: {
    zh: (p) => `以下编号不是村（社区）：${p.ids}`,
    en: (p) => `These ids are not villages: ${p.ids}`,
  },
  mediator_required: {
    zh: () => '疑难纠纷须指定专职调解员（mediatorName）',
    en: () => 'A complex dispute needs a named full-time mediator (mediatorName)',
  },
  dispatch_target_required: {
    zh: () => '请指定分流对象：站所（stationKey）或村级综治中心（villageCenterId），二者选一',
    en: () => 'Dispatch to exactly one of a station (stationKey) or a village center (villageCenterId)',
  },
  reported_in_future: {
    zh: () => '发现时间不能晚于当前时间',
    en: () => 'The reported time cannot be in the future',
  },
  lead_location_required: {
    zh: () => '线索没有位置，转化时请提供点位（lon、lat）',
    en: () => 'The lead has no location; give a point (lon, lat) to convert it',
  },
  bad_datetime: {
    zh: (p) => `datetime 参数无效：${p.reason}。应为 RFC 3339 时间或区间，如 2026-11-01T00:00:00Z/2026-12-01T00:00:00Z、../2026-12-01T00:00:00Z`,
    en: (p) => `Invalid datetime: ${p.reason}. Use an RFC 3339 instant or interval such as 2026-11-01T00:00:00Z/2026-12-01T00:00:00Z or ../2026-12-01T00:00:00Z`,
  },
  bad_status_filter: {
    zh: (p) => `状态“${p.status}”无效。可用状态：${p.allowed}`,
    en: (p) => `Unknown status "${p.status}". Allowed: ${p.allowed}`,
  },
  unknown_deadline_grade: {
    zh: (p) => `“${p.grade}”不是${p.kindLabel}的等级。可用：${p.allowed}`,
    en: (p) => `"${p.grade}" is not a ${p.kind} grade. Allowed: ${p.allowed}`,
  },
} satisfies Record<string, Record<Lang, Template>>
