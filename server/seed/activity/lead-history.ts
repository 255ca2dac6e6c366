import type { LeadStatus } from '../../core/db/tables/case.ts'
import type { Rng } from './activity-rng.ts'
import { logNormal, pick } from './random-draw.ts'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

const VERIFY_NOTES = ['已与移交部门核实，情况属实', '网格员现场核实，线索属实', '会同村委会核实，需进一步处置']
const DISMISS_REASONS = ['经核实不属实', '不属于本镇管辖范围，已退回移交部门', '问题已由部门自行处理完毕', '与已登记事件重复']

/** One action on a lead. */
export interface LeadStep {
  action: 'verify' | 'convert' | 'dismiss'
  at: Date
  status: LeadStatus
  note: string | null
}

/**
 * A lead's life from `receivedAt`, cut at `asOf`: one in ten waits
 * unanswered, some are dismissed at once, the rest are verified within
 * days and then mostly converted into a case (only with a location),
 * else dismissed, a few left verified.
 */
export function simulateLead(rng: Rng, receivedAt: Date, hasPoint: boolean, asOf: Date): LeadStep[] {
  const fate = rng()
  const steps: LeadStep[] = []
  let at = receivedAt.getTime()
  if (fate < 0.1) return steps
  if (fate < 0.25) {
    steps.push({ action: 'dismiss', at: new Date(at + logNormal(rng, 3 * DAY_MS, 0.6)), status: 'dismissed', note: pick(rng, DISMISS_REASONS) })
  } else {
    at += Math.max(HOUR_MS, logNormal(rng, 2 * DAY_MS, 0.7))
    steps.push({ action: 'verify', at: new Date(at), status: 'verified', note: pick(rng, VERIFY_NOTES) })
    const next = rng()
    at += Math.max(HOUR_MS, logNormal(rng, DAY_MS, 0.7))
    if (next < 0.6 && hasPoint) steps.push({ action: 'convert', at: new Date(at), status: 'converted', note: null })
    else if (next < 0.85) steps.push({ action: 'dismiss', at: new Date(at), status: 'dismissed', note: pick(rng, DISMISS_REASONS) })
  }
  return steps.filter((step) => step.at.getTime() <= asOf.getTime())
}
