import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ADMIN_ROLES, type Role } from '../../core/db/tables/auth.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { toSessionDto, toTokenInfoDto, toUserStatusDto } from './credential-dto.ts'
import { toUserDto } from './user-dto.ts'
import { currentUser } from '../../core/auth/auth.plugin.ts'
import { listSessions, listTokens } from '../../core/auth/credentials.repository.ts'
import { listUserStatuses } from './user-status.repository.ts'
import { findAdministeredUser } from '../../core/auth/users.repository.ts'
import { roles } from '../../core/auth/access.ts'
import { idleSince } from '../../core/auth/session-policy.ts'
import { credentialsEnded } from './credential-end.service.ts'
import {
  changeUserAudited,
  issueTokenAudited,
  resetPasswordAudited,
  revokeAllAudited,
  revokeSessionAudited,
  revokeTokenAudited,
} from './credentials.service.ts'
import { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from './tokens.service.ts'
import { createUser, MIN_PASSWORD_LENGTH } from './users.service.ts'
import { EndedSchema, SessionSchema, TokenInfoSchema, UserIdParams, UserStatusSchema } from './credentials.schemas.ts'
import { errorResponses, RoleSchema, TokenSchema, UserSchema } from '../../core/http/common.schemas.ts'

const UNIQUE_VIOLATION = '23505'
const TAGS = ['Security administration']

/**
 * The security administrator's (安全管理员) routes: users' credentials, their
 * status and roles, and administrator accounts. The system administrator keeps
 * creating ordinary users (POST /api/users); every change here is audited
 * with who did it, to whom, with which credential and the outcome, and ends
 * the credentials concerned at once (cache and live streams).
 */
const securityUsersRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const access = roles('security_admin')

  /** A user of the administrator's town (or any, for the county); another town's is a 404 like a missing one. */
  async function userOr404(userId: number) {
    const user = await findAdministeredUser(app.db, userId)
    if (!user) throw new HttpError(404, 'user_not_found', { id: userId })
    return user
  }

  app.get(
    '/security/users',
    {
      config: { access },
      schema: {
        tags: TAGS,
        summary:
          'List users with their status and how many live sessions and usable tokens they hold (security administrator: a town\'s administrator their town\'s users, the county\'s every user)',
        response: { 200: Type.Object({ users: Type.Array(UserStatusSchema) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ users: (await listUserStatuses(app.db, idleSince(app.sessionPolicy))).map(toUserStatusDto) }),
  )

  app.post(
    '/security/users',
    {
      config: { access },
      schema: {
        tags: TAGS,
        summary: 'Create an administrator account: admin, security_admin or audit_admin (security administrator)',
        body: Type.Object(
          {
            username: Type.String({ pattern: '^[A-Za-z0-9_.-]{2,40}$', description: 'Letters, digits, _ . - (2–40)' }),
            password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 200 }),
            role: RoleSchema,
            displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
            townId: Type.Optional(
              Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
                description: 'Town of the user (GET /api/towns); a town administrator\'s users are of their town; null or absent for county users',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ user: UserSchema }), ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const actor = currentUser(request)
      const role: Role = request.body.role
      if (!(ADMIN_ROLES as readonly Role[]).includes(role)) throw new HttpError(403, 'ordinary_role_for_admin', { role })
      try {
        const user = await app.db.transaction().execute((trx) => createUser(trx, request.body, { id: actor.id, townId: actor.townId }))
        return reply.code(201).send({ user: toUserDto(user) })
      } catch (error) {
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw new HttpError(409, 'username_taken', { username: request.body.username })
        throw error
      }
    },
  )

  app.patch(
    '/users/:userId',
    {
      config: { access },
      schema: {
        tags: TAGS,
        summary:
          'Disable or enable a user and/or change their role (security administrator). Disabling ends all their sessions, tokens and live streams at once; nobody may disable themselves or change their own role (409)',
        params: UserIdParams,
        body: Type.Object({ disabled: Type.Optional(Type.Boolean()), role: Type.Optional(RoleSchema) }, { additionalProperties: false }),
        response: { 200: Type.Object({ user: UserStatusSchema }), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { userId } = request.params
      const before = await userOr404(userId)
      const user = await changeUserAudited(app.db, request, userId, request.body)
      if (user.disabled !== before.disabled || user.role !== before.role) credentialsEnded(app, { userId })
      const [status] = (await listUserStatuses(app.db, idleSince(app.sessionPolicy))).filter((row) => row.id === userId)
      return { user: toUserStatusDto(status!) }
    },
  )

  app.post(
    '/users/:userId/password',
    {
      config: { access },
      schema: {
        tags: TAGS,
        summary: 'Set a new password for a user; ends every session and token they had (security administrator)',
        params: UserIdParams,
        body: Type.Object({ password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 200: EndedSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { userId } = request.params
      const ended = await resetPasswordAudited(app.db, request, userId, request.body.password)
      credentialsEnded(app, { userId })
      return ended
    },
  )

  app.delete(
    '/users/:userId/credentials',
    {
      config: { access },
      schema: {
        tags: TAGS,
        summary: 'End all sessions and revoke all API tokens of a user (security administrator)',
        params: UserIdParams,
        response: { 200: EndedSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { userId } = request.params
      const ended = await revokeAllAudited(app.db, request, userId)
      credentialsEnded(app, { userId })
      return ended
    },
  )

  app.get(
    '/users/:userId/sessions',
    {
      config: { access },
      schema: {
        tags: TAGS,
        summary: "List a user's live sessions (security administrator)",
        params: UserIdParams,
        response: { 200: Type.Object({ sessions: Type.Array(SessionSchema) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = await userOr404(request.params.userId)
      const sessions = await listSessions(app.db, user.id, idleSince(app.sessionPolicy))
      return { sessions: sessions.map((session) => toSessionDto(session, app.sessionPolicy, request.credential)) }
    },
  )

  app.delete(
    '/users/:userId/sessions/:sessionId',
    {
      config: { access },
      schema: {
        tags: TAGS,
        summary: "End one of a user's sessions (security administrator)",
        params: Type.Object({ userId: Type.Integer({ minimum: 1 }), sessionId: Type.Integer({ minimum: 1 }) }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = await userOr404(request.params.userId)
      credentialsEnded(app, await revokeSessionAudited(app.db, request, user.id, request.params.sessionId))
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/users/:userId/tokens',
    {
      config: { access },
      schema: {
        tags: TAGS,
        summary: "List a user's usable API tokens (security administrator)",
        params: UserIdParams,
        response: { 200: Type.Object({ tokens: Type.Array(TokenInfoSchema) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = await userOr404(request.params.userId)
      return { tokens: (await listTokens(app.db, user.id)).map((token) => toTokenInfoDto(token, request.credential)) }
    },
  )

  app.post(
    '/users/:userId/tokens',
    {
      config: { access },
      schema: {
        tags: TAGS,
        summary:
          'Issue an API token for a user (security administrator); the token is shown only in this answer, and what is done with it is audited with the issuer too',
        params: UserIdParams,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            expiresInDays: Type.Optional(
              Type.Integer({ minimum: 1, maximum: MAX_TOKEN_DAYS, description: `Days until the token stops working (default ${DEFAULT_TOKEN_DAYS})` }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: TokenSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const issued = await issueTokenAudited(app.db, request, request.params.userId, request.body.name, request.body.expiresInDays)
      return reply.code(201).send(issued)
    },
  )

  app.delete(
    '/users/:userId/tokens/:tokenId',
    {
      config: { access },
      schema: {
        tags: TAGS,
        summary: "Revoke one of a user's API tokens (security administrator)",
        params: Type.Object({ userId: Type.Integer({ minimum: 1 }), tokenId: Type.Integer({ minimum: 1 }) }),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = await userOr404(request.params.userId)
      credentialsEnded(app, await revokeTokenAudited(app.db, request, user.id, request.params.tokenId))
      return reply.code(204).send(null)
    },
  )
}

export default securityUsersRoutes
