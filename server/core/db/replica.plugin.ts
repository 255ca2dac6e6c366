import fp from 'fastify-plugin'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Db } from './database.ts'
import { currentWalLsn, parseLsn, ReadReplica } from './replica.ts'

/** Cookie carrying the WAL position of the session's last write (not secret: at worst it sends reads to the primary). */
export const READ_AFTER_COOKIE = 'ga_read_after'
/**
 * Header with the same meaning, for clients without cookies (API tokens):
 * answered on every write, sent back on a read to read that write.
 */
export const READ_AFTER_HEADER = 'x-gridatlas-read-after'
/** Response header of replica routes: `replica` or `primary`, where the answer was read. */
export const READ_FROM_HEADER = 'x-gridatlas-read-from'
/** How long the cookie lives: far longer than any replica lag worth waiting for. */
const READ_AFTER_COOKIE_SECONDS = 600

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `'replica'`: the route only reads and may read a streaming replica
     * (`request.readDb`) when one is configured (`DATABASE_REPLICA_URL`).
     */
    reads?: 'replica'
  }
  interface FastifyRequest {
    /**
     * Where this request reads: the replica on routes declaring
     * `config.reads: 'replica'` (unless the user's last write is not there
     * yet, or the replica is down), otherwise the primary (`app.db`).
     * Never write through it.
     */
    readDb: Db
  }
  interface FastifyInstance {
    /** The read replica, when `DATABASE_REPLICA_URL` is set (PostgreSQL only). */
    replica: ReadReplica | undefined
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Routes reads to the replica (issue 13, item 5). On a replica route the
 * request reads the replica unless the caller's last write (cookie
 * {@link READ_AFTER_COOKIE} or header {@link READ_AFTER_HEADER}) is not yet
 * replayed there after a short wait; then it reads the primary. After every
 * successful write by a signed-in user the primary's WAL position is sent
 * back in both. Without a replica this plugin only sets `request.readDb = app.db`.
 */
export default fp<{ replicaUrl?: string }>(
  async (app, options) => {
    app.decorateRequest('readDb', null as unknown as Db)
    app.addHook('onRequest', async (request) => {
      request.readDb = app.db
    })
    const pool = app.engine.pool
    if (!options.replicaUrl) {
      app.decorate('replica', undefined)
      return
    }
    if (app.engine.kind !== 'postgres' || !pool) throw new Error('DATABASE_REPLICA_URL needs DATABASE_URL (a PostgreSQL primary)')
    const replica = new ReadReplica({
      url: options.replicaUrl,
      primaryPool: pool,
      onDown: (error) => app.log.warn({ err: error }, 'read replica unreachable: reading from the primary'),
      onUp: () => app.log.info('read replica reachable again'),
    })
    app.decorate('replica', replica)
    app.addHook('onClose', async () => replica.close())

    app.addHook('preHandler', async (request, reply) => {
      if (request.routeOptions.config?.reads !== 'replica') return
      const after = readAfterLsn(request)
      const onReplica = !replica.down && (after === undefined || (await replica.caughtUp(after)))
      // Says where the answer was read (diagnostics, and the cluster test); "replica" may still fall back per connection.
      reply.header(READ_FROM_HEADER, onReplica ? 'replica' : 'primary')
      if (onReplica) request.readDb = replica.db
    })

    app.addHook('onSend', async (request, reply, payload) => {
      if (SAFE_METHODS.has(request.method) || !request.user || reply.statusCode >= 400) return payload
      await rememberWrite(request, reply)
      return payload
    })
  },
  { name: 'replica', dependencies: ['database'] },
)

/** The WAL position the caller must read after, from the header or the cookie. */
function readAfterLsn(request: FastifyRequest): bigint | undefined {
  const header = request.headers[READ_AFTER_HEADER]
  const fromHeader = parseLsn(Array.isArray(header) ? header[0] : header)
  const fromCookie = parseLsn(request.cookies[READ_AFTER_COOKIE])
  if (fromHeader === undefined) return fromCookie
  if (fromCookie === undefined) return fromHeader
  return fromHeader > fromCookie ? fromHeader : fromCookie
}

/** Sends the primary's WAL position after a write, so the caller's next reads include it. */
async function rememberWrite(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  let lsn: string
  try {
    lsn = await currentWalLsn(request.server.db)
  } catch (error) {
    // The write is committed; without the position the next reads may briefly miss it on the replica.
    request.log.warn({ err: error }, 'WAL position after a write not read')
    return
  }
  reply.header(READ_AFTER_HEADER, lsn)
  if (request.credential?.kind !== 'session') return
  reply.setCookie(READ_AFTER_COOKIE, lsn, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: request.server.sessionPolicy.secureCookies,
    maxAge: READ_AFTER_COOKIE_SECONDS,
  })
}
