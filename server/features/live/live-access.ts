import { inOwnGrids, seesAllCases } from '../cases/index.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'
import { inScope, personScope } from '../key-persons/index.ts'
import type { LiveEvent, LiveScope } from '../../core/live/live-events.ts'

/** One Server-Sent Event as written to a subscriber. */
export interface LiveMessage {
  event: 'case' | 'key_person' | 'key_person_count'
  data: Record<string, unknown>
}

function inUserGrids(user: UserRecord, scope: LiveScope | undefined): boolean {
  if (!scope) return false
  return inOwnGrids(user, { base_grid_id: scope.baseGridId, fine_grid_id: scope.fineGridId })
}

/**
 * What `user` may hear of `event`, by the same rules as the read routes, or
 * undefined when nothing:
 * - hazards and disputes (`case`): everyone but grid workers; a grid worker
 *   those in their grids or registered by them;
 * - leads (`case`, kind lead): everyone but grid workers; a grid worker those in their grids;
 * - key persons: roles with identity access within their scope get
 *   `key_person` with the id; leaders and station staff (counts only) get
 *   `key_person_count`: "key-person counts may have changed", with the time
 *   only (no area, action, id or status: see `privacy/small-counts.ts`);
 *   a grid worker hears nothing of other grids' persons.
 * Payloads never carry the scope's user ids or any personal data.
 */
export function liveMessageFor(user: UserRecord, event: LiveEvent): LiveMessage | undefined {
  const { kind, id, status, action, at, scope } = event
  // A town's users hear only of their town's records (issue 13); county users of every town.
  if (user.townId !== null && scope?.townId !== user.townId) return undefined
  if (kind === 'key_person') {
    const persons = personScope(user)
    if (!persons) {
      if (!scope) return undefined
      // Only "the counts may have changed": a grid (or even the action) with its time would tell a counts-only
      // reader that a person in that grid was just registered or visited, which the protected counts hide.
      return { event: 'key_person_count', data: { at } }
    }
    const visible = persons.kind === 'all' || (scope !== undefined && inScope(persons, { baseGridId: scope.baseGridId, fineGridId: scope.fineGridId }))
    return visible ? { event: 'key_person', data: { id, status, action, at } } : undefined
  }
  const data = { kind, id, status, action, at }
  if (seesAllCases(user)) return { event: 'case', data }
  const registeredByUser = kind !== 'lead' && scope?.registeredBy != null && scope.registeredBy === user.id
  return inUserGrids(user, scope) || registeredByUser ? { event: 'case', data } : undefined
}
