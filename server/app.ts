import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import cookie from '@fastify/cookie'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { DbEngine } from './core/db/engine.ts'
import { serializeLogError } from './core/logging/log-safe-error.ts'
import hardeningPlugin from './core/hardening/hardening.plugin.ts'
import { parsePublicUrl } from './core/hardening/public-origin.ts'
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from './core/hardening/request-limits.ts'
import authPlugin from './core/auth/auth.plugin.ts'
import clientPlugin from './core/http/client.plugin.ts'
import databasePlugin from './core/db/database.plugin.ts'
import errorsPlugin from './core/http/errors.plugin.ts'
import keyPersonRetentionPlugin from './features/key-persons/retention.plugin.ts'
import langPlugin from './core/i18n/lang.plugin.ts'
import livePlugin from './core/live/live.plugin.ts'
import openapiPlugin from './core/http/openapi.plugin.ts'
import secondFactorGatePlugin from './features/users/second-factor-gate.plugin.ts'
import { createValidatorCompiler } from './core/http/validator.ts'
import { DEFAULT_SESSION_POLICY } from './core/auth/session-policy.ts'
import areaHistoryRoutes from './features/areas/history/history.routes.ts'
import analyticsSettingsRoutes from './features/analytics/settings.routes.ts'
import binsRoutes from './features/analytics/bins/bins.routes.ts'
import disputeClustersRoutes from './features/analytics/dispute-clusters/clusters.routes.ts'
import jointCasesRoutes from './features/analytics/dispute-clusters/joint-cases.routes.ts'
import kpisRoutes from './features/analytics/kpis/kpis.routes.ts'
import riskRoutes from './features/analytics/risk/risk.routes.ts'
import tilesRoutes from './features/analytics/tiles/tiles.routes.ts'
import areasRoutes from './features/areas/areas.routes.ts'
import boundariesRoutes from './features/areas/boundaries/boundaries.routes.ts'
import boundaryIoRoutes from './features/areas/io/io.routes.ts'
import auditRoutes from './features/audit/audit.routes.ts'
import authRoutes from './features/users/auth.routes.ts'
import credentialsRoutes from './features/users/credentials.routes.ts'
import securityUsersRoutes from './features/users/security-users.routes.ts'
import caseCountsRoutes from './features/cases/counts.routes.ts'
import caseExportsRoutes from './features/cases/exports.routes.ts'
import caseItemsRoutes from './features/cases/items.routes.ts'
import casePhotosRoutes from './features/cases/photos.routes.ts'
import caseRevealRoutes from './features/cases/reveal.routes.ts'
import caseSettingsRoutes from './features/cases/settings.routes.ts'
import caseTimelineRoutes from './features/cases/timeline.routes.ts'
import dispatchQueueRoutes from './features/cases/dispatch-queue.routes.ts'
import disputesRoutes from './features/cases/disputes.routes.ts'
import hazardsRoutes from './features/cases/hazards.routes.ts'
import leadsRoutes from './features/cases/leads.routes.ts'
import keyPersonSettingsRoutes from './features/key-persons/settings.routes.ts'
import keyPersonsSummaryRoutes from './features/key-persons/summary.routes.ts'
import keyPersonsRoutes from './features/key-persons/key-persons.routes.ts'
import liveEventsRoutes from './features/live/live.routes.ts'
import metaRoutes from './features/areas/meta.routes.ts'
import stationsRoutes from './features/cases/stations.routes.ts'
import areaItemsEditRoutes from './features/areas/boundaries/items-edit.routes.ts'
import collectionsRoutes from './features/ogc/collections.routes.ts'
import itemsRoutes from './features/ogc/items.routes.ts'
import keyPersonsItemsRoutes from './features/key-persons/items.routes.ts'
import landingRoutes from './features/ogc/landing.routes.ts'
import usersRoutes from './features/users/users.routes.ts'
import secondFactorRoutes from './features/users/second-factor.routes.ts'
import securityLockoutsRoutes from './features/users/lockouts.routes.ts'
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
  /** Timeouts and caps (defaults: {@link DEFAULT_REQUEST_LIMITS}). */
  limits?: Partial<RequestLimits>
}

/** Builds the GridAtlas HTTP application on an open, migrated database. */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const merged: RequestLimits = { ...DEFAULT_REQUEST_LIMITS, ...options.limits }
  // Node refuses a headers timeout longer than the whole-request timeout.
  const limits: RequestLimits = { ...merged, headersTimeoutMs: Math.min(merged.headersTimeoutMs, merged.requestTimeoutMs) }
  const app = Fastify({
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
  app.setValidatorCompiler(createValidatorCompiler())

  await app.register(cookie)
  await app.register(langPlugin)
  await app.register(errorsPlugin)
  await app.register(hardeningPlugin, {
    publicOrigin: { publicUrl: parsePublicUrl(options.publicUrl), trustProxy: options.trustProxy ?? false },
    limits,
    https: options.secureCookies ?? false,
  })
  await app.register(databasePlugin, { engine: options.engine })
  await app.register(authPlugin, {
    sessionPolicy: {
      idleMinutes: options.sessionIdleMinutes ?? DEFAULT_SESSION_POLICY.idleMinutes,
      maxHours: options.sessionMaxHours ?? DEFAULT_SESSION_POLICY.maxHours,
      secureCookies: options.secureCookies ?? false,
    },
  })
  app.decorate('loginPolicy', resolveLoginPolicy(options.login))
  await app.register(secondFactorGatePlugin)
  await app.register(openapiPlugin)
  await app.register(livePlugin)

  await app.register(landingRoutes)
  await app.register(collectionsRoutes)
  await app.register(itemsRoutes)
  await app.register(authRoutes)
  await app.register(credentialsRoutes)
  await app.register(securityUsersRoutes)
  await app.register(usersRoutes)
  await app.register(secondFactorRoutes, { secureCookies: options.secureCookies ?? false })
  await app.register(securityLockoutsRoutes)
  await app.register(areasRoutes)
  await app.register(areaItemsEditRoutes)
  await app.register(boundariesRoutes)
  await app.register(boundaryIoRoutes)
  await app.register(areaHistoryRoutes)
  await app.register(metaRoutes)
  await app.register(stationsRoutes)
  await app.register(keyPersonsRoutes)
  await app.register(keyPersonsSummaryRoutes)
  await app.register(keyPersonSettingsRoutes)
  await app.register(auditRoutes)
  await app.register(keyPersonsItemsRoutes)
  await app.register(keyPersonRetentionPlugin)
  await app.register(caseItemsRoutes)
  await app.register(hazardsRoutes)
  await app.register(disputesRoutes)
  await app.register(leadsRoutes)
  await app.register(caseTimelineRoutes)
  await app.register(caseCountsRoutes)
  await app.register(dispatchQueueRoutes)
  await app.register(caseSettingsRoutes)
  await app.register(caseExportsRoutes)
  await app.register(casePhotosRoutes, { photoDir: options.photoDir ?? join(tmpdir(), 'gridatlas-photos') })
  await app.register(caseRevealRoutes)
  await app.register(liveEventsRoutes, { recheckMs: options.liveStreamRecheckMs })
  await app.register(analyticsSettingsRoutes)
  await app.register(riskRoutes)
  await app.register(binsRoutes)
  await app.register(disputeClustersRoutes)
  await app.register(jointCasesRoutes)
  await app.register(kpisRoutes)
  await app.register(tilesRoutes)

  if (options.clientDir && options.geodataDir) {
    await app.register(clientPlugin, { clientDir: options.clientDir, geodataDir: options.geodataDir })
  }
  await app.ready()
  return app
}
