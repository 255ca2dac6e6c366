import fp from 'fastify-plugin'
import cookie from '@fastify/cookie'
import authPlugin from './auth/auth.plugin.ts'
import type { SessionPolicy } from './auth/session-policy.ts'
import databasePlugin from './db/database.plugin.ts'
import type { DbEngine } from './db/engine.ts'
import hardeningPlugin from './hardening/hardening.plugin.ts'
import type { PublicOriginSettings } from './hardening/public-origin.ts'
import type { RequestLimits } from './hardening/request-limits.ts'
import errorsPlugin from './http/errors.plugin.ts'
import openapiPlugin from './http/openapi.plugin.ts'
import langPlugin from './i18n/lang.plugin.ts'
import livePlugin from './live/live.plugin.ts'
import replicaPlugin from './db/replica.plugin.ts'
import credentialSyncPlugin from './auth/credential-sync.plugin.ts'

/** Options of {@link corePlugin}. */
export interface CoreOptions {
  engine: DbEngine
  /** Streaming replica for read-heavy routes (see db/replica.plugin.ts). */
  replicaUrl?: string
  publicOrigin: PublicOriginSettings
  limits: RequestLimits
  /** HTTPS deployment: Secure cookies and HSTS. */
  https: boolean
  sessionPolicy: SessionPolicy
}

/**
 * The infrastructure every feature stands on, in the order it must run:
 * cookies, the request language, error answers, hardening (headers, origin
 * and content-type checks, limits), the database, authentication with the
 * per-route access check, the read replica (request.readDb), the OpenAPI
 * document, the live event bus and the cross-process end of credentials. Not
 * encapsulated: its decorators and hooks apply to every feature.
 */
export default fp<CoreOptions>(
  async (app, options) => {
    await app.register(cookie)
    await app.register(langPlugin)
    await app.register(errorsPlugin)
    await app.register(hardeningPlugin, { publicOrigin: options.publicOrigin, limits: options.limits, https: options.https })
    await app.register(databasePlugin, { engine: options.engine })
    await app.register(authPlugin, { sessionPolicy: options.sessionPolicy })
    await app.register(replicaPlugin, { replicaUrl: options.replicaUrl })
    await app.register(openapiPlugin)
    await app.register(livePlugin)
    await app.register(credentialSyncPlugin)
  },
  { name: 'core' },
)
