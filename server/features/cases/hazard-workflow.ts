import type { Workflow } from './workflow.ts'

/** Statuses of a hazard (隐患). */
export const HAZARD_STATUSES = ['reported', 'verified', 'unfounded', 'rectifying', 'rectified', 'closed'] as const
export type HazardStatus = (typeof HAZARD_STATUSES)[number]

/** Workflow actions on a hazard (registration creates it in `reported`). */
export const HAZARD_ACTIONS = ['verify', 'reject', 'start-rectification', 'rectify', 'close'] as const
export type HazardAction = (typeof HAZARD_ACTIONS)[number]

/**
 * The hazard state machine: reported 待核查 → verified 已核实 | unfounded 不属实;
 * verified → rectifying 整改中 → rectified 已整改 → closed 已销号.
 */
export const HAZARD_WORKFLOW: Workflow<HazardStatus, HazardAction> = {
  statuses: HAZARD_STATUSES,
  initial: 'reported',
  final: ['unfounded', 'closed'],
  transitions: {
    verify: { from: ['reported'], to: 'verified' },
    reject: { from: ['reported'], to: 'unfounded' },
    'start-rectification': { from: ['verified'], to: 'rectifying' },
    rectify: { from: ['rectifying'], to: 'rectified' },
    close: { from: ['rectified'], to: 'closed' },
  },
}

/** Statuses in which a hazard's deadline is met: rectified, closed, or found unfounded. */
export const HAZARD_DEADLINE_MET: readonly HazardStatus[] = ['unfounded', 'rectified', 'closed']
