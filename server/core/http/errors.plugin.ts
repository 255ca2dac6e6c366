import fp from 'fastify-plugin'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { isDatabaseUnavailable } from '../db/db-unavailable.ts'
import { HttpError } from './http-error.ts'
import { message, type Lang, type MessageCode } from '../i18n/messages.ts'
import { describeValidationErrors, firstUnknownProperty } from './validation-messages.ts'
import { AllowedMethods } from './allowed-methods.ts'

/** Seconds a client is told to wait (Retry-After) when the database is unavailable. */
const DATABASE_RETRY_AFTER_SECONDS = 5

/** Sends `{ code, message }` (plus `extra`) at `status`, in the request's language. */
export function sendError(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  code: MessageCode,
  params: Record<string, unknown> = {},
  extra?: Record<string, unknown>,
) {
  const lang: Lang = request.lang ?? 'zh'
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ code, message: message(code, lang, params), ...extra })
}

/**
 * Turns every error and unknown route into a JSON `{ code, message }` answer:
 * 405 with `Allow` when the path exists for other methods, else 404.
 */
export default fp(
  async (app) => {
    const allowed = new AllowedMethods()
    app.addHook('onRoute', (route) => {
      allowed.add(route.method, route.url)
      // An API route that declares no query parameters takes none: a misspelt or
      // invented parameter gets 400 unknown_parameter instead of being ignored
      // (an answer that silently ignores `townId=…` reads as if it applied it).
      if (route.url.startsWith('/api/') && !route.schema?.querystring) {
        route.schema = { ...route.schema, querystring: { type: 'object', properties: {}, additionalProperties: false } }
      }
    })
    app.setNotFoundHandler((request, reply) => {
      const methods = allowed.at(request.url)
      if (methods.length === 0 || methods.includes(request.method as never)) return sendError(reply, request, 404, 'not_found')
      const allow = methods.join(', ')
      reply.header('allow', allow)
      return sendError(reply, request, 405, 'method_not_allowed', { method: request.method, allow })
    })
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof HttpError) {
        return sendError(reply, request, error.status, error.code, error.params, error.extra)
      }
      if (error.validation) {
        const unknown = firstUnknownProperty(error.validation)
        if (unknown && error.validationContext === 'querystring') {
          const schema = request.routeOptions.schema?.querystring as { properties?: Record<string, unknown> } | undefined
          const allowed = Object.keys(schema?.properties ?? {}).join(', ')
          return sendError(reply, request, 400, 'unknown_parameter', { name: unknown, allowed })
        }
        const detail = describeValidationErrors(error.validation, request.lang)
        return sendError(reply, request, 400, 'validation_failed', {
          where: whereLabel(error.validationContext, request.lang),
          detail,
        })
      }
      switch (error.code) {
        case 'FST_ERR_CTP_BODY_TOO_LARGE':
          return sendError(reply, request, 413, 'body_too_large', { limit: '1 MB' })
        case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
          return sendError(reply, request, 415, 'unsupported_media_type', { type: request.headers['content-type'] })
        case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        case 'FST_ERR_CTP_INVALID_JSON_BODY':
          return sendError(reply, request, 400, 'bad_json')
      }
      if (error instanceof SyntaxError || error.statusCode === 400) {
        return sendError(reply, request, 400, 'bad_request', { detail: error.message })
      }
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return sendError(reply, request, error.statusCode, 'bad_request', { detail: error.message })
      }
      if (isDatabaseUnavailable(error)) {
        // Down or restarting: the request can be retried; not a fault of the code (no 500).
        request.log.warn({ err: error }, 'database unavailable')
        reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
        return sendError(reply, request, 503, 'database_unavailable', { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS })
      }
      request.log.error({ err: error }, 'unhandled error')
      return sendError(reply, request, 500, 'internal')
    })
  },
  { name: 'errors', dependencies: ['lang'] },
)

function whereLabel(context: string | undefined, lang: Lang): string {
  const labels: Record<string, [string, string]> = {
    body: ['（请求体）', 'body'],
    querystring: ['（查询参数）', 'query parameters'],
    params: ['（路径参数）', 'path parameters'],
    headers: ['（请求头）', 'headers'],
  }
  const pair = labels[context ?? ''] ?? ['', 'input']
  return lang === 'zh' ? pair[0] : pair[1]
}
