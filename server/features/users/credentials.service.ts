import type { FastifyRequest } from 'fastify'
import type { Db } from '../../core/db/database.ts'
import type { AuditAction } from '../../core/db/tables/audit.ts'
import { COUNTY_ROLES, TOWN_ROLES, type Role } from '../../core/db/tables/auth.ts'
import { currentUser } from '../../core/auth/auth.plugin.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { insertAuditEntry, type AuditActor } from '../../core/audit/audit.repository.ts'
import { deleteSessionById, deleteUserSessions, revokeToken, revokeUserTokens } from '../../core/auth/credentials.repository.ts'
import { setUserDisabled, setUserRole } from './user-status.repository.ts'
import { findAdministeredUser, updatePasswordHash, type UserRecord } from '../../core/auth/users.repository.ts'
import type { EndedCredentials } from '../../core/auth/credential-cache.ts'
import { hashPassword } from './password-hash.ts'
import { auditActor, runAudited } from '../../core/audit/audit.service.ts'
import { issueApiToken, type IssuedToken } from './tokens.service.ts'
import { MIN_PASSWORD_LENGTH } from './users.service.ts'

/*
 * Credential management, each change in one transaction with its audit entry.
 * Every entry is about a user (subject kind "user", subject id = whom); the
 * actor and the credential they acted with are in the entry's own columns; the
 * detail says which credential was concerned and the outcome ("done" or
 * "refused"). After a change commits, the route calls credentialsEnded() so
 * that this process stops trusting the ended credentials at once.
 */

/** What a security administrator may change on a user. */
export interface UserChange {
  disabled?: boolean
  role?: Role
}

async function audit(trx: Db, actor: AuditActor, action: AuditAction, userId: number, detail: Record<string, unknown>): Promise<void> {
  await insertAuditEntry(trx, actor, { action, subjectKind: 'user', subjectIds: [userId], detail: { outcome: 'done', ...detail } })
}

/**
 * The user `userId` if the running request may act on them: a town's
 * administrators reach their town's users only, and everyone reaches
 * themselves (a town user's own town, or the county). Another town's user is
 * a 404, exactly like a missing one.
 */
export async function userOr404(trx: Db, userId: number): Promise<UserRecord> {
  const user = await findAdministeredUser(trx, userId)
  if (!user) throw new HttpError(404, 'user_not_found', { id: userId })
  return user
}

/** Issues an API token for `userId` (the caller's own, or for someone else by a security administrator), audited. */
export async function issueTokenAudited(db: Db, request: FastifyRequest, userId: number, name: string, expiresInDays?: number): Promise<IssuedToken> {
  const actor = auditActor(request)
  return db.transaction().execute(async (trx) => {
    await userOr404(trx, userId)
    const issued = await issueApiToken(trx, userId, name, expiresInDays, actor.userId)
    await audit(trx, actor, 'create', userId, { credential: { kind: 'token', id: issued.id }, name, expiresAt: issued.expiresAt })
    return issued
  })
}

/** Ends one session of `userId`; 404 when they have no such live session. */
export async function revokeSessionAudited(db: Db, request: FastifyRequest, userId: number, sessionId: number): Promise<EndedCredentials> {
  const actor = auditActor(request)
  await db.transaction().execute(async (trx) => {
    await userOr404(trx, userId)
    if (!(await deleteSessionById(trx, userId, sessionId))) throw new HttpError(404, 'session_not_found', { id: sessionId })
    await audit(trx, actor, 'revoke', userId, { credential: { kind: 'session', id: sessionId } })
  })
  return { kind: 'session', id: sessionId }
}

/** Revokes one token of `userId`; 404 when they have no such usable token. */
export async function revokeTokenAudited(db: Db, request: FastifyRequest, userId: number, tokenId: number): Promise<EndedCredentials> {
  const actor = auditActor(request)
  await db.transaction().execute(async (trx) => {
    await userOr404(trx, userId)
    if (!(await revokeToken(trx, userId, tokenId, actor.userId))) throw new HttpError(404, 'token_not_found', { id: tokenId })
    await audit(trx, actor, 'revoke', userId, { credential: { kind: 'token', id: tokenId } })
  })
  return { kind: 'token', id: tokenId }
}

