import type { FastifyReply } from 'fastify'
import type { Db } from '../../core/db/database.ts'
import type { Role } from '../../core/db/tables/auth.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { insertAuditEntry, type AuditActor } from '../../core/audit/audit.repository.ts'
import { clearLoginFailures, findActiveLock, pruneLoginState, recordLoginFailure } from './login-throttle.repository.ts'
import type { LoginPolicy } from './login-policy.ts'

/** Who is trying to sign in, from where. */
export interface LoginAttempt {
  username: string
  address: string
}

/** The account a sign-in attempt named, when it exists. */
export interface AttemptedUser {
  id: number
  role: Role
}

/** Which step of the sign-in failed. */
export type FailedStep = 'password' | 'second_factor'

/**
 * A 429 telling how long to wait, with `Retry-After` set on `reply` (the
 * error handler keeps the reply's headers).
 */
function lockedError(reply: FastifyReply, lockedUntil: Date): HttpError {
  const seconds = Math.max(1, Math.ceil((lockedUntil.getTime() - Date.now()) / 1000))
  reply.header('retry-after', String(seconds))
  return new HttpError(429, 'login_locked', { minutes: Math.ceil(seconds / 60) }, { retryAfterSeconds: seconds })
}

/** Refuses (429) a sign-in step while the username or the address is locked, even with the right password. */
export async function assertLoginAllowed(db: Db, attempt: LoginAttempt, reply: FastifyReply): Promise<void> {
  const lockedUntil = await findActiveLock(db, [
    { kind: 'username', key: attempt.username },
    { kind: 'address', key: attempt.address },
  ])
  if (lockedUntil) throw lockedError(reply, lockedUntil)
}

/**
 * Counts a failed step for the username and the address, audits it (and a
 * lock it causes), and returns the error to answer: 429 once locked, else 401
 * with `failure`. Written outside any transaction, so the refusal cannot roll it back.
 */
export async function refuseLogin(
  db: Db,
  policy: LoginPolicy,
  attempt: LoginAttempt,
  user: AttemptedUser | undefined,
  step: FailedStep,
  reply: FastifyReply,
  failure: HttpError,
): Promise<HttpError> {
  const windowSeconds = policy.failureWindowMinutes * 60
  const lockSeconds = policy.lockMinutes * 60
  const byUsername = await recordLoginFailure(db, 'username', attempt.username, { maxFailures: policy.maxFailuresPerUsername, windowSeconds, lockSeconds })
  const byAddress = await recordLoginFailure(db, 'address', attempt.address, { maxFailures: policy.maxFailuresPerAddress, windowSeconds, lockSeconds })
  const actor: AuditActor = { userId: user?.id ?? null, username: attempt.username, role: user?.role ?? 'anonymous', ip: attempt.address }
  const subjectIds = user ? [user.id] : []
  await insertAuditEntry(db, actor, {
    action: 'login_failed',
    subjectKind: 'user',
    subjectIds,
    detail: { step, usernameFailures: byUsername.failures, addressFailures: byAddress.failures },
  })
  for (const [kind, count] of [['username', byUsername], ['address', byAddress]] as const) {
    if (!count.lockedNow) continue
    const key = kind === 'username' ? attempt.username : attempt.address
    await insertAuditEntry(db, actor, {
      action: 'lockout',
      subjectKind: 'login',
      subjectIds,
      detail: { kind, key, failures: count.failures, lockedUntil: count.lockedUntil?.toISOString() },
    })
  }
  const lockedUntil = [byUsername.lockedUntil, byAddress.lockedUntil].filter((until): until is Date => until !== null && until.getTime() > Date.now())
  if (lockedUntil.length > 0) return lockedError(reply, new Date(Math.max(...lockedUntil.map((until) => until.getTime()))))
  return failure
}

/**
 * A completed sign-in forgets the username's failures. The address's count
 * stays: one valid account must not reset guessing against all the others.
 * It also prunes stale counters and expired challenges (cheap, and sign-ins
 * are rare enough that no separate job is needed).
 */
export async function acceptLogin(db: Db, policy: LoginPolicy, attempt: LoginAttempt): Promise<void> {
  await clearLoginFailures(db, 'username', attempt.username)
  await pruneLoginState(db, policy.failureWindowMinutes * 60)
}
