import { AsyncResource } from 'node:async_hooks'
import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { HttpError } from '../http/http-error.ts'
import { insertAuditEntry } from '../audit/audit.repository.ts'
import type { UserRecord } from './users.repository.ts'
import { declaredAccess, roleMayCall, type Access } from './access.ts'
import { authenticate } from './authenticate.ts'
import { CredentialCache, type Credential } from './credential-cache.ts'
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from './session-policy.ts'
import { NO_SCOPE, runWithDbScopeHolder, type DbScope, type DbScopeHolder } from '../db/db-scope.ts'
import { userScope } from './scope.ts'

/** Name of the session cookie. */
export { SESSION_COOKIE } from './authenticate.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user; set on every route whose access is not `'public'`. */
    user: UserRecord | null
    /** Which session or token the request was made with (null on public routes). */
    credential: Credential | null
    /** The database scope of the request's statements: none until the user is known, then theirs. */
    dbScope: DbScopeHolder | null
  }
  interface FastifyInstance {
    /** Recently resolved sessions and tokens. */
    credentials: CredentialCache
    /** Every registered route with its access declaration (for the access test and the docs). */
    routeAccess: RouteAccess[]
    /** Idle timeout, absolute lifetime and cookie flags of browser sessions. */
    sessionPolicy: SessionPolicy
  }
}

/** A registered route and who may call it. */
export interface RouteAccess {
  method: string
  url: string
  access: Access
}

/**
 * Deny by default. Every route must declare `config.access` (see {@link Access}):
 * registering one without it throws, so a forgotten declaration stops the
 * server instead of opening a route. On each request the declaration of the
 * MATCHED route is checked in `onRequest` — after the router has decoded and
 * matched the path (so `/%61pi/…` is checked like `/api/…`) and before the
 * body is parsed or validated (so a refused role gets 403 whatever it sends).
 */
export default fp<{ sessionPolicy?: SessionPolicy }>(
  async (app, options) => {
    app.decorateRequest('user', null)
    app.decorateRequest('credential', null)
    app.decorateRequest('dbScope', null)
    app.decorate('credentials', new CredentialCache())
    app.decorate('sessionPolicy', options.sessionPolicy ?? DEFAULT_SESSION_POLICY)
    app.decorate('routeAccess', [] as RouteAccess[])
    app.addHook('onRoute', (route) => {
      const access = declaredAccess(route.config)
      if (access === undefined) {
        throw new Error(`Route ${String(route.method)} ${route.url} declares no access (config.access): every route must say who may call it`)
      }
      for (const method of [route.method].flat()) app.routeAccess.push({ method, url: route.url, access })
    })
    // Every request runs its statements in its own database scope (row-level
    // security, migration 0019): none (nothing town-owned visible) until the
    // access hook below knows the user. The context is entered with a callback
    // hook, so every later hook and the handler run inside it, and re-entered
    // before validation, as body parsing may run outside it.
    const scopeResources = new WeakMap<FastifyRequest, AsyncResource>()
    app.addHook('onRequest', (request, _reply, done) => {
      const holder: DbScopeHolder = { scope: NO_SCOPE }
      request.dbScope = holder
      runWithDbScopeHolder(holder, () => {
        scopeResources.set(request, new AsyncResource('gridatlas-db-scope'))
        done()
      })
    })
    app.addHook('preValidation', (request, _reply, done) => {
      const resource = scopeResources.get(request)
      if (!resource) return done()
      resource.runInAsyncScope(done)
    })
    app.addHook('onRequest', async (request, reply) => {
      // The not-found handler has no route: it answers 404 to everyone.
      if (!request.routeOptions.url) return
      const access = declaredAccess(request.routeOptions.config)
      if (access === undefined) throw new HttpError(500, 'internal')
      if (access === 'public') return
      const resolved = await authenticate(request, reply)
      request.user = resolved.user
      request.credential = resolved.credential
      if (request.dbScope) request.dbScope.scope = dbScopeOf(resolved.user)
      if (access === 'signed-in') return
      const role = request.user.role
      if (roleMayCall(access, role)) return
      await auditRefusal(request, access.audit ?? 'route')
      const refusal = access.refusals?.[role]
      if (refusal) throw new HttpError(403, refusal)
      throw new HttpError(403, 'forbidden', { roles: access.roles.join(', ') })
    })
  },
  { name: 'auth', dependencies: ['database', 'lang'] },
)

/**
 * Writes the `denied` audit entry of a refused role: the subject is the route's
 * `:id` when it has one, and the detail names the route it tried.
 */
async function auditRefusal(request: FastifyRequest, subjectKind: string): Promise<void> {
  const user = request.user!
  const id = Number((request.params as Record<string, string> | undefined)?.id)
  await insertAuditEntry(
    request.server.db,
    { userId: user.id, username: user.username, role: user.role, ip: request.ip ?? null, credential: request.credential },
    {
      action: 'denied',
      subjectKind,
      subjectIds: Number.isSafeInteger(id) && id > 0 ? [id] : [],
      detail: { method: request.method, route: request.routeOptions.url },
    },
  )
}

/** The database scope of a signed-in user's statements: their town, or the county. */
export function dbScopeOf(user: UserRecord): DbScope {
  return userScope(user)
}

/** The signed-in user of a protected route (they always have one). */
export function currentUser(request: FastifyRequest): UserRecord {
  if (!request.user) throw new HttpError(401, 'unauthenticated')
  return request.user
}
