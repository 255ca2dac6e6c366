import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { toSessionDto, toTokenInfoDto } from './credential-dto.ts'
import { currentUser, SESSION_COOKIE } from '../../core/auth/auth.plugin.ts'
import { listSessions, listTokens } from '../../core/auth/credentials.repository.ts'
import { idleSince } from '../../core/auth/session-policy.ts'
import { credentialsEnded } from './credential-end.service.ts'
import { revokeSessionAudited, revokeTokenAudited } from './credentials.service.ts'
import { SessionSchema, TokenInfoSchema } from './credentials.schemas.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'

/**
 * The signed-in user's own sessions and API tokens: list them (the one this
 * request came with is marked `current`) and revoke any of them. Another
 * user's id answers 404, as if it did not exist. Revocation is audited and
 * takes effect at once (cache entry dropped, live streams closed).
 */
const credentialsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/sessions',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['Auth'],
        summary: 'List your live browser sessions (the current one marked)',
        response: { 200: Type.Object({ sessions: Type.Array(SessionSchema) }), ...errorResponses(401) },
      },
    },
    async (request) => {
      const user = currentUser(request)
      const sessions = await listSessions(app.db, user.id, idleSince(app.sessionPolicy))
      return { sessions: sessions.map((session) => toSessionDto(session, app.sessionPolicy, request.credential)) }
    },
  )

  app.delete(
    '/sessions/:sessionId',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['Auth'],
        summary: 'End one of your sessions (ending the current one signs you out)',
        params: Type.Object({ sessionId: Type.Integer({ minimum: 1 }) }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const ended = await revokeSessionAudited(app.db, request, user.id, request.params.sessionId)
      credentialsEnded(app, ended)
      const current = request.credential?.kind === 'session' && request.credential.id === request.params.sessionId
      if (current) reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/tokens',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['Auth'],
        summary: 'List your usable API tokens (not revoked, not expired; never their secret)',
        response: { 200: Type.Object({ tokens: Type.Array(TokenInfoSchema) }), ...errorResponses(401) },
      },
    },
    async (request) => {
      const user = currentUser(request)
      return { tokens: (await listTokens(app.db, user.id)).map((token) => toTokenInfoDto(token, request.credential)) }
    },
  )

  app.delete(
    '/tokens/:tokenId',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['Auth'],
        summary: 'Revoke one of your API tokens',
        params: Type.Object({ tokenId: Type.Integer({ minimum: 1 }) }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      credentialsEnded(app, await revokeTokenAudited(app.db, request, user.id, request.params.tokenId))
      return reply.code(204).send(null)
    },
  )
}

export default credentialsRoutes
