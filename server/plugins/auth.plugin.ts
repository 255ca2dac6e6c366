import fp from 'fastify-plugin'
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import type { Role } from '../db/tables/auth.table.ts'
import { HttpError } from '../http-error.ts'
import { findSessionUser, findTokenUser, touchApiToken } from '../repositories/credentials.repository.ts'
import type { Db } from '../db/database.ts'
import type { UserRecord } from '../repositories/users.repository.ts'
import { CredentialCache } from '../security/credential.cache.ts'
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
  interface FastifyInstance {
    /** Recently resolved sessions and tokens. */
    credentials: CredentialCache
  }
}

/**
 * Resolves the caller from a Bearer token or the session cookie and refuses
 * any `/api` route not marked `config.public` without one (401).
 */
export default fp(
  async (app) => {
    app.decorateRequest('user', null)
    app.decorate('credentials', new CredentialCache())
    app.addHook('onRequest', async (request) => {
      if (!request.url.startsWith('/api') || request.routeOptions.config?.public) return
      if (!request.routeOptions.url) return
      request.user = await authenticate(request)
    })
  },
  { name: 'auth', dependencies: ['database', 'lang'] },
)

/** How often a token's last use is written (at most). */
const TOKEN_TOUCH_MS = 60_000

async function authenticate(request: FastifyRequest): Promise<UserRecord> {
  const header = request.headers.authorization
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header)
    if (!match || !match[1].startsWith(API_TOKEN_PREFIX)) throw new HttpError(401, 'bad_token')
    return resolveCached(request, hashSecret(match[1]), tokenUser, 'bad_token')
  }
  const cookie = request.cookies[SESSION_COOKIE]
  if (!cookie) throw new HttpError(401, 'unauthenticated')
  return resolveCached(request, hashSecret(cookie), findSessionUser, 'unauthenticated')
}

async function resolveCached(
  request: FastifyRequest,
  hash: string,
  lookup: (db: Db, hash: string) => Promise<UserRecord | undefined>,
  failure: 'bad_token' | 'unauthenticated',
): Promise<UserRecord> {
  const cache = request.server.credentials
  const cached = cache.get(hash)
  if (cached) return cached
  const user = await lookup(request.server.db, hash)
  if (!user) throw new HttpError(401, failure)
  cache.set(hash, user)
  return user
}

async function tokenUser(db: Db, hash: string): Promise<UserRecord | undefined> {
  const found = await findTokenUser(db, hash)
  if (!found) return undefined
  if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > TOKEN_TOUCH_MS) await touchApiToken(db, found.tokenId)
  return found.user
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
