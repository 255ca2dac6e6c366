import { RISK_COLOURS, roundScore, type RiskBreakdown, type RiskSettings } from './risk/formula.ts'
import type { RiskAreaRow } from './risk/risk.repository.ts'
import type { AreaRisk, ExplainedCase } from './risk/risk.service.ts'

/** The formula in words, for the "how is this computed" view. */
export const RISK_FORMULA = {
  zh:
    '风险分 = Σ 未销号隐患 × 隐患等级权重 + Σ 未化解纠纷 × 纠纷级别权重 × 0.5^(距登记天数 ÷ 半衰期天数)' +
    ' + Σ 在管重点人员 × 管理颜色权重 + Σ 超期事件 × 超期加分；按阈值分为蓝、黄、橙、红四色。' +
    '统计截至时间窗终点（不含），只计时间窗内登记、且在终点时仍未办结的事件；事件按登记时记录的村和网格归属。',
  en:
    'score = Σ open hazards × severity weight + Σ active disputes × tier weight × 0.5^(days since reported ÷ half-life days)' +
    ' + Σ key persons in management × colour weight + Σ overdue cases × overdue penalty; graded blue, yellow, orange, red by the thresholds.' +
    ' Computed as of the end of the window (exclusive), over cases reported inside the window and still open then; cases count for the village and grids recorded at registration.',
}

/** The settings as the API shows them. */
export function toRiskSettingsDto(settings: RiskSettings) {
  return {
    hazardWeights: settings.hazardWeights,
    disputeWeights: settings.disputeWeights,
    halfLifeDays: settings.halfLifeDays,
    keyPersonWeights: settings.keyPersonWeights,
    overduePenalty: settings.overduePenalty,
    thresholds: settings.thresholds,
    formula: RISK_FORMULA,
    colours: [...RISK_COLOURS],
    updatedAt: settings.updatedAt.toISOString(),
    updatedBy: settings.updatedBy,
  }
}

/** The identity of an area. */
export function toAreaRef(area: RiskAreaRow) {
  return { id: area.id, level: area.level, code: area.code, name: area.name, nameEn: area.nameEn }
}

/** A breakdown rounded for display. */
export function roundBreakdown(breakdown: RiskBreakdown): RiskBreakdown {
  return {
    hazards: roundScore(breakdown.hazards),
    disputes: roundScore(breakdown.disputes),
    keyPersons: roundScore(breakdown.keyPersons),
    overdue: roundScore(breakdown.overdue),
  }
}

/** Properties of a risk-map feature. */
export function toRiskProperties(risk: AreaRisk) {
  return {
    level: risk.area.level,
    code: risk.area.code,
    name: risk.area.name,
    nameEn: risk.area.nameEn,
    parentId: risk.area.parentId,
    score: roundScore(risk.score),
    colour: risk.colour,
    breakdown: roundBreakdown(risk.breakdown),
    counts: risk.counts,
  }
}

/** A case behind a score (no personal data: no reporter, no parties). */
export function toExplainedCaseDto(item: ExplainedCase) {
  return {
    id: item.case.id,
    kind: item.case.kind,
    category: item.case.category,
    status: item.case.status,
    grade: (item.case.severity ?? item.case.tier)!,
    reportedAt: item.case.reportedAt.toISOString(),
    overdue: item.case.overdue,
    weight: item.weight,
    decay: roundScore(item.decay, 6),
    overduePenalty: item.overduePenalty,
    contribution: roundScore(item.contribution, 4),
  }
}
