import type { FastifyReply, FastifyRequest } from 'fastify'
import { HttpError } from '../http/http-error.ts'
import { findSessionByHash, findTokenByHash, touchApiToken, touchSession } from './credentials.repository.ts'
import type { ResolvedCredential } from './credential-cache.ts'
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
 * cached for a few seconds (see CredentialCache).
 */
export async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<ResolvedCredential> {
  const header = request.headers.authorization
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header)
    if (!match || !match[1].startsWith(API_TOKEN_PREFIX)) throw new HttpError(401, 'bad_token')
    const hash = hashSecret(match[1])
    return request.server.credentials.get(hash) ?? remember(request, hash, await resolveToken(request, hash))
  }
  const cookie = request.cookies[SESSION_COOKIE]
  if (!cookie) throw new HttpError(401, 'unauthenticated')
  const hash = hashSecret(cookie)
  return request.server.credentials.get(hash) ?? remember(request, hash, await resolveSession(request, reply, hash))
}

function remember(request: FastifyRequest, hash: string, resolved: ResolvedCredential): ResolvedCredential {
  request.server.credentials.set(hash, resolved)
  return resolved
}

async function resolveToken(request: FastifyRequest, hash: string): Promise<ResolvedCredential> {
  const db = request.server.db
  const found = await findTokenByHash(db, hash)
  if (!found || found.revoked || found.expiresAt.getTime() <= Date.now()) throw new HttpError(401, 'bad_token')
  if (found.user.disabled) throw new HttpError(401, 'account_disabled')
  if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > TOKEN_TOUCH_MS) await touchApiToken(db, found.tokenId)
  return { user: found.user, credential: { kind: 'token', id: found.tokenId, issuedBy: found.issuedBy } }
}

async function resolveSession(request: FastifyRequest, reply: FastifyReply, hash: string): Promise<ResolvedCredential> {
  const db = request.server.db
  const policy: SessionPolicy = request.server.sessionPolicy
  const found = await findSessionByHash(db, hash)
  if (!found) throw new HttpError(401, 'unauthenticated')
  const { session, user } = found
  const now = Date.now()
  if (session.expiresAt.getTime() <= now || session.lastSeenAt <= idleSince(policy, now)) {
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    throw new HttpError(401, 'session_expired', { idleMinutes: policy.idleMinutes, maxHours: policy.maxHours })
  }
  if (user.disabled) throw new HttpError(401, 'account_disabled')
  if (now - session.lastSeenAt.getTime() >= SESSION_TOUCH_MS) {
    const seen = new Date(now)
    await touchSession(db, session.id, seen)
    // The cookie slides with the recorded use, so the browser forgets it when the server would refuse it.
    const cookie = request.cookies[SESSION_COOKIE]!
    reply.setCookie(SESSION_COOKIE, cookie, sessionCookieOptions(policy.secureCookies, cookieExpiry(policy, seen, session.expiresAt)))
  }
  return { user, credential: { kind: 'session', id: session.id, issuedBy: null } }
}
