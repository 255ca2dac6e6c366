import type { FastifyInstance } from 'fastify'
import type { EndedCredentials } from '../../core/auth/credential-cache.ts'

/**
 * Makes ended credentials stop working at once in this process: forgets them
 * in the credential cache (which would otherwise trust them for a few seconds)
 * and closes their open live streams. Call it after the change is committed.
 */
export function credentialsEnded(app: FastifyInstance, ended: EndedCredentials): void {
  app.credentials.forget(ended)
  app.liveStreams.end(ended)
}
