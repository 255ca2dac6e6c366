/** Who takes a step: the sample dispatcher, the village's sample grid worker, or a station's sample user. */
export type StepActor = { kind: 'dispatcher' } | { kind: 'grid_worker' } | { kind: 'station'; key: string }

/** One workflow action in a simulated case history, as the service would apply it. */
export interface CaseStep {
  action: string
  at: Date
  /** Status after the step. */
  status: string
  /** Columns the action sets (snake_case, as in the table), besides the status and `closed_at`. */
  patch: Record<string, unknown>
  /** What the ledger records as the reason (the body's reason or note). */
  reason: string | null
  actor: StepActor
}

/** A step planned for some time; its columns depend on when it is finally taken. */
export interface PlannedStep extends Omit<CaseStep, 'patch'> {
  patch(at: Date): Record<string, unknown>
}

const MINUTE_MS = 60_000

/**
 * The planned steps that happen by `asOf`, each at least a minute after the
 * one before (so the ledger's order is its time order), with their columns.
 */
export function stepsUntil(planned: readonly PlannedStep[], start: Date, asOf: Date): CaseStep[] {
  const kept: CaseStep[] = []
  let previous = start.getTime()
  for (const step of planned) {
    const at = new Date(Math.max(step.at.getTime(), previous + MINUTE_MS))
    if (at.getTime() > asOf.getTime()) break
    kept.push({ ...step, at, patch: step.patch(at) })
    previous = at.getTime()
  }
  return kept
}
