import fp from 'fastify-plugin'
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import type { Role } from '../db/tables/auth.table.ts'
import { HttpError } from '../http-error.ts'
import { findSessionUser, findTokenUser, touchApiToken } from '../repositories/credentials.repository.ts'
import { findUserById, type UserRecord } from '../repositories/users.repository.ts'
import { API_TOKEN_PREFIX, hashSecret } from '../security/token.util.ts'

/** Name of the session cookie. */
export const SESSION_COOKIE = 'ga_session'

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user; set on every non-public `/api` route. */
    user: UserRecord | null
  }
  interface FastifyContextConfig {
    /** Routes that answer without a session or token. */
    public?: boolean
  }
}

/**
 * Resolves the caller from a Bearer token or the session cookie and refuses
 * any `/api` route not marked `config.public` without one (401).
 */
export default fp(
  async (app) => {
    app.decorateRequest('user', null)
    app.addHook('onRequest', async (request) => {
      if (!request.url.startsWith('/api') || request.routeOptions.config?.public) return
      if (!request.routeOptions.url) return
      request.user = await authenticate(request)
    })
  },
  { name: 'auth', dependencies: ['database', 'lang'] },
)

async function authenticate(request: FastifyRequest): Promise<UserRecord> {
  const db = request.server.db
  const header = request.headers.authorization
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header)
    if (!match || !match[1].startsWith(API_TOKEN_PREFIX)) throw new HttpError(401, 'bad_token')
    const found = await findTokenUser(db, hashSecret(match[1]))
    if (!found) throw new HttpError(401, 'bad_token')
    await touchApiToken(db, found.tokenId)
    return loadUser(request, found.userId)
  }
  const cookie = request.cookies[SESSION_COOKIE]
  if (!cookie) throw new HttpError(401, 'unauthenticated')
  const userId = await findSessionUser(db, hashSecret(cookie))
  if (userId === undefined) throw new HttpError(401, 'unauthenticated')
  return loadUser(request, userId)
}

async function loadUser(request: FastifyRequest, userId: number): Promise<UserRecord> {
  const user = await findUserById(request.server.db, userId)
  if (!user || user.disabled) throw new HttpError(401, 'unauthenticated')
  return user
}

/** A preHandler that lets only `roles` through (403 otherwise). */
export function requireRole(...roles: Role[]): preHandlerAsyncHookHandler {
  return async (request) => {
    if (!request.user) throw new HttpError(401, 'unauthenticated')
    if (!roles.includes(request.user.role)) throw new HttpError(403, 'forbidden', { roles: roles.join(', ') })
  }
}

/** The signed-in user of a protected route (they always have one). */
export function currentUser(request: FastifyRequest): UserRecord {
  if (!request.user) throw new HttpError(401, 'unauthenticated')
  return request.user
}
