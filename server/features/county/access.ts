import type { Access } from '../../core/auth/access.ts'
import type { Role } from '../../core/db/tables/auth.ts'

/**
 * Who may use the county views.
 *
 * | route                                          | county_leader | county_dispatcher | town dispatcher | town leader | other town roles |
 * |------------------------------------------------|---------------|-------------------|-----------------|-------------|------------------|
 * | escalate a case of their town (事件上报)       | –             | –                 | own town's cases | –          | –                |
 * | escalation queue, one escalation with ledger   | all towns     | all towns         | own town's      | own town's  | –                |
 * | accept / return with instructions / close      | –             | yes               | –               | –           | –                |
 * | KPI table by town (JSON, .xlsx)                | all towns     | all towns         | –               | –           | –                |
 *
 * Another town's escalation answers 404, as if it did not exist.
 */
export const COUNTY_ACCESS_ROLES = {
  escalate: ['dispatcher'],
  readEscalations: ['county_leader', 'county_dispatcher', 'dispatcher', 'leader'],
  act: ['county_dispatcher'],
  compare: ['county_leader', 'county_dispatcher'],
} as const satisfies Record<string, readonly Role[]>

/** Access of a county route. */
export function countyAccess(roles: readonly Role[]): Access {
  return { roles }
}
