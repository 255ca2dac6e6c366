import type { StepActor } from './case-step.ts'
import type { SampleActor, SampleActors } from './sample-users.ts'

/** The sample user who takes a step in a village (the dispatcher stands in when there is no better one). */
export function resolveActor(actors: SampleActors, actor: StepActor, villageId: number): SampleActor {
  if (actor.kind === 'grid_worker') return actors.gridWorkers.get(villageId) ?? actors.dispatcher
  if (actor.kind === 'station') return actors.stations.get(actor.key) ?? actors.dispatcher
  return actors.dispatcher
}
