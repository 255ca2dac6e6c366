import { sql, type RawBuilder } from 'kysely'
import type { UserRecord } from '../../core/auth/users.repository.ts'

/**
 * The town model as the county views need it, in one place (swap point until
 * the multi-town foundation lands): whether a user works for the county, the
 * town a town user belongs to, and the town of a case.
 */

/** Roles that work for the county (read every town, receive escalations). */
export const COUNTY_ROLES = ['county_leader', 'county_dispatcher'] as const

/** Whether the user works for the county rather than for one town. */
export function isCountyUser(user: UserRecord): boolean {
  return (COUNTY_ROLES as readonly string[]).includes(user.role)
}

/** The town (area id) of a town user; null for county users. */
export function userTownId(user: UserRecord): number | null {
  return (user as UserRecord & { townId?: number | null }).townId ?? null
}

/** SQL for the town (area id) of the case row aliased `c`: the parent of its recorded village. */
export function caseTownIdSql(): RawBuilder<number> {
  return sql<number>`(SELECT v.parent_id FROM area_versions v WHERE v.area_id = c.village_id AND v.version = c.village_version)`
}
