import type { StepActor } from './case-step.ts'
import type { SampleActor, SampleActors } from './sample-users.ts'

/** The sample user who takes a step in a village (the dispatcher stands in when there is no better one). */
export function resolveActor(actors: SampleActors, actor: StepActor, villageId: number): SampleActor {
  // In the county sample each town has its own dispatcher and station users.
  const local = actors.towns?.get(villageId)
  const dispatcher = local?.dispatcher ?? actors.dispatcher
  if (actor.kind === 'grid_worker') return actors.gridWorkers.get(villageId) ?? dispatcher
  if (actor.kind === 'station') return (local?.stations ?? actors.stations).get(actor.key) ?? dispatcher
  return dispatcher
}
