import type { FastifyReply, FastifyRequest } from 'fastify'
import { deleteEndedSessions, insertSession } from '../../core/auth/credentials.repository.ts'
import { SESSION_COOKIE, sessionCookieOptions } from '../../core/auth/authenticate.ts'
import { cookieExpiry, idleSince } from '../../core/auth/session-policy.ts'
import { hashSecret, newSecret } from '../../core/auth/token.ts'

/**
 * Opens a browser session for `userId` after a successful sign-in: stores it
 * (by the hash of its cookie value) with its absolute end, and sets the
 * HttpOnly cookie, which expires when the session would go idle (it slides
 * with use, see authenticate.ts). Returns the session id. The user's ended
 * sessions are deleted on the way, so the table does not keep every sign-in.
 */
export async function startSession(request: FastifyRequest, reply: FastifyReply, userId: number): Promise<number> {
  const policy = request.server.sessionPolicy
  const secret = newSecret()
  const now = new Date()
  const expiresAt = new Date(now.getTime() + policy.maxHours * 3_600_000)
  await deleteEndedSessions(request.server.db, userId, idleSince(policy, now.getTime()))
  const id = await insertSession(request.server.db, {
    tokenHash: hashSecret(secret),
    userId,
    expiresAt,
    clientIp: request.ip ?? null,
    userAgent: request.headers['user-agent'] ?? null,
  })
  reply.setCookie(SESSION_COOKIE, secret, sessionCookieOptions(policy.secureCookies, cookieExpiry(policy, now, expiresAt)))
  return id
}
