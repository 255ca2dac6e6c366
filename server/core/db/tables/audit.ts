import type { ColumnType, Generated } from 'kysely'

/** What an audit entry records. */
export const AUDIT_ACTIONS = ['read', 'list', 'reveal', 'denied', 'create', 'update', 'visit', 'archive', 'settings',
  // credential management (migration 0011)
  'revoke', 'disable', 'enable', 'password_reset', 'role_change',
  // Sign-in protection (migration 0012).
  'login_failed', 'lockout', 'unlock', 'second_factor'] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

/** One append-only audit entry (UPDATE and DELETE are refused by a trigger). */
export interface AuditLogTable {
  id: Generated<number>
  at: ColumnType<Date, Date | undefined, never>
  user_id: number | null
  username: string
  role: string
  action: AuditAction
  subject_kind: string
  subject_ids: ColumnType<number[], number[] | undefined, never>
  fields: ColumnType<string[], string[] | undefined, never>
  reason: string | null
  request_ip: string | null
  detail: ColumnType<unknown, string | null | undefined, never>
  /** Which credential acted (migration 0011); null for the system and older entries. */
  credential_kind: 'session' | 'token' | null
  credential_id: number | null
  /** For a token an administrator issued for the acting user: that administrator. */
  credential_issued_by: number | null
  /** Town of the user who acted (migration 0018); null for county users, the system and sign-ins of unknown users. */
  town_id: ColumnType<number | null, number | null | undefined, never>
}
