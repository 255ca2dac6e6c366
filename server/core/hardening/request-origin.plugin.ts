import fp from 'fastify-plugin'
import type { FastifyRequest } from 'fastify'
import { HttpError } from '../http/http-error.ts'
import { SESSION_COOKIE } from '../auth/auth.plugin.ts'
import { isOwnOrigin } from './public-origin.ts'

/** Methods that change something and so must not be triggered by another site. */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/**
 * Content types an HTML form (or a no-cors fetch) of another site can send
 * without a CORS preflight: a route accepts them only when it declares them.
 */
const FORM_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'])

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length']
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

function mediaTypeOf(request: FastifyRequest): string | undefined {
  const header = request.headers['content-type']
  return header ? header.split(';')[0].trim().toLowerCase() : undefined
}

/**
 * Refuses a browser request of another site (403): the `Origin` must be the
 * app's own (see {@link isOwnOrigin}), `Sec-Fetch-Site`, when the browser sends
 * it, must be `same-origin`, and without `Origin` only a `Sec-Fetch-Site:
 * same-origin` request passes.
 */
function checkOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin
  const fetchSite = request.headers['sec-fetch-site']
  if (fetchSite !== undefined && fetchSite !== 'same-origin') throw new HttpError(403, 'cross_site_request', { origin: origin ?? fetchSite })
  if (origin === undefined) {
    if (fetchSite === 'same-origin') return
    throw new HttpError(403, 'origin_missing')
  }
  if (!isOwnOrigin(request, origin)) throw new HttpError(403, 'cross_site_request', { origin })
}

/**
 * Refuses (415) a body whose type the route does not take: a route that lists
 * `schema.consumes` takes only those; any other route never takes the form
 * types (its JSON or file body cannot come from a form). Other types are left
 * to the route's parsers, which refuse what they cannot read before reading it.
 */
function checkContentType(request: FastifyRequest): void {
  if (!hasBody(request)) return
  const type = mediaTypeOf(request)
  const consumes = (request.routeOptions.schema as { consumes?: string[] } | undefined)?.consumes
  if (consumes) {
    if (type && consumes.some((accepted) => accepted.toLowerCase() === type)) return
    throw new HttpError(415, 'content_type_refused', { type: type ?? '—', expected: consumes.join(', ') })
  }
  if (type === undefined || FORM_TYPES.has(type)) {
    throw new HttpError(415, 'content_type_refused', { type: type ?? '—', expected: 'application/json' })
  }
}

/**
 * Cross-site request forgery protection (issue 9, point 6). A state-changing
 * request authenticated by the session cookie must come from the app's own
 * pages (checked on `onRequest`, before the session is looked up) and carry the
 * content type its route expects (checked on `preParsing`, after the access check
 * and before the body is read).
 * Requests with an `Authorization` header (API tokens of scripts and GIS) are
 * not checked: a browser never adds that header on another site's behalf.
 * A request without the cookie that still names a foreign origin (a login
 * form posted from elsewhere) is refused as well.
 */
export default fp(
  async (app) => {
    app.addHook('onRequest', async (request) => {
      if (!UNSAFE_METHODS.has(request.method)) return
      if (request.headers.authorization !== undefined) return
      if (request.cookies?.[SESSION_COOKIE]) {
        checkOrigin(request)
        return
      }
      if (request.headers.origin !== undefined || request.headers['sec-fetch-site'] !== undefined) checkOrigin(request)
    })
    // The content type is checked after the access check (a refused role gets 403 whatever it
    // sends) and still before the body is parsed.
    app.addHook('preParsing', async (request) => {
      if (!UNSAFE_METHODS.has(request.method)) return
      if (request.headers.authorization !== undefined) return
      if (request.cookies?.[SESSION_COOKIE]) checkContentType(request)
    })
  },
  { name: 'request-origin' },
)