/** Ends all of a user's sessions and tokens; 404 for an unknown user. */
export async function revokeAllAudited(db: Db, request: FastifyRequest, userId: number): Promise<{ sessions: number; tokens: number }> {
  const actor = auditActor(request)
  return db.transaction().execute(async (trx) => {
    await userOr404(trx, userId)
    const ended = await endAllCredentials(trx, userId, actor.userId)
    await audit(trx, actor, 'revoke', userId, { credential: 'all', ...ended })
    return ended
  })
}

async function endAllCredentials(trx: Db, userId: number, revokedBy: number | null): Promise<{ sessions: number; tokens: number }> {
  const sessions = await deleteUserSessions(trx, userId)
  const tokens = await revokeUserTokens(trx, userId, revokedBy)
  return { sessions, tokens }
}

/**
 * Disables or enables a user and/or changes their role. Disabling ends all of
 * their sessions and tokens (re-enabling brings none back). Nobody may disable
 * or change the role of themselves: refused with 409, and the refusal audited.
 */
export async function changeUserAudited(db: Db, request: FastifyRequest, userId: number, change: UserChange): Promise<UserRecord> {
  const actor = auditActor(request)
  if (change.disabled === undefined && change.role === undefined) throw new HttpError(400, 'nothing_to_change')
  return runAudited(db, async (trx) => {
    const user = await userOr404(trx, userId)
    const demotes = change.role !== undefined && change.role !== user.role
    if (userId === actor.userId && (change.disabled === true || demotes)) {
      const what = change.disabled === true ? 'disable' : 'demote'
      await insertAuditEntry(trx, actor, {
        action: 'denied',
        subjectKind: 'user',
        subjectIds: [userId],
        detail: { attempted: what === 'disable' ? 'disable' : 'role_change', outcome: 'refused', reason: 'not_yourself' },
      })
      return new HttpError(409, 'not_yourself', { what })
    }
    if (demotes) assertRoleFitsTown(change.role!, user, currentUser(request).townId)
    if (change.disabled !== undefined && change.disabled !== user.disabled) {
      await setUserDisabled(trx, userId, change.disabled)
      const ended = change.disabled ? await endAllCredentials(trx, userId, actor.userId) : undefined
      await audit(trx, actor, change.disabled ? 'disable' : 'enable', userId, ended ? { credential: 'all', ...ended } : {})
    }
    if (demotes) {
      await setUserRole(trx, userId, change.role!)
      await audit(trx, actor, 'role_change', userId, { from: user.role, to: change.role })
    }
    return userOr404(trx, userId)
  })
}

/**
 * A role change keeps the user's town: a county role only for a county user
 * (and only by a county administrator: 403 for a town's), a town role only for
 * a user of a town. Moving a user between a town and the county is a new account.
 */
function assertRoleFitsTown(role: Role, user: UserRecord, actorTownId: number | null): void {
  if ((COUNTY_ROLES as readonly Role[]).includes(role)) {
    if (actorTownId !== null) throw new HttpError(403, 'county_user_by_town_admin')
    if (user.townId !== null) throw new HttpError(400, 'county_role_for_town_user', { role })
  }
  if ((TOWN_ROLES as readonly Role[]).includes(role) && user.townId === null) throw new HttpError(400, 'town_role_for_county_user', { role })
}

/** Sets a new password for a user and ends all of their sessions and tokens. */
export async function resetPasswordAudited(db: Db, request: FastifyRequest, userId: number, password: string): Promise<{ sessions: number; tokens: number }> {
  const actor = auditActor(request)
  if (password.length < MIN_PASSWORD_LENGTH) throw new HttpError(400, 'weak_password')
  const passwordHash = await hashPassword(password)
  return db.transaction().execute(async (trx) => {
    await userOr404(trx, userId)
    await updatePasswordHash(trx, userId, passwordHash)
    const ended = await endAllCredentials(trx, userId, actor.userId)
    await audit(trx, actor, 'password_reset', userId, { credential: 'all', ...ended })
    return ended
  })
}
