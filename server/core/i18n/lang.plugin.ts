import fp from 'fastify-plugin'
import { langFromHeader, type Lang } from './messages.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** Language of this request's messages, from Accept-Language (Chinese by default). */
    lang: Lang
  }
}

/** Decorates each request with the language it should be answered in. */
export default fp(
  async (app) => {
    app.decorateRequest('lang', 'zh')
    app.addHook('onRequest', async (request) => {
      request.lang = langFromHeader(request.headers['accept-language'])
    })
  },
  { name: 'lang' },
)
