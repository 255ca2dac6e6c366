import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { DbEngine } from './core/db/engine.ts'
import { serializeLogError } from './core/logging/log-safe-error.ts'
import { parsePublicUrl } from './core/hardening/public-origin.ts'
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from './core/hardening/request-limits.ts'
import corePlugin from './core/core.plugin.ts'
import clientPlugin from './core/http/client.plugin.ts'
import secondFactorGatePlugin from './features/users/second-factor-gate.plugin.ts'
import analyticsFeature from './features/analytics/analytics.plugin.ts'
import areasFeature from './features/areas/areas.plugin.ts'
import auditFeature from './features/audit/audit.plugin.ts'
import casesFeature from './features/cases/cases.plugin.ts'
import countyFeature from './features/county/county.plugin.ts'
import keyPersonsFeature from './features/key-persons/key-persons.plugin.ts'
import ledgerImportFeature from './features/ledger-import/ledger-import.plugin.ts'
import liveFeature from './features/live/live.plugin.ts'
import ogcFeature from './features/ogc/ogc.plugin.ts'
import usersFeature from './features/users/users.plugin.ts'
import { createValidatorCompiler } from './core/http/validator.ts'
import { SchemaCompilations } from './core/http/schema-compilations.ts'
import { DEFAULT_SESSION_POLICY } from './core/auth/session-policy.ts'
import { resolveLoginPolicy, type LoginPolicy } from './features/users/login-policy.ts'

/** Largest JSON body accepted by default (routes needing more raise their own limit). */
export const BODY_LIMIT_BYTES = 1024 * 1024

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  engine: DbEngine
  clientDir?: string
  geodataDir?: string
  logLevel?: string
  secureCookies?: boolean
  trustProxy?: boolean
  /** Folder of uploaded case photos (default: a `gridatlas-photos` folder in the OS temp dir, for tests). */
  photoDir?: string
  /** Where the log goes instead of stdout (tests read it back). */
  logStream?: NodeJS.WritableStream
  /** Minutes a browser session may stay unused (default 30; `SESSION_IDLE_MINUTES`). */
  sessionIdleMinutes?: number
  /** Hours a browser session lasts at most (default 12; `SESSION_MAX_HOURS`). */
  sessionMaxHours?: number
  /** How often open live streams are re-checked against the database (default 30 000 ms). */
  liveStreamRecheckMs?: number
  /** Login throttling and second-factor settings; unset fields take DEFAULT_LOGIN_POLICY. */
  login?: Partial<LoginPolicy>
  /** Address users open (`PUBLIC_URL`): the app's own origin and the base of absolute links. */
  publicUrl?: string
  /** Streaming replica for the routes declaring `config.reads: 'replica'` (`DATABASE_REPLICA_URL`). */
  replicaUrl?: string
  /** Timeouts and caps (defaults: {@link DEFAULT_REQUEST_LIMITS}). */
  limits?: Partial<RequestLimits>
  /**
   * Settles when the database is migrated and seeded, if that is still under way
   * (`npm start` builds the app meanwhile). Plugins only register routes before it;
   * the start-up work that reads the database (the `onReady` hooks) runs after it.
   */
  databaseReady?: Promise<unknown>
}

/** Builds the GridAtlas HTTP application on an open, migrated database (or one being prepared: `databaseReady`). */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const merged: RequestLimits = { ...DEFAULT_REQUEST_LIMITS, ...options.limits }
  // Node refuses a headers timeout longer than the whole-request timeout.
  const limits: RequestLimits = { ...merged, headersTimeoutMs: Math.min(merged.headersTimeoutMs, merged.requestTimeoutMs) }
  // Route schemas are compiled on first use (schema-compilations.ts says why).
  const schemaCompilations = new SchemaCompilations()
  const app = Fastify({
    schemaController: { compilersFactory: { buildSerializer: schemaCompilations.serializerFactory() } },
    logger: {
      level: options.logLevel ?? 'warn',
      // Database errors carry bound parameters and row values; log only their safe fields.
      serializers: { err: (error: Error) => serializeLogError(error) },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: options.trustProxy ?? false,
    routerOptions: { ignoreTrailingSlash: true },
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.connectionTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Node looks for expired requests only this often (30 s by default).
      connectionsCheckingInterval: Math.max(50, Math.min(5_000, limits.headersTimeoutMs / 4)),
    },
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.setValidatorCompiler(createValidatorCompiler(schemaCompilations))
  app.decorate('schemaCompilations', schemaCompilations)
  app.addHook('onClose', async () => schemaCompilations.stop())

  await app.register(corePlugin, {
    engine: options.engine,
    replicaUrl: options.replicaUrl,
    publicOrigin: { publicUrl: parsePublicUrl(options.publicUrl), trustProxy: options.trustProxy ?? false },
    limits,
    https: options.secureCookies ?? false,
    sessionPolicy: {
      idleMinutes: options.sessionIdleMinutes ?? DEFAULT_SESSION_POLICY.idleMinutes,
      maxHours: options.sessionMaxHours ?? DEFAULT_SESSION_POLICY.maxHours,
      secureCookies: options.secureCookies ?? false,
    },
  })
  app.decorate('loginPolicy', resolveLoginPolicy(options.login))
  await app.register(secondFactorGatePlugin)

  // Each feature is one plugin; its routes are relative to its prefixes under /api.
  await app.register(ogcFeature, { prefix: '/api' })
  await app.register(usersFeature, { prefix: '/api', secureCookies: options.secureCookies ?? false })
  await app.register(auditFeature, { prefix: '/api' })
  await app.register(areasFeature, { prefix: '/api' })
  await app.register(casesFeature, { prefix: '/api', photoDir: options.photoDir ?? join(tmpdir(), 'gridatlas-photos') })
  await app.register(keyPersonsFeature, { prefix: '/api' })
  await app.register(ledgerImportFeature, { prefix: '/api' })
  await app.register(analyticsFeature, { prefix: '/api' })
  await app.register(countyFeature, { prefix: '/api' })
  await app.register(liveFeature, { prefix: '/api', recheckMs: options.liveStreamRecheckMs })

  if (options.clientDir && options.geodataDir) {
    await app.register(clientPlugin, { clientDir: options.clientDir, geodataDir: options.geodataDir })
  }
  await options.databaseReady
  await app.ready()
  return app
}
