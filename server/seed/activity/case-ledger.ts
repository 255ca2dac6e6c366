import { fieldChanges } from '../../features/cases/field-changes.ts'
import type { FieldChanges } from '../../features/cases/events.repository.ts'
import type { CaseStep, StepActor } from './case-step.ts'

/** Statuses that take a case out of the open set (`closed_at` is set). */
const FINAL_STATUSES = new Set(['closed', 'unfounded', 'evaluated'])

/** A ledger entry before its actor is resolved to a user. */
export interface LedgerEntry {
  at: Date
  actor: StepActor
  action: string
  statusFrom: string | null
  statusTo: string
  version: number
  changes: FieldChanges
  reason: string | null
}

/** Whether a major dispute's deadline was met: escalated (or else resolved) in time; others resolved in time. */
function timely(row: Record<string, unknown>): boolean {
  const metAt = (row.tier === 'major' ? (row.escalated_at ?? row.resolved_at) : row.resolved_at) as Date | null
  return metAt !== null && metAt !== undefined && metAt.getTime() <= (row.deadline_at as Date).getTime()
}

/**
 * Plays `steps` on a freshly registered case `row` (snake_case columns) the
 * way the workflow service does: each step sets its columns and the status,
 * a final status sets `closed_at`, the evaluation records whether the
 * deadline was met, the version goes up by one, and each step adds a ledger
 * entry with the before/after of every column it changed. Returns the row
 * as it stands after the last step and the entries after registration.
 */
export function playSteps(
  row: Record<string, unknown>,
  steps: readonly CaseStep[],
): { row: Record<string, unknown>; entries: LedgerEntry[] } {
  let current = { ...row }
  const entries: LedgerEntry[] = []
  for (const step of steps) {
    const patch: Record<string, unknown> = { ...step.patch }
    if (step.action === 'evaluate') patch.timely = timely(current)
    patch.status = step.status
    if (FINAL_STATUSES.has(step.status)) patch.closed_at = step.at
    const version = (current.version as number) + 1
    entries.push({
      at: step.at,
      actor: step.actor,
      action: step.action,
      statusFrom: current.status as string,
      statusTo: step.status,
      version,
      changes: fieldChanges(current, patch),
      reason: step.reason,
    })
    current = { ...current, ...patch, version, updated_at: step.at }
  }
  return { row: current, entries }
}
