import type { Lang } from '../../../core/i18n/messages.ts'
import type { UserRecord } from '../../../core/auth/users.repository.ts'
import { roundScore } from '../risk/formula.ts'
import { toAreaRef } from '../analytics-dto.ts'
import type { VillageRef } from '../dispute-clusters/clusters.service.ts'
import type { OutlineRow } from './report.repository.ts'
import { monthDto, type composeReport } from './report.service.ts'
import type { MonthlyReport } from './report.schemas.ts'

const DAY_MS = 86_400_000
const iso = (date: Date) => date.toISOString()
const villageName = (village: VillageRef) => ({ id: village.id, name: village.name, nameEn: village.nameEn })
const outline = (row: OutlineRow) => ({ id: row.id, name: row.name, nameEn: row.nameEn, path: row.path, labelX: row.labelX, labelY: row.labelY })

/** The answer of GET /api/analytics/report from the composed report. */
export function toReportDto(
  report: Awaited<ReturnType<typeof composeReport>>,
  context: { lang: Lang; user: UserRecord; now: Date; protection: MonthlyReport['protection'] },
): MonthlyReport {
  const { lang } = context
  const pick = (zh: string | null, en: string | null) => (lang === 'zh' ? zh : (en ?? zh))
  const villages = new Map(report.map.outlines.filter((row) => row.level === 'village').map((row) => [row.id, row]))
  const end = report.month.to
  return {
    month: monthDto(report.month),
    previousMonth: monthDto(report.previousMonth),
    area: report.village ? toAreaRef(report.village) : null,
    township: report.townName ? { name: report.townName.zh, nameEn: report.townName.en } : null,
    generatedAt: iso(context.now),
    generatedBy: { username: context.user.username, displayName: context.user.displayName },
    sampleData: report.sampleData,
    protection: context.protection,
    kpis: { groupBy: report.village ? 'station' : 'village', weekStart: iso(report.kpis.weekStart), groups: report.kpis.groups, total: report.kpis.total },
    trend: report.trend.map((row) => ({
      // The month of a step, in township time (a step starts at 00:00 UTC+8 = 16:00 UTC the day before).
      month: new Date(row.start.getTime() + 8 * 3_600_000).toISOString().slice(0, 7),
      start: iso(row.start),
      end: iso(row.end),
      new: row.new,
      resolved: row.resolved,
      openAtEnd: row.openAtEnd,
      overdueAtEnd: row.overdueAtEnd,
    })),
    thresholds: report.settings.thresholds,
    grids: report.grids.map((risk) => ({ id: risk.area.id, score: roundScore(risk.score), colour: risk.colour, counts: risk.counts })),
    rising: report.rising.map((row) => {
      const village = row.risk.area.parentId === null ? undefined : villages.get(row.risk.area.parentId)
      return {
        area: toAreaRef(row.risk.area),
        village: village ? { id: village.id, name: village.name, nameEn: village.nameEn } : null,
        score: roundScore(row.risk.score),
        colour: row.risk.colour,
        compareScore: roundScore(row.compareScore),
        compareColour: row.compareColour,
        delta: roundScore(row.delta),
        counts: row.risk.counts,
      }
    }),
    clusters: report.clusters.map((cluster) => ({
      id: `cluster-${cluster.memberIds[0]}`,
      size: cluster.size,
      firstReportedAt: iso(cluster.firstReportedAt),
      lastReportedAt: iso(cluster.lastReportedAt),
      villages: cluster.villages.map(villageName),
      partyVillages: cluster.partyVillages.map(villageName),
      crossVillageBy: cluster.crossVillageBy,
    })),
    overdue: {
      total: report.overdue.total,
      cases: report.overdue.rows.map((row) => ({
        id: row.id,
        kind: row.kind,
        category: pick(row.categoryZh, row.categoryEn) ?? row.category,
        grade: row.grade,
        status: row.status,
        reportedAt: iso(row.reportedAt),
        deadlineAt: iso(row.deadlineAt),
        daysOverdue: Math.floor((end.getTime() - row.deadlineAt.getTime()) / DAY_MS),
        village: pick(row.villageName, row.villageNameEn),
        grid: pick(row.gridName, row.gridNameEn),
        station: pick(row.stationZh, row.stationEn),
      })),
    },
    map: {
      extent: report.map.extent,
      villages: report.map.outlines.filter((row) => row.level === 'village').map(outline),
      grids: report.map.outlines.filter((row) => row.level === 'base_grid').map(outline),
    },
  }
}
