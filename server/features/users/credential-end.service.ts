import type { FastifyInstance } from 'fastify'
import type { EndedCredentials } from '../../core/auth/credential-cache.ts'

/**
 * Makes ended credentials stop working at once: forgets them in the
 * credential cache (which would otherwise trust them for a few seconds) and
 * closes their open live streams, in this process and, through PostgreSQL
 * NOTIFY, in the other server processes on the same database. Call it after
 * the change is committed.
 */
export function credentialsEnded(app: FastifyInstance, ended: EndedCredentials): void {
  app.credentials.forget(ended)
  app.liveStreams.end(ended)
  app.credentialSync.publish(ended)
}
