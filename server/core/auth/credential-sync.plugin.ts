import { randomUUID } from 'node:crypto'
import fp from 'fastify-plugin'
import { sql } from 'kysely'
import { PgListenConnection } from '../live/pg-listen.ts'
import type { EndedCredentials } from './credential-cache.ts'

/** PostgreSQL channel telling the other server processes that credentials ended. */
export const CREDENTIALS_CHANNEL = 'gridatlas_credentials'

declare module 'fastify' {
  interface FastifyInstance {
    /** Tells the other server processes on the same PostgreSQL that credentials ended. */
    credentialSync: CredentialSync
  }
}

/** See {@link credentialSyncPlugin}. */
export interface CredentialSync {
  /** Sends `ended` to the other processes (after the change is committed); a no-op on PGlite. */
  publish(ended: EndedCredentials): void
}

interface Envelope {
  origin: string
  ended: EndedCredentials
}

/**
 * Ends credentials in every server process at once (issue 13, item 4). Each
 * process caches resolved sessions and tokens for a few seconds
 * (CredentialCache) and holds live streams by credential; sign-out,
 * revocation, disabling, a password reset or a role change used to reach the
 * other processes only when their cache entry expired (5 s) and their stream
 * re-check ran (30 s). Now the process making the change NOTIFYs, and every
 * other process forgets the credentials and ends their streams on receipt.
 * A notification lost while a LISTEN connection is down leaves the old
 * bounds (5 s, 30 s) in force. PGlite is one process: nothing to send.
 */
const credentialSyncPlugin = fp(
  async (app) => {
    const url = app.engine.connectionString
    if (app.engine.kind !== 'postgres' || !url) {
      app.decorate('credentialSync', { publish: () => {} })
      return
    }
    const origin = randomUUID()
    const listener = new PgListenConnection({
      connectionString: url,
      channel: CREDENTIALS_CHANNEL,
      onPayload(payload) {
        try {
          const envelope = JSON.parse(payload) as Envelope
          if (envelope.origin === origin) return
          app.credentials.forget(envelope.ended)
          app.liveStreams.end(envelope.ended)
        } catch (error) {
          app.log.warn({ err: error }, 'bad credentials payload')
        }
      },
      onProblem: (text, error) => app.log.warn({ err: error }, text.replace('live', 'credentials')),
    })
    await listener.start()
    app.decorate('credentialSync', {
      publish(ended: EndedCredentials) {
        const payload = JSON.stringify({ origin, ended } satisfies Envelope)
        sql`SELECT pg_notify(${CREDENTIALS_CHANNEL}, ${payload})`.execute(app.db).catch((error: unknown) => {
          app.log.error({ err: error }, 'credentials NOTIFY failed; other processes end them within their cache and re-check times')
        })
      },
    })
    app.addHook('onClose', async () => listener.stop())
  },
  { name: 'credential-sync', dependencies: ['database', 'auth', 'live'] },
)

export default credentialSyncPlugin
