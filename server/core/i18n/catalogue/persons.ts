import type { Lang, Template } from '../template.ts'

/** Error messages of the key-persons module (重点人员) and the audit log, in Simplified Chinese and English. */
export const PERSONS_MESSAGES = {
  key_person_not_found: {
    zh: (p) => `没有编号为 ${p.id} 的重点人员`,
    en: (p) => `No key person with id ${p.id}`,
  },
  key_person_identities_forbidden: {
    zh: () => '当前角色只能查看重点人员的汇总统计，不能查看个人信息。请使用 /api/key-persons/summary（按网格、村统计）或 /api/key-persons/heat（热力图）',
    en: () => 'Your role sees key persons only as aggregated counts, not identities. Use /api/key-persons/summary (counts per grid or village) or /api/key-persons/heat (heat map)',
  },
  key_person_not_in_your_grids: {
    zh: (p) => `编号为 ${p.id} 的重点人员不在你负责的网格内`,
    en: (p) => `Key person ${p.id} is not in one of your grids`,
  },
  key_person_grid_forbidden: {
    zh: (p) => `该户籍位置位于“${p.grid}”，不在你负责的网格内，不能在此登记`,
    en: (p) => `That household lies in "${p.grid}", which is not one of your grids`,
  },
  household_outside_township: {
    zh: (p) => `户籍位置（经度 ${p.lon}，纬度 ${p.lat}）不在本镇任何村（社区）范围内，请核对坐标（WGS84 经纬度，经度在前）`,
    en: (p) => `The household point (lon ${p.lon}, lat ${p.lat}) is not inside any village of the township; check the coordinates (WGS84, longitude first)`,
  },
  unknown_person_category: {
    zh: (p) => `没有名为“${p.key}”的重点人员类别（或已停用）。可用类别：${p.available}`,
    en: (p) => `No active key-person category "${p.key}". Available: ${p.available}`,
  },
  category_exists: {
    zh: (p) => `类别“${p.key}”已存在`,
    en: (p) => `The category "${p.key}" already exists`,
  },
  unknown_responsible_user: {
    zh: (p) => `编号为 ${p.id} 的用户不存在或不是网格员，不能作为责任人`,
    en: (p) => `User ${p.id} does not exist or is not a grid worker, so cannot be responsible`,
  },
  unknown_staff: {
    zh: (p) => `没有编号为 ${p.id} 的网格工作人员`,
    en: (p) => `No staff member with id ${p.id}`,
  },
  reveal_reason_required: {
    zh: () => '查看完整信息须填写事由（至少 5 个字）',
    en: () => 'Revealing a field needs a reason of at least 5 characters',
  },
  key_person_version_mismatch: {
    zh: (p) => `该记录已被他人修改（当前版本 ${p.current}，你提交的版本 ${p.sent}），请以返回的最新内容为准重新提交`,
    en: (p) => `The record was changed meanwhile (current version ${p.current}, yours ${p.sent}); resubmit based on the current state returned`,
  },
  key_person_conflict: {
    zh: (p) => `该记录已被他人同时修改（当前版本 ${p.current}），请刷新后重试；修改时可在 If-Match 头中带上版本号`,
    en: (p) => `The record was changed concurrently (current version ${p.current}); reload and retry, sending its ETag in If-Match`,
  },
  visit_in_future: {
    zh: () => '走访时间不能晚于当前时间',
    en: () => 'The visit time cannot be in the future',
  },
  bad_feature: {
    zh: (p) => `请求体应为 GeoJSON 点要素（Feature，geometry 为 Point，坐标为 WGS84 经纬度）：${p.detail}`,
    en: (p) => `The body must be a GeoJSON Feature with a Point geometry in WGS84 lon/lat: ${p.detail}`,
  },
  bad_time_range: {
    zh: () => '起始时间不能晚于结束时间',
    en: () => 'from must not be after to',
  },
} satisfies Record<string, Record<Lang, Template>>
