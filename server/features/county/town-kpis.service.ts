import type { Db } from '../../core/db/database.ts'
import type { Lang } from '../../core/i18n/messages.ts'
import type { TimeWindow } from '../../core/time/time-window.ts'
import type { ExportCell, ExportColumn } from '../../core/export/table-export.ts'
import { protectCount, type CountProtection } from '../../core/privacy/small-counts.ts'
import { findEscalationsInProgress, findKeyPersonsInManagement, findTownCaseCounts, findTowns } from './town-kpis.repository.ts'

/** One row of the county KPI table. */
export interface TownKpiRow {
  townId: number
  code: string
  name: string
  nameEn: string | null
  open: number
  overdue: number
  closed: number
  onTimeRate: number | null
  disputes: number
  hazards: number
  /** Key persons under management, protected (rounded to a multiple of k, null below k). */
  keyPersons: number | null
  keyPersonsSuppressed: boolean
  escalationsInProgress: number
}

/** Columns the table can be sorted by. */
export const TOWN_KPI_SORTS = ['code', 'name', 'open', 'overdue', 'closed', 'onTimeRate', 'disputes', 'hazards', 'keyPersons', 'escalationsInProgress'] as const
export type TownKpiSort = (typeof TOWN_KPI_SORTS)[number]

/**
 * The county KPI table: one row per town, every town listed (a town with
 * nothing has zeros). Key persons are counted for every reader under the
 * small-count rule with the configured k — rounded, and null below k — since
 * a per-town count in a table circulated between towns must not identify anyone.
 */
export async function townKpis(db: Db, window: TimeWindow, protection: CountProtection, sort: TownKpiSort = 'code', order: 'asc' | 'desc' = 'asc'): Promise<TownKpiRow[]> {
  const [towns, cases, persons, escalations] = await Promise.all([
    findTowns(db),
    findTownCaseCounts(db, window),
    findKeyPersonsInManagement(db),
    findEscalationsInProgress(db),
  ])
  const rows = towns.map((town): TownKpiRow => {
    const counts = cases.get(town.id) ?? { open: 0, overdue: 0, closed: 0, closedOnTime: 0, disputes: 0, hazards: 0 }
    const keyPersons = protectCount(persons.get(town.id) ?? 0, protection)
    return {
      townId: town.id,
      code: town.code,
      name: town.name,
      nameEn: town.nameEn,
      open: counts.open,
      overdue: counts.overdue,
      closed: counts.closed,
      onTimeRate: counts.closed === 0 ? null : counts.closedOnTime / counts.closed,
      disputes: counts.disputes,
      hazards: counts.hazards,
      keyPersons,
      keyPersonsSuppressed: keyPersons === null,
      escalationsInProgress: escalations.get(town.id) ?? 0,
    }
  })
  return sortRows(rows, sort, order)
}

/** Rows sorted by `sort` (nulls last whichever the order, ties by town code). */
export function sortRows(rows: TownKpiRow[], sort: TownKpiSort, order: 'asc' | 'desc'): TownKpiRow[] {
  const sign = order === 'asc' ? 1 : -1
  return [...rows].sort((a, b) => {
    const x = a[sort]
    const y = b[sort]
    if (x === null || y === null) return x === y ? a.code.localeCompare(b.code) : x === null ? 1 : -1
    const compared = typeof x === 'string' ? x.localeCompare(y as string, 'zh-CN') : x - (y as number)
    return sign * compared || a.code.localeCompare(b.code)
  })
}

const COLUMNS: Array<[zh: string, en: string, width: number]> = [
  ['乡镇代码', 'Town code', 14],
  ['乡镇', 'Town', 16],
  ['在办', 'Open', 10],
  ['超期', 'Overdue', 10],
  ['期内办结', 'Closed in period', 14],
  ['按期办结率', 'On-time rate', 14],
  ['矛盾纠纷', 'Disputes', 12],
  ['安全隐患', 'Hazards', 12],
  ['在管重点人员', 'Key persons under management', 18],
  ['县级处理中上报', 'Escalations in progress', 16],
]

/** The table as export columns and rows (headers and town names in `lang`; a suppressed count as "<k"; the rate in %, one decimal). */
export function townKpiTable(rows: TownKpiRow[], lang: Lang, protection: CountProtection): { columns: ExportColumn[]; rows: ExportCell[][] } {
  return {
    columns: COLUMNS.map(([zh, en, width]) => ({ header: lang === 'zh' ? zh : en, width })),
    rows: rows.map((row) => [
      row.code,
      lang === 'zh' ? row.name : (row.nameEn ?? row.name),
      row.open,
      row.overdue,
      row.closed,
      row.onTimeRate === null ? null : Math.round(row.onTimeRate * 1000) / 10,
      row.disputes,
      row.hazards,
      row.keyPersonsSuppressed ? `<${protection?.k ?? ''}` : row.keyPersons,
      row.escalationsInProgress,
    ]),
  }
}
