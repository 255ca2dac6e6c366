import { randomUUID } from 'node:crypto'
import fp from 'fastify-plugin'
import { sql } from 'kysely'
import { LiveEventBus, type LiveEvent } from './live-events.ts'
import { PgListenConnection } from './pg-listen.ts'
import { LiveStreamRegistry } from './live-streams.ts'

/** PostgreSQL channel that carries live events between server processes. */
export const LIVE_CHANNEL = 'gridatlas_events'

declare module 'fastify' {
  interface FastifyInstance {
    /** Live case events (in-process; relayed through PostgreSQL NOTIFY/LISTEN when on PostgreSQL). */
    live: LiveEventBus
    /** Open live streams of this process, by credential (ended when their credential ends). */
    liveStreams: LiveStreamRegistry
  }
}

interface Envelope {
  origin: string
  event: LiveEvent
}

/**
 * Decorates `app.live`. On PostgreSQL each published event is also sent with
 * `pg_notify` and a dedicated client LISTENs, so that several server
 * processes on one database stay in step; PGlite is single-process, the
 * in-process bus is enough there. The LISTEN connection reconnects by
 * itself when the database goes away and comes back.
 */
export default fp(
  async (app) => {
    const bus = new LiveEventBus()
    app.decorate('live', bus)
    app.decorate('liveStreams', new LiveStreamRegistry())
    const url = app.engine.connectionString
    if (app.engine.kind !== 'postgres' || !url) return
    const origin = randomUUID()
    const listener = new PgListenConnection({
      connectionString: url,
      channel: LIVE_CHANNEL,
      onPayload(payload) {
        try {
          const envelope = JSON.parse(payload) as Envelope
          if (envelope.origin !== origin) bus.deliver(envelope.event)
        } catch (error) {
          app.log.warn({ err: error }, 'bad live event payload')
        }
      },
      onProblem: (text, error) => app.log.warn({ err: error }, text),
      onRestored: () => app.log.info('live LISTEN connection restored'),
    })
    await listener.start()
    bus.setRelay(
      async (event) => {
        const payload = JSON.stringify({ origin, event } satisfies Envelope)
        await sql`SELECT pg_notify(${LIVE_CHANNEL}, ${payload})`.execute(app.db)
      },
      (error) => app.log.error({ err: error }, 'live NOTIFY failed'),
    )
    app.addHook('onClose', async () => {
      bus.setRelay(undefined)
      await listener.stop()
    })
  },
  { name: 'live', dependencies: ['database'] },
)
