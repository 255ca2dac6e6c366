import type { LeadStatus } from '../../core/db/tables/case.ts'
import type { Workflow } from './workflow.ts'

/** Statuses of a lead, in display order. */
export const LEAD_STATUSES: readonly LeadStatus[] = ['pending', 'verified', 'converted', 'dismissed']

/** Workflow actions on a lead. */
export const LEAD_ACTIONS = ['verify', 'convert', 'dismiss'] as const
export type LeadAction = (typeof LEAD_ACTIONS)[number]

/**
 * The lead state machine: pending 待核实 → verified 已核实 → converted 已转化
 * (into a hazard or a dispute); pending or verified → dismissed 已排除 (with a reason).
 */
export const LEAD_WORKFLOW: Workflow<LeadStatus, LeadAction> = {
  statuses: LEAD_STATUSES,
  initial: 'pending',
  final: ['converted', 'dismissed'],
  transitions: {
    verify: { from: ['pending'], to: 'verified' },
    convert: { from: ['verified'], to: 'converted' },
    dismiss: { from: ['pending', 'verified'], to: 'dismissed' },
  },
}
