import type { Workflow } from './workflow.ts'

/** Statuses of a dispute along the six-step method (六步工作法). */
export const DISPUTE_STATUSES = ['registered', 'dispatched', 'escalated', 'resolved', 'fed_back', 'evaluated'] as const
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number]

/** Workflow actions on a dispute (registration creates it in `registered`). */
export const DISPUTE_ACTIONS = ['dispatch', 'escalate', 'resolve', 'feedback', 'evaluate'] as const
export type DisputeAction = (typeof DISPUTE_ACTIONS)[number]

/**
 * The dispute state machine:
 * registered 已登记 → dispatched 已分流 (re-dispatch allowed) → resolved 已化解
 * → fed_back 已反馈 → evaluated 已评价; registered or dispatched → escalated
 * 已上报 (city departments handle it jointly) → resolved.
 */
export const DISPUTE_WORKFLOW: Workflow<DisputeStatus, DisputeAction> = {
  statuses: DISPUTE_STATUSES,
  initial: 'registered',
  final: ['evaluated'],
  transitions: {
    dispatch: { from: ['registered', 'dispatched'], to: 'dispatched' },
    escalate: { from: ['registered', 'dispatched'], to: 'escalated' },
    resolve: { from: ['dispatched', 'escalated'], to: 'resolved' },
    feedback: { from: ['resolved'], to: 'fed_back' },
    evaluate: { from: ['fed_back'], to: 'evaluated' },
  },
}

/** Statuses in which a dispute's deadline is met (a major dispute's once it is escalated). */
export const DISPUTE_DEADLINE_MET: readonly DisputeStatus[] = ['resolved', 'fed_back', 'evaluated']
