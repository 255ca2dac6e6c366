import type { Db } from '../../../core/db/database.ts'
import type { Lang } from '../../../core/i18n/messages.ts'
import type { TimeWindow } from '../../../core/time/time-window.ts'
import type { ExportCell, ExportColumn } from '../../../core/export/table-export.ts'
import { weekStartBefore } from './kpi-week.ts'
import { protectCount, type CountProtection } from '../../../core/privacy/small-counts.ts'
import { findCaseKpis, findKpiLabels, findVisitsOverdue, type KpiFilter, type KpiRow } from './kpis.repository.ts'

/** KPIs of one group with its label and derived rates. */
export interface KpiGroup extends KpiRow {
  label: string
  resolvedRate: number | null
  /** True when visitsOverdue is null because it is below the small-count threshold k (not because it does not apply). */
  visitsOverdueSuppressed: boolean
}

const round = (value: number | null, digits: number) => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits)

function derive(row: KpiRow, label: string): KpiGroup {
  return {
    ...row,
    label,
    visitsOverdueSuppressed: false,
    resolvedRate: row.new > 0 ? round(row.resolved / row.new, 4) : null,
    meanHoursToResolve: round(row.meanHoursToResolve, 2),
    satisfactionMean: round(row.satisfactionMean, 2),
  }
}

/**
 * KPIs per village or station plus the total of the filtered cases (the
 * township when unfiltered), labelled in `lang`; `weekStart` is where
 * "new this week" starts. Visits overdue concern key persons, not cases: per
 * village and in the total, limited to the village filter; null when filtered
 * by kind or station (persons have neither) and per station.
 */
export async function computeKpis(
  db: Db,
  groupBy: 'village' | 'station',
  window: TimeWindow,
  lang: Lang,
  filter: KpiFilter = {},
  protection: CountProtection = undefined,
) {
  const weekStart = weekStartBefore(window.to)
  const [groups, [total], labels] = await Promise.all([
    findCaseKpis(db, groupBy, window, weekStart, filter),
    findCaseKpis(db, 'all', window, weekStart, filter),
    findKpiLabels(db),
  ])
  const withVisits = !filter.kind && filter.stationKey === undefined
  const visits = withVisits && groupBy === 'village' ? await findVisitsOverdue(db, 'village', window.to, filter.villageId) : new Map<string, number>()
  const totalVisits = withVisits ? ((await findVisitsOverdue(db, 'all', window.to, filter.villageId)).get('all') ?? 0) : null
  const unassigned = lang === 'zh' ? '未分流到站所' : 'Not dispatched to a station'
  const labelOf = (key: string) => {
    const entry = groupBy === 'village' ? labels.villages.get(key) : key === '' ? undefined : labels.stations.get(key)
    return entry ? entry[lang] : groupBy === 'station' && key === '' ? unassigned : key
  }
  /** A group with its visits overdue as the caller may see them (null + flag below k). */
  const withVisitCount = (row: KpiRow, visitsOverdue: number | null, label: string): KpiGroup => {
    const shown = visitsOverdue === null ? null : protectCount(visitsOverdue, protection)
    return { ...derive({ ...row, visitsOverdue: shown }, label), visitsOverdueSuppressed: visitsOverdue !== null && shown === null }
  }
  const rows = groups.map((row) => withVisitCount(row, groupBy === 'village' && withVisits ? (visits.get(row.key) ?? 0) : null, labelOf(row.key)))
  if (groupBy === 'village' && withVisits) {
    for (const [key, n] of visits) {
      // A village listed only for its overdue visits would tell a protected reader that somebody is overdue there.
      if (!groups.some((row) => row.key === key) && protectCount(n, protection) !== null) {
        rows.push(withVisitCount({ key, open: 0, new: 0, newThisWeek: 0, overdue: 0, resolved: 0, meanHoursToResolve: null, satisfactionMean: null, visitsOverdue: n }, n, labelOf(key)))
      }
    }
    rows.sort((a, b) => Number(a.key) - Number(b.key))
  }
  const empty: KpiRow = { key: 'all', open: 0, new: 0, newThisWeek: 0, overdue: 0, resolved: 0, meanHoursToResolve: null, satisfactionMean: null, visitsOverdue: null }
  const villageLabel = filter.villageId === undefined ? undefined : labels.villages.get(String(filter.villageId))?.[lang]
  const township = withVisitCount(total ?? empty, totalVisits, villageLabel ?? (lang === 'zh' ? '全镇' : 'Township'))
  return { groups: rows, total: township, weekStart }
}

/** A suppressed count in a sheet: "<k", never an empty cell or 0. */
function suppressedCell(protection: CountProtection): string {
  return `<${protection?.k ?? ''}`
}

const KPI_COLUMNS: Array<[zh: string, en: string, width: number]> = [
  ['分组', 'Group', 22],
  ['在办', 'Open', 8],
  ['新增', 'New', 8],
  ['本周新增（周一起）', 'New this week (from Monday)', 14],
  ['超期', 'Overdue', 8],
  ['已办结', 'Resolved', 8],
  ['办结率', 'Resolved rate', 10],
  ['平均办理时长（小时）', 'Mean hours to resolve', 14],
  ['满意度均值', 'Mean satisfaction', 12],
  ['走访超期', 'Visits overdue', 10],
]

/** Headers and rows of the KPI sheet (groups, then the township total). */
export function kpiTable(
  groups: KpiGroup[],
  total: KpiGroup,
  lang: Lang,
  protection: CountProtection = undefined,
): { columns: ExportColumn[]; rows: ExportCell[][] } {
  const cells = (row: KpiGroup): ExportCell[] => [
    row.label,
    row.open,
    row.new,
    row.newThisWeek,
    row.overdue,
    row.resolved,
    row.resolvedRate,
    row.meanHoursToResolve,
    row.satisfactionMean,
    row.visitsOverdueSuppressed ? suppressedCell(protection) : row.visitsOverdue,
  ]
  return {
    columns: KPI_COLUMNS.map(([zh, en, width]) => ({ header: lang === 'zh' ? zh : en, width })),
    rows: [...groups.map(cells), cells(total)],
  }
}
