/** One action of a workflow: the statuses it may start from and the status it leads to. */
export interface Transition<S extends string> {
  from: readonly S[]
  to: S
}

/** A state machine: its statuses (in display order), the first one, and its actions. */
export interface Workflow<S extends string, A extends string> {
  statuses: readonly S[]
  initial: S
  /** Statuses that end the case (it leaves the open set). */
  final: readonly S[]
  transitions: Readonly<Record<A, Transition<S>>>
}

/** The status `action` leads to from `status`, or undefined when the action is not allowed there. */
export function nextStatus<S extends string, A extends string>(workflow: Workflow<S, A>, status: S, action: A): S | undefined {
  const transition = workflow.transitions[action]
  return transition && transition.from.includes(status) ? transition.to : undefined
}

/** The actions allowed from `status`, in the workflow's order. */
export function allowedActions<S extends string, A extends string>(workflow: Workflow<S, A>, status: S): A[] {
  return (Object.keys(workflow.transitions) as A[]).filter((action) => workflow.transitions[action].from.includes(status))
}

/** Whether `status` ends the case. */
export function isFinal<S extends string, A extends string>(workflow: Workflow<S, A>, status: S): boolean {
  return workflow.final.includes(status)
}
