import type { Lang, Template } from '../template.ts'

/** Error messages of the county views (escalation 事件上报, town comparison), in Simplified Chinese and English. */
export const COUNTY_MESSAGES = {
  escalation_not_found: {
    zh: (p) => `没有编号为 ${p.id} 的上报事件`,
    en: (p) => `No escalation with id ${p.id}`,
  },
  escalation_reason_required: {
    zh: () => '请填写上报理由',
    en: () => 'Give a reason for the escalation',
  },
  escalation_in_progress: {
    zh: (p) => `该事件已上报县级（上报编号 ${p.escalationId}，状态“${p.statusZh}”），县级办结或交办后才能再次上报`,
    en: (p) => `This case is already escalated to the county (escalation ${p.escalationId}, ${p.status}); it may be escalated again once the county closes or returns it`,
  },
  escalation_case_closed: {
    zh: () => '该事件已办结，不能上报县级',
    en: () => 'This case is finished; a finished case cannot be escalated to the county',
  },
  escalation_other_town: {
    zh: () => '只有事件所属乡镇的综治中心可以上报该事件',
    en: () => "Only the center of the case's own town may escalate it",
  },
  escalation_illegal_transition: {
    zh: (p) => `上报事件当前状态为“${p.statusZh}”，不能执行“${p.actionZh}”。当前可执行的操作：${p.allowedZh || '无（已交办或已办结）'}`,
    en: (p) => `The escalation is "${p.status}"; "${p.action}" is not allowed now. Allowed actions: ${p.allowed || 'none (returned or closed)'}`,
  },
  county_town_filter_town_user: {
    zh: () => '乡镇用户只能查看本乡镇的数据，请去掉 townId 参数或填写本乡镇',
    en: () => 'Town users see their own town only; leave out townId or give your own town',
  },
  county_unknown_town: {
    zh: (p) => `没有编号为 ${p.id} 的乡镇`,
    en: (p) => `No town with id ${p.id}`,
  },
} satisfies Record<string, Record<Lang, Template>>
