import { sql } from 'kysely'
import type { Db } from '../../core/db/database.ts'
import { administeredUsers } from '../../core/auth/users.repository.ts'

/** What failed sign-ins are counted per. */
export type ThrottleKind = 'username' | 'address'

/** Limits applied by {@link recordLoginFailure}. */
export interface ThrottleLimits {
  maxFailures: number
  windowSeconds: number
  lockSeconds: number
}

/** The counter after one more failure. `lockedNow` is true for exactly the failure that locked it. */
export interface FailureCount {
  failures: number
  lockedUntil: Date | null
  lockedNow: boolean
}

/** A current lock, as listed to the security administrator. */
export interface LockRow {
  kind: ThrottleKind
  key: string
  failures: number
  lockedUntil: Date
}

/**
 * Counts one failed sign-in for `key`, atomically (one INSERT … ON CONFLICT …
 * DO UPDATE … RETURNING, so concurrent requests and server processes never lose
 * a count). The count starts again after the window or an expired lock; the
 * failure reaching `maxFailures` sets the lock.
 */
export async function recordLoginFailure(db: Db, kind: ThrottleKind, key: string, limits: ThrottleLimits): Promise<FailureCount> {
  const window = sql`make_interval(secs => ${limits.windowSeconds})`
  const lock = sql`make_interval(secs => ${limits.lockSeconds})`
  const startsAgain = sql`(t.window_started_at < now() - ${window} OR t.locked_until <= now())`
  const result = await sql<{ failures: number; locked_until: Date | string | null }>`
    INSERT INTO login_throttle AS t (kind, key, failures, window_started_at, locked_until)
    VALUES (${kind}, ${key}, 1, now(), CASE WHEN 1 >= ${limits.maxFailures}::int THEN now() + ${lock} END)
    ON CONFLICT (kind, key) DO UPDATE SET
      failures = CASE WHEN ${startsAgain} THEN 1 ELSE t.failures + 1 END,
      window_started_at = CASE WHEN ${startsAgain} THEN now() ELSE t.window_started_at END,
      locked_until = CASE
        WHEN ${startsAgain} THEN CASE WHEN 1 >= ${limits.maxFailures}::int THEN now() + ${lock} END
        WHEN t.locked_until > now() THEN t.locked_until
        WHEN t.failures + 1 >= ${limits.maxFailures}::int THEN now() + ${lock}
      END
    RETURNING failures, locked_until`.execute(db)
  const row = result.rows[0]
  const lockedUntil = row.locked_until === null ? null : new Date(row.locked_until)
  return { failures: row.failures, lockedUntil, lockedNow: lockedUntil !== null && row.failures === limits.maxFailures }
}

/** The latest time any of `keys` stays locked until, or null when none is locked now. */
export async function findActiveLock(db: Db, keys: Array<{ kind: ThrottleKind; key: string }>): Promise<Date | null> {
  if (keys.length === 0) return null
  const row = await db
    .selectFrom('login_throttle')
    .select((eb) => eb.fn.max('locked_until').as('until'))
    .where((eb) => eb.or(keys.map(({ kind, key }) => eb.and([eb('kind', '=', kind), eb('key', '=', key)]))))
    .where('locked_until', '>', sql<Date>`now()`)
    .executeTakeFirst()
  return row?.until ? new Date(row.until) : null
}

/** Forgets the failures counted for `key` (a successful sign-in, or an unlock); true if there were any. */
export async function clearLoginFailures(db: Db, kind: ThrottleKind, key: string): Promise<boolean> {
  const result = await db.deleteFrom('login_throttle').where('kind', '=', kind).where('key', '=', key).executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

/**
 * Locks in force now, the longest first: every lock, or (`everyLock` false)
 * only those of usernames of users the running request administers (see
 * administeredUsers: a town's administrator, their town's users).
 */
export async function listActiveLocks(db: Db, options: { everyLock: boolean }): Promise<LockRow[]> {
  let query = db
    .selectFrom('login_throttle')
    .select(['kind', 'key', 'failures', 'locked_until'])
    .where('locked_until', '>', sql<Date>`now()`)
  if (!options.everyLock) {
    const usernames = db.selectFrom('users').select('users.username').$call(administeredUsers)
    query = query.where('kind', '=', 'username').where('key', 'in', usernames)
  }
  const rows = await query.orderBy('locked_until', 'desc').execute()
  return rows.map((row) => ({ kind: row.kind, key: row.key, failures: row.failures, lockedUntil: new Date(row.locked_until!) }))
}

/**
 * Drops counters that no longer count (window over, no lock in force) and
 * expired login challenges, so guessed usernames do not pile up.
 */
export async function pruneLoginState(db: Db, windowSeconds: number): Promise<void> {
  await sql`DELETE FROM login_throttle
    WHERE window_started_at < now() - make_interval(secs => ${windowSeconds})
      AND (locked_until IS NULL OR locked_until <= now())`.execute(db)
  await sql`DELETE FROM login_challenges WHERE expires_at <= now()`.execute(db)
}
