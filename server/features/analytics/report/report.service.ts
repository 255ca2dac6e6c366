import type { Db } from '../../../core/db/database.ts'
import type { Lang } from '../../../core/i18n/messages.ts'
import type { UserRecord } from '../../../core/auth/users.repository.ts'
import { getMeta } from '../../../core/db/app-meta.repository.ts'
import { HttpError } from '../../../core/http/http-error.ts'
import type { CountProtection } from '../../../core/privacy/small-counts.ts'
import { computeKpis } from '../kpis/kpis.service.ts'
import { findTrend } from '../kpis/kpis.repository.ts'
import { computeRisk, riskChange } from '../risk/risk.service.ts'
import { findRiskAreas } from '../risk/risk.repository.ts'
import { findRiskSettings } from '../settings.repository.ts'
import { disputeClusters } from '../dispute-clusters/clusters.service.ts'
import { findOverdueCases, findReportOutlines, findTownName } from './report.repository.ts'
import { parseReportMonth, shiftMonth, type ReportMonth } from './report-month.ts'

/** Months in the trend: the report month and the five before it. */
export const TREND_MONTHS = 6
/** Rising grids listed: the largest rises (only grids whose score rose). */
export const RISING_GRIDS = 10
/** Overdue cases listed (the count says how many there are in all). */
export const OVERDUE_LISTED = 50
/** The risk map's default cluster parameters (DBSCAN eps and minimum points), as the dashboard map uses them. */
const CLUSTER_PARAMS = { distanceMeters: 300, minPoints: 3 }

/** What the report is asked for. */
export interface ReportRequest {
  month: string
  villageId: number | null
  lang: Lang
  user: UserRecord
  protection: CountProtection
  now: Date
}

/**
 * Everything of the monthly report (月度研判报告) for one month and one village
 * or the township, computed by the same services as the dashboard and the
 * risk map (same windows, same key-person protection), so the printed figures
 * are the ones on screen:
 * - KPIs of the month (per village for the township, per station for a village);
 * - a monthly trend over {@link TREND_MONTHS} months ending with the report month;
 * - base-grid risk at the end of the month and its rise over the previous month;
 * - cross-village dispute clusters of the month (those touching the village);
 * - cases overdue at the end of the month;
 * - outlines for the printed map.
 * 404 when `villageId` is not a current village.
 */
export async function composeReport(db: Db, request: ReportRequest) {
  const { villageId, lang, protection } = request
  const month = parseReportMonth(request.month, request.now)
  const village = villageId === null ? null : ((await findRiskAreas(db, 'village', { areaId: villageId }))[0] ?? null)
  if (villageId !== null && !village) throw new HttpError(404, 'area_not_found', { id: villageId })
  const previous = parseReportMonth(shiftMonth(month.month, -1), request.now)
  const trendFrom = parseReportMonth(shiftMonth(month.month, 1 - TREND_MONTHS), request.now).from
  const window = { from: month.from, to: month.to }
  const filter = { villageId: villageId ?? undefined }
  const settings = await findRiskSettings(db)
  const inScope = (parentId: number | null) => villageId === null || parentId === villageId
  const [kpis, trend, risks, change, clusters, overdue, map, sample, town] = await Promise.all([
    computeKpis(db, villageId === null ? 'village' : 'station', window, lang, filter, protection),
    findTrend(db, 'month', { from: trendFrom, to: month.to }, filter),
    computeRisk(db, 'base_grid', window, { settings, protection }),
    riskChange(db, 'base_grid', window, { from: previous.from, to: previous.to }, protection),
    disputeClusters(db, { window, ...CLUSTER_PARAMS }),
    findOverdueCases(db, month.to, villageId, OVERDUE_LISTED),
    findReportOutlines(db, villageId),
    getMeta<unknown>(db, 'sample'),
    findTownName(db),
  ])
  const crossVillage = clusters.filter(
    (cluster) =>
      cluster.crossVillageBy.length > 0 &&
      (villageId === null || cluster.villageIds.includes(villageId) || cluster.partyVillageIds.includes(villageId)),
  )
  return {
    month,
    previousMonth: previous,
    village,
    townName: town,
    settings,
    kpis,
    trend,
    grids: risks.filter((risk) => inScope(risk.area.parentId)),
    rising: change.filter((row) => inScope(row.risk.area.parentId) && row.delta > 0).slice(0, RISING_GRIDS),
    clusters: crossVillage,
    overdue,
    map,
    sampleData: sample !== undefined,
  }
}

/** The month of a report, for answers. */
export function monthDto(month: ReportMonth) {
  return { month: month.month, from: month.from.toISOString(), to: month.to.toISOString(), complete: month.complete }
}
