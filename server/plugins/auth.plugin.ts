import fp from 'fastify-plugin'
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import type { Role } from '../db/tables/auth.table.ts'
import { HttpError } from '../http-error.ts'
import type { UserRecord } from '../repositories/users.repository.ts'
import { authenticate } from '../security/authenticate.ts'
import { CredentialCache, type Credential } from '../security/credential.cache.ts'
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from '../security/session.policy.ts'

/** Name of the session cookie. */
export { SESSION_COOKIE } from '../security/authenticate.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user; set on every non-public `/api` route. */
    user: UserRecord | null
    /** Which session or token the request was made with (null on public routes). */
    credential: Credential | null
  }
  interface FastifyContextConfig {
    /** Routes that answer without a session or token. */
    public?: boolean
  }
  interface FastifyInstance {
    /** Recently resolved sessions and tokens. */
    credentials: CredentialCache
    /** Idle timeout, absolute lifetime and cookie flags of browser sessions. */
    sessionPolicy: SessionPolicy
  }
}

/**
 * Resolves the caller from a Bearer token or the session cookie and refuses
 * any `/api` route not marked `config.public` without one (401).
 */
export default fp<{ sessionPolicy?: SessionPolicy }>(
  async (app, options) => {
    app.decorateRequest('user', null)
    app.decorateRequest('credential', null)
    app.decorate('credentials', new CredentialCache())
    app.decorate('sessionPolicy', options.sessionPolicy ?? DEFAULT_SESSION_POLICY)
    app.addHook('onRequest', async (request, reply) => {
      if (!request.url.startsWith('/api') || request.routeOptions.config?.public) return
      if (!request.routeOptions.url) return
      const resolved = await authenticate(request, reply)
      request.user = resolved.user
      request.credential = resolved.credential
    })
  },
  { name: 'auth', dependencies: ['database', 'lang'] },
)

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
