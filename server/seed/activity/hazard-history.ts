import type { HazardSeverity } from '../../core/db/tables/case.ts'
import type { Rng } from './activity-rng.ts'
import { stepsUntil, type CaseStep, type PlannedStep } from './case-step.ts'
import { logNormal, pick } from './random-draw.ts'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

const VERIFY_NOTES = ['现场核实，情况属实', '经核查属实，已告知责任人', '网格员复核属实，已拍照留存', '会同村委会核实，情况属实']
const REJECT_REASONS = ['现场核查未发现所报问题', '重复上报，已合并处理', '经核实不属于隐患范围', '问题已由责任人自行消除']
const PLANS = ['落实整改责任人，设置警示标志，限期整改', '责令责任人限期整改，网格员跟踪复查', '联系相关站所和部门共同整改', '先行采取临时防护措施，再分步整改']
const RECTIFY_NOTES = ['已整改到位，复查合格', '已设置警示标志并完成加固', '隐患已消除，责任人签字确认', '整改完成，已拍照存档']

/** Probability that a reported hazard is found unfounded (不属实). */
const UNFOUNDED = 0.06
/** Probability that a hazard is never verified (stays 待核查). */
const STUCK_REPORTED = 0.002
/** Probability that a rectification drags on without end (整改中, overdue). */
const STUCK_RECTIFYING = 0.005

/**
 * A hazard's life from `registeredAt`, cut at `asOf`: verify (or reject as
 * unfounded), start rectification, rectify — usually within the deadline of
 * its severity, about one in ten late — and close (销号) days later.
 * A few stay unverified or in rectification for good, so some are overdue.
 * Step times scale with the allowed hours.
 */
export function simulateHazard(
  rng: Rng,
  hazard: { reportedAt: Date; registeredAt: Date; severity: HazardSeverity; deadlineHours: number },
  asOf: Date,
): CaseStep[] {
  const allowed = hazard.deadlineHours * HOUR_MS
  const reported = hazard.reportedAt.getTime()
  const fate = rng()
  const planned: PlannedStep[] = []
  const grid = { kind: 'grid_worker' } as const
  let at = hazard.registeredAt.getTime() + Math.max(20 * 60_000, allowed * 0.1 * logNormal(rng, 1, 0.6))
  if (fate < STUCK_REPORTED) return []
  if (fate < STUCK_REPORTED + UNFOUNDED) {
    const reason = pick(rng, REJECT_REASONS)
    planned.push({ action: 'reject', at: new Date(at), status: 'unfounded', reason, actor: grid, patch: (when) => ({ verified_at: when, verification_note: reason }) })
    return stepsUntil(planned, hazard.registeredAt, asOf)
  }
  const note = pick(rng, VERIFY_NOTES)
  planned.push({
    action: 'verify',
    at: new Date(at),
    status: 'verified',
    reason: note,
    actor: grid,
    patch: (when) => ({ verified_at: when, verification_note: note, severity: hazard.severity, deadline_at: new Date(reported + allowed) }),
  })
  at += Math.max(10 * 60_000, allowed * 0.06 * logNormal(rng, 1, 0.6))
  const plan = pick(rng, PLANS)
  planned.push({ action: 'start-rectification', at: new Date(at), status: 'rectifying', reason: null, actor: grid, patch: () => ({ rectification_plan: plan }) })
  if (fate > 1 - STUCK_RECTIFYING) return stepsUntil(planned, hazard.registeredAt, asOf)
  at = Math.max(at + 30 * 60_000, reported + allowed * 0.55 * logNormal(rng, 1, 0.45))
  const done = pick(rng, RECTIFY_NOTES)
  planned.push({ action: 'rectify', at: new Date(at), status: 'rectified', reason: done, actor: grid, patch: (when) => ({ rectification_note: done, rectified_at: when }) })
  at += logNormal(rng, 4 * DAY_MS, 0.6)
  planned.push({ action: 'close', at: new Date(at), status: 'closed', reason: null, actor: { kind: 'dispatcher' }, patch: () => ({}) })
  return stepsUntil(planned, hazard.registeredAt, asOf)
}
