import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import cookie from '@fastify/cookie'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { DbEngine } from './db/engine.ts'
import { serializeLogError } from './logging/log-safe-error.ts'
import hardeningPlugin from './hardening/hardening.plugin.ts'
import { parsePublicUrl } from './hardening/public-origin.ts'
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from './hardening/request-limits.ts'
import authPlugin from './plugins/auth.plugin.ts'
import clientPlugin from './plugins/client.plugin.ts'
import databasePlugin from './plugins/database.plugin.ts'
import errorsPlugin from './plugins/errors.plugin.ts'
import keyPersonRetentionPlugin from './plugins/key-person-retention.plugin.ts'
import langPlugin from './plugins/lang.plugin.ts'
import livePlugin from './plugins/live.plugin.ts'
import openapiPlugin from './plugins/openapi.plugin.ts'
import secondFactorGatePlugin from './plugins/second-factor-gate.plugin.ts'
import { createValidatorCompiler } from './plugins/validator.compiler.ts'
import { DEFAULT_SESSION_POLICY } from './security/session.policy.ts'
import areaHistoryRoutes from './routes/area-history.routes.ts'
import analyticsSettingsRoutes from './routes/analytics/analytics-settings.routes.ts'
import binsRoutes from './routes/analytics/bins.routes.ts'
import disputeClustersRoutes from './routes/analytics/dispute-clusters.routes.ts'
import jointCasesRoutes from './routes/analytics/joint-cases.routes.ts'
import kpisRoutes from './routes/analytics/kpis.routes.ts'
import riskRoutes from './routes/analytics/risk.routes.ts'
import tilesRoutes from './routes/analytics/tiles.routes.ts'
import areasRoutes from './routes/areas.routes.ts'
import boundariesRoutes from './routes/boundaries.routes.ts'
import boundaryIoRoutes from './routes/boundary-io.routes.ts'
import auditRoutes from './routes/audit.routes.ts'
import authRoutes from './routes/auth.routes.ts'
import credentialsRoutes from './routes/credentials.routes.ts'
import securityUsersRoutes from './routes/security-users.routes.ts'
import caseCountsRoutes from './routes/cases/case-counts.routes.ts'
import caseExportsRoutes from './routes/cases/case-exports.routes.ts'
import caseItemsRoutes from './routes/cases/case-items.routes.ts'
import casePhotosRoutes from './routes/cases/case-photos.routes.ts'
import caseRevealRoutes from './routes/cases/case-reveal.routes.ts'
import caseSettingsRoutes from './routes/cases/case-settings.routes.ts'
import caseTimelineRoutes from './routes/cases/case-timeline.routes.ts'
import dispatchQueueRoutes from './routes/cases/dispatch-queue.routes.ts'
import disputesRoutes from './routes/cases/disputes.routes.ts'
import hazardsRoutes from './routes/cases/hazards.routes.ts'
import leadsRoutes from './routes/cases/leads.routes.ts'
import keyPersonSettingsRoutes from './routes/key-person-settings.routes.ts'
import keyPersonsSummaryRoutes from './routes/key-persons-summary.routes.ts'
import keyPersonsRoutes from './routes/key-persons.routes.ts'
import liveEventsRoutes from './routes/live-events.routes.ts'
import metaRoutes from './routes/meta.routes.ts'
import stationsRoutes from './routes/stations.routes.ts'
import areaItemsEditRoutes from './routes/ogc/area-items-edit.routes.ts'
import collectionsRoutes from './routes/ogc/collections.routes.ts'
import itemsRoutes from './routes/ogc/items.routes.ts'
import keyPersonsItemsRoutes from './routes/ogc/key-persons-items.routes.ts'
import landingRoutes from './routes/ogc/landing.routes.ts'
import usersRoutes from './routes/users.routes.ts'
import secondFactorRoutes from './routes/second-factor.routes.ts'
import securityLockoutsRoutes from './routes/security-lockouts.routes.ts'
import { resolveLoginPolicy, type LoginPolicy } from './security/login-policy.ts'

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
