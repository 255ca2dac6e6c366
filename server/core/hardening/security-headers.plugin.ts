import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'

/** Options of {@link securityHeadersPlugin}. */
export interface SecurityHeadersOptions {
  /** Served over HTTPS (`SECURE_COOKIES=1`): only then are HSTS and upgrade-insecure-requests sent. */
  https: boolean
}

/**
 * Content-Security-Policy of every response. What the built client needs:
 * its own scripts and styles (vite emits files, no inline script); MapLibre
 * starts its worker from a blob: URL and draws blob:/data: images; the map
 * export and deck.gl/luma.gl (a chunk loaded on demand, WebGL only) need no
 * more. Style attributes are allowed (`style-src-attr`) because Svelte and
 * MapLibre position elements with them; style elements stay 'self' only.
 */
export const CSP_DIRECTIVES = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'style-src-attr': ["'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'", 'data:', 'blob:'],
  'worker-src': ["'self'", 'blob:'],
  'child-src': ["'self'", 'blob:'],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
}

/**
 * Security headers on every answer (issue 9, point 6), through helmet:
 * the CSP above, `X-Content-Type-Options: nosniff`, `frame-ancestors 'none'`
 * plus `X-Frame-Options: DENY` for old browsers, `Referrer-Policy: same-origin`
 * (case and person URLs carry ids that should not leave the site). HSTS and
 * `upgrade-insecure-requests` only behind HTTPS: many township installs are
 * plain HTTP on an intranet, where upgrading every request would break the app.
 */
export default fp<SecurityHeadersOptions>(
  async (app, options) => {
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: { ...CSP_DIRECTIVES, ...(options.https ? { 'upgrade-insecure-requests': [] } : {}) },
      },
      strictTransportSecurity: options.https ? { maxAge: 180 * 24 * 3600, includeSubDomains: false } : false,
      xFrameOptions: { action: 'deny' },
      referrerPolicy: { policy: 'same-origin' },
      crossOriginResourcePolicy: { policy: 'same-origin' },
      crossOriginEmbedderPolicy: false,
    })
  },
  { name: 'security-headers' },
)
