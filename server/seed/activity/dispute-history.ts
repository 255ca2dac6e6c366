import type { CaseOutcome, DisputeTier } from '../../core/db/tables/case.ts'
import type { Rng } from './activity-rng.ts'
import { stepsUntil, type CaseStep, type PlannedStep } from './case-step.ts'
import type { DisputeProfile } from './dispute-categories.ts'
import { fakeName } from './fake-identity.ts'
import { logNormal, pick, weightedKey } from './random-draw.ts'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

const ESCALATION_REASONS = ['涉及跨部门、跨区域事项，需市级部门联动处置', '当事人情绪激烈，存在矛盾激化风险', '涉及人数较多，需市镇两级联合化解']
const OUTCOME_NOTES: Record<CaseOutcome, readonly string[]> = {
  agreement: ['双方达成调解协议，当场履行', '经调解双方达成一致，签订调解协议书', '双方互谅互让，矛盾化解'],
  withdrawn: ['申请人撤回调解申请', '双方自行和解，申请人撤回'],
  litigation: ['调解不成，引导当事人通过诉讼解决', '经诉前委派调解未果，转入诉讼程序'],
  failed: ['调解未成功，继续跟踪稳控', '双方分歧较大，暂未达成一致'],
}
const FEEDBACK_NOTES = ['已电话告知当事人及报告人处理结果', '已上门向双方当事人反馈调解结果', '已在村委会向当事人反馈处理情况']
const EVALUATION_NOTES = [null, null, null, '当事人表示满意', '回访时当事人认可处理结果'] as const

/** Probability that triage of a general or complex dispute takes a day or two (it waits in the dispatch queue). */
const SLOW_TRIAGE = 0.15
/** Probability that a dispatched dispute drags on without resolution (积案, overdue). */
const STUCK = 0.006
/** Probability that a general or complex dispute is escalated after dispatch. */
const LATE_ESCALATION = { general: 0.02, complex: 0.05, major: 0 } as const

/** What the dispute simulation needs to know about the case. */
export interface DisputeFacts {
  reportedAt: Date
  registeredAt: Date
  tier: DisputeTier
  deadlineHours: number
  profile: DisputeProfile
  /** Station of the category's routing rule. */
  routingStation: string
  /** Village of the case: its center takes some general disputes. */
  villageId: number
}

/**
 * A dispute along the six-step method from `registeredAt`, cut at `asOf`:
 * triage and dispatch within hours (for one in seven after a day or two in the
 * dispatch queue) to the category's station (or for a third of general
 * disputes to the village center; complex ones with a full-time mediator),
 * resolution (most general disputes within their 3 days, about one in eight
 * late), feedback, and evaluation at a return visit about a week later.
 * Major disputes are escalated (mostly within 24 h) and handled jointly; a
 * few others are escalated later. About one in 170 stays dispatched without
 * end (积案).
 */
export function simulateDispute(rng: Rng, facts: DisputeFacts, asOf: Date): CaseStep[] {
  const allowed = facts.deadlineHours * HOUR_MS
  const reported = facts.reportedAt.getTime()
  const dispatcher = { kind: 'dispatcher' } as const
  const planned: PlannedStep[] = []
  const triage = facts.tier !== 'major' && rng() < SLOW_TRIAGE ? logNormal(rng, 30 * HOUR_MS, 0.5) : logNormal(rng, 2 * HOUR_MS, 0.8)
  let at = facts.registeredAt.getTime() + Math.max(10 * 60_000, triage)
  const toVillage = facts.tier === 'general' && rng() < 0.35
  const station = toVillage ? null : facts.routingStation
  const mediator = facts.tier === 'complex' || rng() < 0.2 ? `${fakeName(rng)}（专职调解员）` : null
  const escalateFirst = facts.tier === 'major' && rng() < 0.5
  if (!escalateFirst) {
    planned.push({
      action: 'dispatch',
      at: new Date(at),
      status: 'dispatched',
      reason: null,
      actor: dispatcher,
      patch: (when) => ({
        tier: facts.tier,
        station_key: station,
        village_center_id: toVillage ? facts.villageId : null,
        mediator_name: mediator,
        dispatched_at: when,
        deadline_at: new Date(reported + allowed),
      }),
    })
  }
  const escalates = facts.tier === 'major' || rng() < LATE_ESCALATION[facts.tier]
  if (rng() < STUCK && !escalates) return stepsUntil(planned, facts.registeredAt, asOf)
  if (escalates) {
    at = facts.tier === 'major' ? reported + logNormal(rng, 7 * HOUR_MS, 0.6) : at + logNormal(rng, DAY_MS, 0.7)
    const reason = pick(rng, ESCALATION_REASONS)
    planned.push({
      action: 'escalate',
      at: new Date(at),
      status: 'escalated',
      reason,
      actor: dispatcher,
      patch: (when) => ({ escalated_at: when, escalation_department: facts.profile.escalateTo, escalation_reason: reason }),
    })
    at += logNormal(rng, 12 * DAY_MS, 0.5)
  } else {
    at = Math.max(at + HOUR_MS, reported + allowed * 0.55 * logNormal(rng, 1, 0.5))
  }
  const outcome = weightedKey<CaseOutcome>(rng, { agreement: 82, withdrawn: 7, litigation: 8, failed: 3 })
  const modes = { ...facts.profile.mediation, expert: facts.profile.mediation.expert * (facts.tier === 'general' ? 1 : 3) }
  const mode = outcome === 'litigation' ? 'pre_litigation' : weightedKey(rng, modes)
  const outcomeNote = pick(rng, OUTCOME_NOTES[outcome])
  const handler = station && !escalates ? ({ kind: 'station', key: station } as const) : dispatcher
  planned.push({
    action: 'resolve',
    at: new Date(at),
    status: 'resolved',
    reason: outcomeNote,
    actor: handler,
    patch: (when) => ({ mediation_mode: mode, outcome, outcome_note: outcomeNote, resolved_at: when }),
  })
  at += logNormal(rng, 20 * HOUR_MS, 0.6)
  const feedback = pick(rng, FEEDBACK_NOTES)
  planned.push({ action: 'feedback', at: new Date(at), status: 'fed_back', reason: feedback, actor: handler, patch: (when) => ({ feedback_note: feedback, fed_back_at: when }) })
  at += logNormal(rng, 8 * DAY_MS, 0.7)
  const satisfaction = Number(weightedKey(rng, { '5': 55, '4': 30, '3': 10, '2': 3, '1': 2 }))
  const evaluation = pick(rng, EVALUATION_NOTES)
  planned.push({
    action: 'evaluate',
    at: new Date(at),
    status: 'evaluated',
    reason: evaluation,
    actor: dispatcher,
    patch: (when) => ({ satisfaction, evaluation_note: evaluation, evaluated_at: when }),
  })
  return stepsUntil(planned, facts.registeredAt, asOf)
}
