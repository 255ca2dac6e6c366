import type { ColumnType } from 'kysely'

/** Failed sign-ins counted per username or client address (migration 0012). */
export interface LoginThrottleTable {
  kind: 'username' | 'address'
  key: string
  failures: number
  window_started_at: ColumnType<Date, Date | undefined, Date>
  locked_until: Date | null
}

/** A user's TOTP second factor; secrets are sealed (server/features/users/secret-box.ts). */
export interface UserSecondFactorTable {
  user_id: number
  secret: string | null
  enabled_at: Date | null
  pending_secret: string | null
  pending_created_at: Date | null
  last_used_step: ColumnType<number | null, number | null | undefined, number | null>
}

/** A single-use recovery code, stored as a SHA-256. */
export interface UserRecoveryCodeTable {
  user_id: number
  code_hash: string
  used_at: Date | null
}

/** What a login challenge lets its holder do next. */
export type ChallengePurpose = 'verify' | 'enrol'

/** The step between a correct password and the second factor (or a forced enrolment). */
export interface LoginChallengeTable {
  token_hash: string
  user_id: number
  purpose: ChallengePurpose
  created_at: ColumnType<Date, Date | undefined, never>
  expires_at: Date
}
