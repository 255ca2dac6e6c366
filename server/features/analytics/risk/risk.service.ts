import type { Db } from '../../../core/db/database.ts'
import type { Colour } from '../../../core/db/tables/key-person.ts'
import { COLOURS } from '../../../core/db/tables/key-person.ts'
import { HttpError } from '../../../core/http/http-error.ts'
import {
  caseContribution,
  riskBreakdown,
  riskColour,
  riskScore,
  type RiskBreakdown,
  type RiskColour,
  type RiskSettings,
} from './formula.ts'
import type { TimeWindow } from '../../../core/time/time-window.ts'
import { protectCount, type CountProtection } from '../../../core/privacy/small-counts.ts'
import { findRiskSettings } from '../settings.repository.ts'
import {
  countKeyPersonsInManagement,
  findAreaLevel,
  findRiskAreas,
  findRiskCases,
  sumRiskCases,
  type KeyPersonCountRow,
  type RiskAreaRow,
  type RiskCaseRow,
  type RiskLevel,
  type RiskSumRow,
} from './risk.repository.ts'

/** Counts behind a score. */
export interface RiskCounts {
  openHazards: number
  activeDisputes: number
  /** Null when suppressed (fewer than k, for roles that see counts only). */
  keyPersons: number | null
  overdue: number
}

/** The score of one area. */
export interface AreaRisk {
  area: RiskAreaRow
  score: number
  colour: RiskColour
  breakdown: RiskBreakdown
  counts: RiskCounts
}

/** One case behind a score, with what it adds. */
export interface ExplainedCase {
  case: RiskCaseRow
  weight: number
  decay: number
  overduePenalty: number
  contribution: number
}

/** A score with the events behind it (key persons as counts by colour only). */
export interface RiskExplanation extends AreaRisk {
  settings: RiskSettings
  cases: ExplainedCase[]
  keyPersons: Record<Colour, { count: number | null; weight: number; contribution: number }>
}

/**
 * Key persons per area and colour as a caller may see them: for roles that
 * see counts only, each count protected (below k → 0 in the score, rounded
 * otherwise). The score must be computed from these, not hidden afterwards:
 * a score minus its case parts (which `explain` lists) is the key-person part,
 * and colour weights turn that back into counts.
 */
function protectedPersons(rows: KeyPersonCountRow[], protection: CountProtection): KeyPersonCountRow[] {
  if (!protection) return rows
  return rows.map((row) => ({ ...row, n: protectCount(row.n, protection) ?? 0 }))
}

/** Total key persons of an area as shown: exact, rounded, or null below k. */
function personTotal(rows: KeyPersonCountRow[], areaId: number, protection: CountProtection): number | null {
  return protectCount(rows.filter((row) => row.areaId === areaId).reduce((sum, row) => sum + row.n, 0), protection)
}

function keyPersonsByArea(rows: Array<{ areaId: number; colour: Colour; n: number }>): Map<number, Partial<Record<Colour, number>>> {
  const byArea = new Map<number, Partial<Record<Colour, number>>>()
  for (const row of rows) {
    const entry = byArea.get(row.areaId) ?? {}
    entry[row.colour] = (entry[row.colour] ?? 0) + row.n
    byArea.set(row.areaId, entry)
  }
  return byArea
}

function areaRisk(settings: RiskSettings, area: RiskAreaRow, cases: RiskCaseRow[], persons: Partial<Record<Colour, number>>, at: Date): AreaRisk {
  const breakdown = riskBreakdown(settings, cases, persons, at)
  const score = riskScore(breakdown)
  return {
    area,
    score,
    colour: riskColour(score, settings.thresholds),
    breakdown,
    counts: {
      openHazards: cases.filter((row) => row.kind === 'hazard').length,
      activeDisputes: cases.filter((row) => row.kind === 'dispute').length,
      keyPersons: Object.values(persons).reduce((sum, n) => sum + (n ?? 0), 0),
      overdue: cases.filter((row) => row.overdue).length,
    },
  }
}

