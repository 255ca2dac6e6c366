import type { FastifyInstance, FastifyReply } from 'fastify'
import { SESSION_COOKIE } from '../plugins/auth.plugin.ts'
import { insertSession } from '../repositories/credentials.repository.ts'
import { hashSecret, newSecret } from '../security/token.util.ts'

/** How long a browser session lasts. */
export const SESSION_DAYS = 7
const DAY_MS = 86_400_000

/**
 * Creates a browser session for `userId` and sets its HttpOnly cookie: the
 * one place sessions start (after the password, or after the second factor).
 */
export async function startSession(app: FastifyInstance, reply: FastifyReply, userId: number, secureCookies: boolean): Promise<void> {
  const secret = newSecret()
  const expiresAt = new Date(Date.now() + SESSION_DAYS * DAY_MS)
  await insertSession(app.db, hashSecret(secret), userId, expiresAt)
  reply.setCookie(SESSION_COOKIE, secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies,
    expires: expiresAt,
  })
}
