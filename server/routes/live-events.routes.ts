import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { HttpError } from '../http-error.ts'
import { liveMessageFor } from '../live/live-access.policy.ts'
import { currentUser } from '../plugins/auth.plugin.ts'
import { errorResponses } from './schemas.ts'

/** How often a comment line keeps idle proxies from closing the stream. */
export const HEARTBEAT_MS = 15_000

/**
 * `GET /api/events/stream`: Server-Sent Events of case, lead and key-person
 * changes, filtered per subscriber by the read rules (see
 * {@link liveMessageFor}): `event: case` data `{ kind, id, status, action, at }`
 * (grid workers: their grids' only), `event: key_person` data
 * `{ id, status, action, at }` (roles with identity access, in scope) or
 * `event: key_person_count` data `{ action, at, villageId, baseGridId,
 * fineGridId }` (leaders, station staff); a heartbeat comment every 15 s;
 * closed cleanly when the client goes or the server stops. A user holds at
 * most `maxLiveStreamsPerUser` (5) streams at once; the next answers 429.
 */
const liveEventsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const open = new Set<() => void>()
  /** Open streams per user id: each holds a socket and a subscription, so one account may not pile them up. */
  const streamsPerUser = new Map<number, number>()

  app.addHook('preClose', async () => {
    for (const close of [...open]) close()
  })

  app.get(
    '/api/events/stream',
    {
      schema: {
        tags: ['Cases'],
        summary: 'Live case, lead and key-person events (Server-Sent Events "case", "key_person", "key_person_count"), filtered by what the user may read',
        produces: ['text/event-stream'],
        response: {
          200: Type.String({
            description:
              'text/event-stream: "event: case" + "data: {kind, id, status, action, at}"; "event: key_person" + "data: {id, status, action, at}"; ' +
              '"event: key_person_count" + "data: {action, at, villageId, baseGridId, fineGridId}"',
          }),
          ...errorResponses(401, 429),
        },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const maxStreams = app.requestLimits.maxLiveStreamsPerUser
      const held = streamsPerUser.get(user.id) ?? 0
      if (held >= maxStreams) throw new HttpError(429, 'live_streams_limit', { max: maxStreams })
      streamsPerUser.set(user.id, held + 1)
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
        const left = (streamsPerUser.get(user.id) ?? 1) - 1
        if (left > 0) streamsPerUser.set(user.id, left)
        else streamsPerUser.delete(user.id)
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
