import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { HttpError } from '../../core/http/http-error.ts'
import { liveMessageFor } from './live-access.ts'
import { currentUser } from '../../core/auth/auth.plugin.ts'
import { findUsableCredentials } from '../../core/auth/credentials.repository.ts'
import { idleSince } from '../../core/auth/session-policy.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { STAFF_GRID_SCOPED } from '../../core/auth/access.ts'

/** How often a comment line keeps idle proxies from closing the stream. */
export const HEARTBEAT_MS = 15_000

/** Options of the live stream route. */
export interface LiveEventsRoutesOptions {
  /**
   * How often open streams are re-checked against the database (default 30 s):
   * this ends streams whose session went idle or reached its end, and streams
   * whose credential was ended by another server process on the same PostgreSQL.
   */
  recheckMs?: number
}

/**
 * `GET /api/events/stream`: Server-Sent Events of case, lead and key-person
 * changes, filtered per subscriber by the read rules (see
 * {@link liveMessageFor}): `event: case` data `{ kind, id, status, action, at }`
 * (grid workers: their grids' only), `event: key_person` data
 * `{ id, status, action, at }` (roles with identity access, in scope) or
 * `event: key_person_count` data `{ at }` (leaders, station staff: the
 * counts may have changed, nothing more); a heartbeat comment every 15 s;
 * closed cleanly when the client goes, the server stops or the credential
 * that opened it ends (sign-out, revocation, disabling, password reset, role
 * change: at once, in every process on one PostgreSQL through NOTIFY; idle
 * or absolute session end: at the next re-check). A user holds at most
 * `maxLiveStreamsPerUser` (5) streams at once per server process (the count
 * bounds one process's sockets); the next answers 429.
 */
const liveEventsRoutes: FastifyPluginAsyncTypebox<LiveEventsRoutesOptions> = async (app, options) => {
  const recheck = setInterval(() => {
    recheckOpenStreams(app).catch((error) => app.log.warn({ err: error }, 'live stream re-check failed'))
  }, options.recheckMs ?? 30_000)
  recheck.unref()
  /** Open streams per user id: each holds a socket and a subscription, so one account may not pile them up. */
  const streamsPerUser = new Map<number, number>()

  app.addHook('preClose', async () => {
    clearInterval(recheck)
    app.liveStreams.endAll()
  })

  app.get(
    '/stream',
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
          ...errorResponses(401, 429),
        },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const credential = request.credential!
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
        unregister()
        if (!raw.writableEnded) raw.end()
      }
      const unregister = app.liveStreams.add({ userId: user.id, role: user.role, credential, close })
      request.raw.on('close', close)
      raw.on('close', close)
    },
  )
}

export default liveEventsRoutes

/** Ends the open streams whose credential is no longer usable, or whose user's role changed. */
async function recheckOpenStreams(app: FastifyInstance): Promise<void> {
  const streams = app.liveStreams.list()
  if (streams.length === 0) return
  const ids = { sessionIds: [] as number[], tokenIds: [] as number[] }
  for (const stream of streams) (stream.credential.kind === 'session' ? ids.sessionIds : ids.tokenIds).push(stream.credential.id)
  const usable = await findUsableCredentials(app.db, ids, idleSince(app.sessionPolicy))
  const roles = new Map(usable.map((row) => [`${row.kind}:${row.id}`, row.role]))
  for (const stream of streams) {
    const role = roles.get(`${stream.credential.kind}:${stream.credential.id}`)
    if (role === stream.role) continue
    app.credentials.forget(stream.credential)
    app.liveStreams.end(stream.credential)
  }
}
