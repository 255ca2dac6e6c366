import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { liveMessageFor } from '../live/live-access.policy.ts'
import { currentUser } from '../plugins/auth.plugin.ts'
import { errorResponses } from './schemas.ts'
import { STAFF_GRID_SCOPED } from '../security/access.ts'

/** How often a comment line keeps idle proxies from closing the stream. */
export const HEARTBEAT_MS = 15_000

/**
 * `GET /api/events/stream`: Server-Sent Events of case, lead and key-person
 * changes, filtered per subscriber by the read rules (see
 * {@link liveMessageFor}): `event: case` data `{ kind, id, status, action, at }`
 * (grid workers: their grids' only), `event: key_person` data
 * `{ id, status, action, at }` (roles with identity access, in scope) or
 * `event: key_person_count` data `{ at }` (leaders, station staff: the
 * counts may have changed, nothing more); a heartbeat comment every 15 s;
 * closed cleanly when the client goes or the server stops.
 */
const liveEventsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const open = new Set<() => void>()

  app.addHook('preClose', async () => {
    for (const close of [...open]) close()
  })

  app.get(
    '/api/events/stream',
    {
      config: { access: STAFF_GRID_SCOPED },
      schema: {
        tags: ['Cases'],
        summary: 'Live case, lead and key-person events (Server-Sent Events "case", "key_person", "key_person_count"), filtered by what the user may read',
        produces: ['text/event-stream'],
        response: {
          200: Type.String({
            description:
              'text/event-stream: "event: case" + "data: {kind, id, status, action, at}"; "event: key_person" + "data: {id, status, action, at}"; ' +
              '"event: key_person_count" + "data: {at}" (counts-only roles: the key-person counts may have changed)',
          }),
          ...errorResponses(401),
        },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
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
        const message = liveMessageFor(user, event)
        if (message) raw.write(`event: ${message.event}\ndata: ${JSON.stringify(message.data)}\n\n`)
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
