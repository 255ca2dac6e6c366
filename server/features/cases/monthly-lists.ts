import type { Lang } from '../../core/i18n/messages.ts'
import { DEADLINE_LABELS, GRADE_LABELS, KIND_LABELS, SOURCE_LABELS, STATUS_LABELS, label } from './labels.ts'
import type { LeadListRow, ProblemRow } from './exports.repository.ts'
import type { ExportCell, ExportColumn } from '../../core/export/table-export.ts'

/** Time zone of the township: months and exported times are local to it. */
export const TOWNSHIP_TIME_ZONE = 'Asia/Shanghai'
const OFFSET = '+08:00'

/** [start, end) of a `YYYY-MM` month in the township's time zone. */
export function monthRange(month: string): { start: Date; end: Date } {
  const [year, mon] = month.split('-').map(Number)
  const next = mon === 12 ? `${year + 1}-01` : `${year}-${String(mon + 1).padStart(2, '0')}`
  return { start: new Date(`${month}-01T00:00:00${OFFSET}`), end: new Date(`${next}-01T00:00:00${OFFSET}`) }
}

const LOCAL = new Intl.DateTimeFormat('sv-SE', {
  timeZone: TOWNSHIP_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
})

/** `YYYY-MM-DD HH:mm` in the township's time zone, or empty. */
export function localTime(value: Date | null): string {
  return value ? LOCAL.format(value) : ''
}

type Col = [zh: string, en: string, width: number]

function columns(cols: Col[], lang: Lang): ExportColumn[] {
  return cols.map(([zh, en, width]) => ({ header: lang === 'zh' ? zh : en, width }))
}

const PROBLEM_COLUMNS: Col[] = [
  ['编号', 'ID', 8],
  ['类型', 'Kind', 10],
  ['类别', 'Category', 16],
  ['描述', 'Description', 40],
  ['等级', 'Severity / tier', 10],
  ['状态', 'Status', 10],
  ['村（社区）', 'Village', 14],
  ['基础网格', 'Base grid', 18],
  ['精细网格', 'Fine grid', 18],
  ['发现时间', 'Reported', 17],
  ['来源', 'Source', 12],
  ['报告人', 'Reporter', 12],
  ['分流站所', 'Station', 22],
  ['办理时限', 'Deadline', 17],
  ['督办状态', 'Deadline state', 12],
  ['办结时间', 'Closed', 17],
]

/** The headers of the problem list in `lang` (the ledger import recognises its own export by them). */
export function problemListHeaders(lang: Lang): string[] {
  return columns(PROBLEM_COLUMNS, lang).map((column) => column.header)
}

/** Headers and rows of the monthly problem list (问题清单). */
export function problemTable(rows: ProblemRow[], lang: Lang): { columns: ExportColumn[]; rows: ExportCell[][] } {
  return {
    columns: columns(PROBLEM_COLUMNS, lang),
    rows: rows.map((row) => [
      row.id,
      label(KIND_LABELS, row.kind, lang),
      (lang === 'zh' ? row.category_zh : row.category_en) ?? row.category,
      row.description,
      label(GRADE_LABELS, row.severity ?? row.tier, lang),
      label(STATUS_LABELS, row.status, lang),
      row.village_name,
      row.base_grid_name,
      row.fine_grid_name,
      localTime(row.reported_at),
      label(SOURCE_LABELS, row.source, lang),
      row.reporter_name,
      lang === 'zh' ? row.station_zh : row.station_en,
      localTime(row.deadline_at),
      label(DEADLINE_LABELS, row.deadline_state, lang),
      localTime(row.closed_at),
    ]),
  }
}

const LEAD_COLUMNS: Col[] = [
  ['编号', 'ID', 8],
  ['移交部门', 'Department', 18],
  ['类别', 'Category', 14],
  ['线索内容', 'Description', 40],
  ['村（社区）', 'Village', 14],
  ['接收时间', 'Received', 17],
  ['状态', 'Status', 10],
  ['核实时间', 'Verified', 17],
  ['排除理由', 'Dismissal reason', 24],
  ['转化事件编号', 'Converted case', 12],
  ['办结时间', 'Closed', 17],
]

/** Headers and rows of the monthly lead list (线索清单). */
export function leadTable(rows: LeadListRow[], lang: Lang, categoryNames: Map<string, Record<Lang, string>>): { columns: ExportColumn[]; rows: ExportCell[][] } {
  return {
    columns: columns(LEAD_COLUMNS, lang),
    rows: rows.map((row) => [
      row.id,
      row.department,
      row.category ? (categoryNames.get(row.category)?.[lang] ?? row.category) : '',
      row.description,
      row.village_name,
      localTime(row.received_at),
      label(STATUS_LABELS, row.status, lang),
      localTime(row.verified_at),
      row.dismissed_reason,
      row.converted_case_id,
      localTime(row.closed_at),
    ]),
  }
}
