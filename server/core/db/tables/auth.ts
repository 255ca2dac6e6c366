import type { ColumnType, Generated } from 'kysely'

/**
 * Roles of GridAtlas users. `admin` is the system administrator (系统管理员: users,
 * boundaries, settings); `security_admin` (安全管理员) manages credentials, lockouts and
 * roles; `audit_admin` (审计管理员) reads the audit log and changes nothing (三员分立).
 * `county_leader` (县领导) and `county_dispatcher` (县指挥中心调度) read every town of the
 * county (migration 0018).
 */
export const ROLES = [
  'leader',
  'dispatcher',
  'station',
  'grid_worker',
  'admin',
  'security_admin',
  'audit_admin',
  'county_leader',
  'county_dispatcher',
] as const

/** Roles that always belong to one town (users.town_id set). */
export const TOWN_ROLES = ['leader', 'dispatcher', 'station', 'grid_worker'] as const satisfies readonly Role[]

/** Roles that are always county-wide (users.town_id null). */
export const COUNTY_ROLES = ['county_leader', 'county_dispatcher'] as const satisfies readonly Role[]

/** The three administrator roles, which must sign in with a second factor. */
export const ADMIN_ROLES = ['admin', 'security_admin', 'audit_admin'] as const satisfies readonly Role[]
export type Role = (typeof ROLES)[number]

export interface UserTable {
  id: Generated<number>
  username: string
  display_name: string | null
  password_hash: string
  role: Role
  station_key: string | null
  staff_id: number | null
  disabled: Generated<boolean>
  created_at: ColumnType<Date, Date | undefined, never>
  created_by: number | null
  /** The user's town; null for county users (county roles, county administrators). Migration 0018. */
  town_id: ColumnType<number | null, number | null | undefined, number | null>
}

export interface UserGridTable {
  user_id: number
  area_id: number
}

export interface SessionTable {
  id: Generated<number>
  token_hash: string
  user_id: number
  created_at: ColumnType<Date, Date | undefined, never>
  /** Absolute end of the session (sign-in + the maximum lifetime). */
  expires_at: Date
  /** Last use, written at most once a minute; the idle timeout counts from it. */
  last_seen_at: Generated<Date>
  client_ip: string | null
  user_agent: string | null
}

export interface ApiTokenTable {
  id: Generated<number>
  user_id: number
  name: string
  token_hash: string
  token_prefix: string
  created_at: ColumnType<Date, Date | undefined, never>
  expires_at: Date
  last_used_at: Date | null
  revoked_at: Date | null
  /** Administrator who issued the token for its user, or null when the user made it. */
  issued_by: number | null
  revoked_by: number | null
}

export interface AppMetaTable {
  key: string
  value: ColumnType<unknown, string, string>
}
