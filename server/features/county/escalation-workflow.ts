import type { EscalationStatus } from '../../core/db/tables/county.ts'

/** What the county does with an escalation. */
export const ESCALATION_ACTIONS = ['accept', 'return', 'close'] as const
export type EscalationAction = (typeof ESCALATION_ACTIONS)[number]

/**
 * The escalation state machine (事件上报 to the county):
 * pending 待受理 → accepted 已受理 (accept); pending or accepted → returned 已交办
 * (assigned back to the town with instructions) or closed 已办结 (with a note).
 * Returned and closed are final; the town may escalate the case again.
 */
export const ESCALATION_TRANSITIONS: Readonly<Record<EscalationAction, { from: readonly EscalationStatus[]; to: EscalationStatus }>> = {
  accept: { from: ['pending'], to: 'accepted' },
  return: { from: ['pending', 'accepted'], to: 'returned' },
  close: { from: ['pending', 'accepted'], to: 'closed' },
}

/** Statuses of an escalation still in the county's hands. */
export const IN_PROGRESS: readonly EscalationStatus[] = ['pending', 'accepted']

/** The actions allowed from `status`. */
export function allowedEscalationActions(status: EscalationStatus): EscalationAction[] {
  return ESCALATION_ACTIONS.filter((action) => ESCALATION_TRANSITIONS[action].from.includes(status))
}

/** The ledger action (case_events.action) of an escalation step. */
export const LEDGER_ACTION = {
  escalate: 'county-escalate',
  accept: 'county-accept',
  return: 'county-return',
  close: 'county-close',
} as const satisfies Record<'escalate' | EscalationAction, string>
