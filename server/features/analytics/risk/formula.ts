import type { Colour } from '../../../core/db/tables/key-person.ts'
import type { DisputeTier, HazardSeverity } from '../../../core/db/tables/case.ts'

/** The four risk colours (四色分级, as on Chinese safety-risk maps): low blue, then yellow, orange, red. */
export const RISK_COLOURS = ['blue', 'yellow', 'orange', 'red'] as const
export type RiskColour = (typeof RISK_COLOURS)[number]

/** Weights, half-life and thresholds of the risk score (the `analytics_settings` row). */
export interface RiskSettings {
  hazardWeights: Record<HazardSeverity, number>
  disputeWeights: Record<DisputeTier, number>
  halfLifeDays: number
  keyPersonWeights: Record<Colour, number>
  overduePenalty: number
  thresholds: { yellow: number; orange: number; red: number }
  updatedAt: Date
  updatedBy: number | null
}

/** A hazard open, or a dispute active, at the moment a score is computed for. */
export interface RiskCase {
  id: number
  kind: 'hazard' | 'dispute'
  category: string
  status: string
  severity: HazardSeverity | null
  tier: DisputeTier | null
  reportedAt: Date
  overdue: boolean
}

/** What one case adds to a score. */
export interface CaseContribution {
  /** Severity weight (hazard) or tier weight (dispute). */
  weight: number
  /** 0.5 ^ (age / half-life) for disputes, 1 for hazards. */
  decay: number
  /** The overdue penalty, or 0. */
  overduePenalty: number
  total: number
}

/** Per-layer parts of a score. */
export interface RiskBreakdown {
  hazards: number
  disputes: number
  keyPersons: number
  overdue: number
}

const DAY_MS = 86_400_000

/** Recency decay of a dispute reported `ageDays` ago: 0.5 ^ (age / half-life); 1 for age ≤ 0. */
export function recencyDecay(ageDays: number, halfLifeDays: number): number {
  return Math.pow(0.5, Math.max(0, ageDays) / halfLifeDays)
}

/** The contribution of one case to the score of its area as of `at`. */
export function caseContribution(settings: RiskSettings, row: RiskCase, at: Date): CaseContribution {
  const weight = row.kind === 'hazard' ? settings.hazardWeights[row.severity!] : settings.disputeWeights[row.tier!]
  const decay = row.kind === 'dispute' ? recencyDecay((at.getTime() - row.reportedAt.getTime()) / DAY_MS, settings.halfLifeDays) : 1
  const overduePenalty = row.overdue ? settings.overduePenalty : 0
  return { weight, decay, overduePenalty, total: weight * decay + overduePenalty }
}

/** Sums the parts of a score from the cases of an area and its key persons in management per colour. */
export function riskBreakdown(settings: RiskSettings, cases: RiskCase[], keyPersons: Partial<Record<Colour, number>>, at: Date): RiskBreakdown {
  const breakdown: RiskBreakdown = { hazards: 0, disputes: 0, keyPersons: 0, overdue: 0 }
  for (const row of cases) {
    const part = caseContribution(settings, row, at)
    if (row.kind === 'hazard') breakdown.hazards += part.weight * part.decay
    else breakdown.disputes += part.weight * part.decay
    breakdown.overdue += part.overduePenalty
  }
  for (const [colour, count] of Object.entries(keyPersons) as Array<[Colour, number]>) {
    breakdown.keyPersons += settings.keyPersonWeights[colour] * count
  }
  return breakdown
}

/** The score: the sum of the parts. */
export function riskScore(breakdown: RiskBreakdown): number {
  return breakdown.hazards + breakdown.disputes + breakdown.keyPersons + breakdown.overdue
}

/** The colour of a score: red from `red`, orange from `orange`, yellow from `yellow`, blue below. */
export function riskColour(score: number, thresholds: RiskSettings['thresholds']): RiskColour {
  if (score >= thresholds.red) return 'red'
  if (score >= thresholds.orange) return 'orange'
  if (score >= thresholds.yellow) return 'yellow'
  return 'blue'
}

/** Rounds a score part for display (scores are compared and coloured before rounding). */
export function roundScore(value: number, digits = 2): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
