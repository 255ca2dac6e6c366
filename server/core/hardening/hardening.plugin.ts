import fp from 'fastify-plugin'
import { HttpError } from '../http/http-error.ts'
import type { PublicOriginSettings } from './public-origin.ts'
import type { RequestLimits } from './request-limits.ts'
import requestOriginPlugin from './request-origin.plugin.ts'
import securityHeadersPlugin from './security-headers.plugin.ts'

/** Options of {@link hardeningPlugin}. */
export interface HardeningOptions {
  publicOrigin: PublicOriginSettings
  limits: RequestLimits
  /** Served over HTTPS (HSTS, upgrade-insecure-requests). */
  https: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The request limits in force (see {@link RequestLimits}). */
    requestLimits: RequestLimits
  }
}

/**
 * Browser hardening and limits shared by every route (issue 9, points 6 and 7):
 * security headers, the cross-site check of cookie requests, the deepest page
 * (`offset`) any paged route serves, and no `text/plain` body parser (no
 * route reads plain text; a JSON route now refuses it with 415 instead of
 * handing the handler a string). Register it before the routes.
 */
export default fp<HardeningOptions>(
  async (app, options) => {
    app.decorate('publicOrigin', options.publicOrigin)
    app.decorate('requestLimits', options.limits)
    app.removeContentTypeParser('text/plain')
    await app.register(securityHeadersPlugin, { https: options.https })
    await app.register(requestOriginPlugin)
    app.addHook('onRequest', async (request) => {
      const offset = (request.query as Record<string, unknown> | undefined)?.offset
      if (typeof offset !== 'string' || !/^\s*\+?\d+\s*$/.test(offset)) return
      if (Number(offset) > options.limits.maxOffset) throw new HttpError(400, 'offset_too_large', { max: options.limits.maxOffset, offset: offset.trim() })
    })
  },
  { name: 'hardening', dependencies: ['lang', 'errors'] },
)
