import type { FastifyReply, FastifyRequest } from 'fastify'
import { HttpError } from '../http/http-error.ts'
import type { Db } from '../db/database.ts'
import { NO_SCOPE, runWithDbScope } from '../db/db-scope.ts'
import { findSessionByHash, findTokenByHash, touchApiToken, touchSession } from './credentials.repository.ts'
import type { CredentialLookup, ResolvedCredential } from './credential-cache.ts'
import { cookieExpiry, idleSince, SESSION_TOUCH_MS, type SessionPolicy } from './session-policy.ts'
import { API_TOKEN_PREFIX, hashSecret } from './token.ts'

/** Name of the session cookie. */
export const SESSION_COOKIE = 'ga_session'

/** How often a token's last use is written (at most). */
const TOKEN_TOUCH_MS = 60_000

/** Options of the session cookie, shared by sign-in and the sliding refresh. */
export function sessionCookieOptions(secure: boolean, expires: Date) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, expires }
}

/**
 * Resolves the caller from a Bearer token or the session cookie: the user and
 * which credential acted. 401 when there is none, or it is unknown, revoked,
 * expired (idle or absolute) or its user is disabled. Resolved credentials are
 * cached for a few seconds, and concurrent requests share one lookup (see
 * CredentialCache); a token's entry is checked again in the background before
 * it expires, so a client sending a steady stream of requests never waits for
 * it. Lookups run with no database scope, as before the user is known.
 */
export async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<ResolvedCredential> {
  const db = request.server.db
  const header = request.headers.authorization
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header)
    if (!match || !match[1].startsWith(API_TOKEN_PREFIX)) throw new HttpError(401, 'bad_token')
    const hash = hashSecret(match[1])
    const found = await request.server.credentials.resolve(hash, () => runWithDbScope(NO_SCOPE, () => lookUpToken(db, hash)), { refreshAhead: true })
    return found.resolved
  }
  const cookie = request.cookies[SESSION_COOKIE]
  if (!cookie) throw new HttpError(401, 'unauthenticated')
  const hash = hashSecret(cookie)
  const policy: SessionPolicy = request.server.sessionPolicy
  try {
    const found = await request.server.credentials.resolve(hash, () => runWithDbScope(NO_SCOPE, () => lookUpSession(db, policy, hash)))
    // The cookie slides with the recorded use, so the browser forgets it when the server would refuse it.
    if (found.looked?.touched) reply.setCookie(SESSION_COOKIE, cookie, sessionCookieOptions(policy.secureCookies, found.looked.touched.cookieExpires))
    return found.resolved
  } catch (error) {
    if (error instanceof HttpError && error.code === 'session_expired') reply.clearCookie(SESSION_COOKIE, { path: '/' })
    throw error
  }
}

async function lookUpToken(db: Db, hash: string): Promise<CredentialLookup> {
  const found = await findTokenByHash(db, hash)
  if (!found || found.revoked || found.expiresAt.getTime() <= Date.now()) throw new HttpError(401, 'bad_token')
  if (found.user.disabled) throw new HttpError(401, 'account_disabled')
  if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > TOKEN_TOUCH_MS) await touchApiToken(db, found.tokenId)
  return {
    resolved: { user: found.user, credential: { kind: 'token', id: found.tokenId, issuedBy: found.issuedBy } },
    endsAtMs: found.expiresAt.getTime(),
  }
}

/** A session lookup, and when it recorded a use, the cookie's new expiry. */
interface SessionLookup extends CredentialLookup {
  touched?: { cookieExpires: Date }
}

async function lookUpSession(db: Db, policy: SessionPolicy, hash: string): Promise<SessionLookup> {
  const found = await findSessionByHash(db, hash)
  if (!found) throw new HttpError(401, 'unauthenticated')
  const { session, user } = found
  const now = Date.now()
  if (session.expiresAt.getTime() <= now || session.lastSeenAt <= idleSince(policy, now)) {
    throw new HttpError(401, 'session_expired', { idleMinutes: policy.idleMinutes, maxHours: policy.maxHours })
  }
  if (user.disabled) throw new HttpError(401, 'account_disabled')
  const resolved: ResolvedCredential = { user, credential: { kind: 'session', id: session.id, issuedBy: null } }
  if (now - session.lastSeenAt.getTime() < SESSION_TOUCH_MS) {
    return { resolved, endsAtMs: cookieExpiry(policy, session.lastSeenAt, session.expiresAt).getTime() }
  }
  const seen = new Date(now)
  await touchSession(db, session.id, seen)
  const cookieExpires = cookieExpiry(policy, seen, session.expiresAt)
  return { resolved, endsAtMs: cookieExpires.getTime(), touched: { cookieExpires } }
}
