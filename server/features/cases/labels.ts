import type { Lang } from '../../core/i18n/messages.ts'

type Labels = Record<string, Record<Lang, string>>

/** Status names as users know them (ledger, exports, error messages). */
export const STATUS_LABELS: Labels = {
  reported: { zh: '待核查', en: 'reported' },
  verified: { zh: '已核实', en: 'verified' },
  unfounded: { zh: '不属实', en: 'unfounded' },
  rectifying: { zh: '整改中', en: 'rectifying' },
  rectified: { zh: '已整改', en: 'rectified' },
  closed: { zh: '已销号', en: 'closed' },
  registered: { zh: '已登记', en: 'registered' },
  dispatched: { zh: '已分流', en: 'dispatched' },
  escalated: { zh: '已上报', en: 'escalated' },
  resolved: { zh: '已化解', en: 'resolved' },
  fed_back: { zh: '已反馈', en: 'fed back' },
  evaluated: { zh: '已评价', en: 'evaluated' },
  pending: { zh: '待核实', en: 'pending' },
  converted: { zh: '已转化', en: 'converted' },
  dismissed: { zh: '已排除', en: 'dismissed' },
}

/** Action names. */
export const ACTION_LABELS: Labels = {
  register: { zh: '登记', en: 'register' },
  dispatch: { zh: '分流', en: 'dispatch' },
  escalate: { zh: '上报', en: 'escalate' },
  resolve: { zh: '化解', en: 'resolve' },
  feedback: { zh: '反馈', en: 'feed back' },
  evaluate: { zh: '评价', en: 'evaluate' },
  verify: { zh: '核实', en: 'verify' },
  reject: { zh: '认定不属实', en: 'reject as unfounded' },
  'start-rectification': { zh: '开始整改', en: 'start rectification' },
  rectify: { zh: '整改完成', en: 'rectify' },
  close: { zh: '销号', en: 'close' },
  convert: { zh: '转化', en: 'convert' },
  dismiss: { zh: '排除', en: 'dismiss' },
  'add-photo': { zh: '添加照片', en: 'add photos' },
}

/** Kinds. */
export const KIND_LABELS: Labels = {
  hazard: { zh: '隐患', en: 'hazard' },
  dispute: { zh: '矛盾纠纷', en: 'dispute' },
  lead: { zh: '线索', en: 'lead' },
}

/** Hazard severities and dispute tiers. */
export const GRADE_LABELS: Labels = {
  low: { zh: '低', en: 'low' },
  medium: { zh: '中', en: 'medium' },
  high: { zh: '高', en: 'high' },
  critical: { zh: '重大', en: 'critical' },
  general: { zh: '一般', en: 'general' },
  complex: { zh: '疑难', en: 'complex' },
  major: { zh: '重大', en: 'major' },
}

/** Sources of a case. */
export const SOURCE_LABELS: Labels = {
  grid_worker: { zh: '网格员排查', en: 'grid worker' },
  walk_in: { zh: '群众来访', en: 'walk-in' },
  hotline: { zh: '热线', en: 'hotline' },
  department: { zh: '部门移交', en: 'department' },
  lead: { zh: '线索转化', en: 'lead' },
}

/** Deadline states (督办). */
export const DEADLINE_LABELS: Labels = {
  ok: { zh: '正常', en: 'on track' },
  near: { zh: '临期（黄）', en: 'near (yellow)' },
  overdue: { zh: '逾期（红）', en: 'overdue (red)' },
  done: { zh: '已办结', en: 'done' },
}

/** The label of `key` in `labels`, or the key itself when unknown. */
export function label(labels: Labels, key: string | null | undefined, lang: Lang): string {
  if (key === null || key === undefined) return ''
  return labels[key]?.[lang] ?? key
}
