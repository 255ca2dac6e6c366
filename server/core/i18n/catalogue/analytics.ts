import type { Lang, Template } from '../template.ts'

/** Error messages of the analytics (risk map) routes, in Simplified Chinese and English. */
export const ANALYTICS_MESSAGES = {
  analytics_grid_worker: {
    zh: () => '风险研判与统计分析面向镇领导、综治中心和站所；网格员请在“我的网格”中查看本网格事件',
    en: () => 'Risk analytics are for leadership, the center and stations; grid workers see their own grids’ cases in the case lists',
  },
  bad_time_window: {
    zh: (p) => `时间范围无效：${p.fromName ?? 'from'}（${p.from}）必须早于 ${p.toName ?? 'to'}（${p.to}）`,
    en: (p) => `Invalid time window: ${p.fromName ?? 'from'} (${p.from}) must be before ${p.toName ?? 'to'} (${p.to})`,
  },
  bad_report_month: {
    zh: (p) => `月份“${p.month}”无效：应为“年-月”格式（YYYY-MM），例如 2026-11，且不早于 2000 年`,
    en: (p) => `Invalid month "${p.month}": use YYYY-MM, e.g. 2026-11 (2000 or later)`,
  },
  report_month_future: {
    zh: (p) => `${p.month} 尚未开始，无法生成月度报告；请选择本月或更早的月份`,
    en: (p) => `${p.month} has not begun; choose this month or an earlier one`,
  },
  too_many_buckets: {
    zh: (p) => `时间序列过长：共 ${p.count} 个时段，上限为 ${p.max}；请缩短时间范围或改用更大的步长`,
    en: (p) => `The series would have ${p.count} steps (at most ${p.max}); shorten the window or use a larger step`,
  },
  bad_cell: {
    zh: (p) => `格网编号“${p.cell}”无效，应为“i,j”两个整数`,
    en: (p) => `Invalid cell "${p.cell}"; expected "i,j" (two integers)`,
  },
  too_many_cells: {
    zh: (p) => `格网过密：约 ${p.count} 个格子（上限 ${p.max}）；请加大 cellMeters`,
    en: (p) => `Too many cells (about ${p.count}, at most ${p.max}); use a larger cellMeters`,
  },
  key_person_bin_listing: {
    zh: () => '重点人员只提供汇总数量，不提供逐人清单',
    en: () => 'Key persons are shown as counts only, never listed',
  },
  bad_risk_thresholds: {
    zh: (p) => `颜色阈值必须递增：黄色（${p.yellow}）< 橙色（${p.orange}）< 红色（${p.red}）`,
    en: (p) => `Colour thresholds must rise: yellow (${p.yellow}) < orange (${p.orange}) < red (${p.red})`,
  },
  joint_case_not_disputes: {
    zh: (p) => `以下编号不是矛盾纠纷或不存在：${p.ids}（跨乡镇的联调由县指挥中心发起，可通过事件上报提请）`,
    en: (p) => `These ids are not disputes: ${p.ids} (a joint case across towns is opened by the county dispatch center; ask for one through an escalation)`,
  },
  joint_case_cross_town_close: {
    zh: (p) => `联调案件 ${p.id} 涉及多个乡镇，由县指挥中心结案`,
    en: (p) => `Joint case ${p.id} spans several towns; the county dispatch center closes it`,
  },
  joint_case_already_linked: {
    zh: (p) => `以下纠纷已纳入联调案件：${p.ids}`,
    en: (p) => `These disputes already belong to a joint case: ${p.ids}`,
  },
  joint_case_stations_unknown: {
    zh: (p) => `以下站所不存在：${p.keys}`,
    en: (p) => `No such stations: ${p.keys}`,
  },
  joint_case_not_found: {
    zh: (p) => `联调案件 ${p.id} 不存在`,
    en: (p) => `Joint case ${p.id} does not exist`,
  },
  joint_case_closed: {
    zh: (p) => `联调案件 ${p.id} 已经结案`,
    en: (p) => `Joint case ${p.id} is already closed`,
  },
  joint_case_close_reason: {
    zh: () => '请填写结案原因',
    en: () => 'Give a reason for closing the joint case',
  },
  bad_tile: {
    zh: (p) => `瓦片编号无效：第 ${p.z} 级的 x、y 应在 0～${p.max} 之间`,
    en: (p) => `Invalid tile: at zoom ${p.z}, x and y must be in 0..${p.max}`,
  },
} satisfies Record<string, Record<Lang, Template>>
