import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { errorResponses } from './schemas.ts'

/** How often a comment line keeps idle proxies from closing the stream. */
export const HEARTBEAT_MS = 15_000

/**
 * `GET /api/events/stream`: Server-Sent Events of case and lead changes
 * (`event: case`, data `{ kind, id, status, action, at }`), a heartbeat
 * comment every 15 s, closed cleanly when the client goes or the server stops.
 * Any signed-in user may listen: events carry no personal data, and reading
 * the case itself still goes through the permission checks.
 */
const liveEventsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const open = new Set<() => void>()

  app.addHook('preClose', async () => {
    for (const close of [...open]) close()
  })

  app.get(
    '/api/events/stream',
    {
      schema: {
        tags: ['Cases'],
        summary: 'Live case and lead events (Server-Sent Events, event name "case")',
        produces: ['text/event-stream'],
        response: { 200: Type.String({ description: 'text/event-stream: "event: case" + "data: {kind, id, status, action, at}"' }), ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      reply.hijack()
      const raw = reply.raw
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      })
      raw.write('retry: 5000\n: connected\n\n')
      const unsubscribe = app.live.subscribe((event) => {
        raw.write(`event: case\ndata: ${JSON.stringify(event)}\n\n`)
      })
      const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), HEARTBEAT_MS)
      heartbeat.unref()
      let closed = false
      const close = () => {
        if (closed) return
        closed = true
        clearInterval(heartbeat)
        unsubscribe()
        open.delete(close)
        if (!raw.writableEnded) raw.end()
      }
      open.add(close)
      request.raw.on('close', close)
      raw.on('close', close)
    },
  )
}

export default liveEventsRoutes