/** The score of every current area of `level` (of one town when `townId` is given) as of `window.to` (cases reported inside the window). */
export async function computeRisk(
  db: Db,
  level: RiskLevel,
  window: TimeWindow,
  options: { withGeometry?: boolean; settings?: RiskSettings; protection?: CountProtection; townId?: number } = {},
): Promise<AreaRisk[]> {
  const settings = options.settings ?? (await findRiskSettings(db))
  const [areas, sums, persons] = await Promise.all([
    findRiskAreas(db, level, { withGeometry: options.withGeometry, townId: options.townId }),
    // The town's cases and persons only (a town user's row-level security says the same): a county
    // user's one-town map summed the whole county's cases before dropping the other towns' areas.
    sumRiskCases(db, level, window, settings, options.townId),
    countKeyPersonsInManagement(db, level, window.to, undefined, options.townId),
  ])
  const sumsByArea = new Map(sums.map((row) => [row.areaId, row]))
  const personsByArea = keyPersonsByArea(protectedPersons(persons, options.protection))
  return areas.map((area) => {
    const risk = areaRiskFromSums(settings, area, sumsByArea.get(area.id), personsByArea.get(area.id) ?? {})
    return options.protection ? { ...risk, counts: { ...risk.counts, keyPersons: personTotal(persons, area.id, options.protection) } } : risk
  })
}

/** {@link areaRisk} from the per-area sums of the database (same parts, same score). */
function areaRiskFromSums(settings: RiskSettings, area: RiskAreaRow, sums: RiskSumRow | undefined, persons: Partial<Record<Colour, number>>): AreaRisk {
  const keyPersons = riskBreakdown(settings, [], persons, new Date(0)).keyPersons
  const breakdown: RiskBreakdown = { hazards: sums?.hazards ?? 0, disputes: sums?.disputes ?? 0, keyPersons, overdue: (sums?.overdue ?? 0) * settings.overduePenalty }
  const score = riskScore(breakdown)
  return {
    area,
    score,
    colour: riskColour(score, settings.thresholds),
    breakdown,
    counts: {
      openHazards: sums?.openHazards ?? 0,
      activeDisputes: sums?.activeDisputes ?? 0,
      keyPersons: Object.values(persons).reduce((sum, n) => sum + (n ?? 0), 0),
      overdue: sums?.overdue ?? 0,
    },
  }
}

/** The score of one area (village, base or fine grid) with each case's contribution; 404 when it is not a current area of those levels. */
export async function explainRisk(db: Db, areaId: number, window: TimeWindow, protection: CountProtection = undefined): Promise<RiskExplanation> {
  const level = await findAreaLevel(db, areaId)
  if (level !== 'village' && level !== 'base_grid' && level !== 'fine_grid') throw new HttpError(404, 'area_not_found', { id: areaId })
  const settings = await findRiskSettings(db)
  const [[area], cases, persons] = await Promise.all([
    findRiskAreas(db, level, { areaId }),
    findRiskCases(db, level, window, areaId),
    countKeyPersonsInManagement(db, level, window.to, areaId),
  ])
  const byColour = keyPersonsByArea(protectedPersons(persons, protection)).get(areaId) ?? {}
  const exactByColour = keyPersonsByArea(persons).get(areaId) ?? {}
  const scored = areaRisk(settings, area, cases, byColour, window.to)
  const risk = protection ? { ...scored, counts: { ...scored.counts, keyPersons: personTotal(persons, areaId, protection) } } : scored
  const explained = cases
    .map((row) => {
      const part = caseContribution(settings, row, window.to)
      return { case: row, weight: part.weight, decay: part.decay, overduePenalty: part.overduePenalty, contribution: part.total }
    })
    .sort((a, b) => b.contribution - a.contribution || a.case.id - b.case.id)
  const keyPersons = Object.fromEntries(
    COLOURS.map((colour) => {
      const scoredCount = byColour[colour] ?? 0
      const weight = settings.keyPersonWeights[colour]
      return [colour, { count: protectCount(exactByColour[colour] ?? 0, protection), weight, contribution: scoredCount * weight }]
    }),
  ) as RiskExplanation['keyPersons']
  return { ...risk, settings, cases: explained, keyPersons }
}

/** Per-area scores in two windows and their difference, sorted by the largest rise first. */
export async function riskChange(
  db: Db,
  level: RiskLevel,
  window: TimeWindow,
  compare: TimeWindow,
  protection: CountProtection = undefined,
  townId: number | undefined = undefined,
) {
  const settings = await findRiskSettings(db)
  const [now, before] = await Promise.all([
    computeRisk(db, level, window, { settings, protection, townId }),
    computeRisk(db, level, compare, { settings, protection, townId }),
  ])
  const previous = new Map(before.map((risk) => [risk.area.id, risk]))
  return now
    .map((risk) => {
      const then = previous.get(risk.area.id)
      const compareScore = then?.score ?? 0
      return { risk, compareScore, compareColour: then?.colour ?? riskColour(0, settings.thresholds), delta: risk.score - compareScore }
    })
    .sort((a, b) => b.delta - a.delta || a.risk.area.code.localeCompare(b.risk.area.code))
}
