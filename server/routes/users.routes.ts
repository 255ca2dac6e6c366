import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { HttpError } from '../http-error.ts'
import { toUserDto } from '../mappers/user.mapper.ts'
import { currentUser } from '../plugins/auth.plugin.ts'
import { findUserById, listUsers } from '../repositories/users.repository.ts'
import { issueApiToken } from '../services/tokens.service.ts'
import { createUser, MIN_PASSWORD_LENGTH } from '../services/users.service.ts'
import { errorResponses, RoleSchema, TokenSchema, UserSchema } from './schemas.ts'
import { roles } from '../security/access.ts'

const UNIQUE_VIOLATION = '23505'

/** User administration (admin only). */
const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {

  app.post(
    '/api/users',
    {
      config: { access: roles('admin') },
      schema: {
        tags: ['Users'],
        summary: 'Create a user (admin)',
        body: Type.Object(
          {
            username: Type.String({ pattern: '^[A-Za-z0-9_.-]{2,40}$', description: 'Letters, digits, _ . - (2–40)' }),
            password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 200 }),
            role: RoleSchema,
            displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
            stationKey: Type.Optional(Type.String({ maxLength: 40 })),
            gridIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ user: UserSchema }), ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const admin = currentUser(request)
      try {
        const user = await app.db.transaction().execute((trx) => createUser(trx, request.body, admin.id))
        return reply.code(201).send({ user: toUserDto(user) })
      } catch (error) {
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
          throw new HttpError(409, 'username_taken', { username: request.body.username })
        }
        throw error
      }
    },
  )

  app.get(
    '/api/users',
    {
      config: { access: roles('admin') },
      schema: { tags: ['Users'], summary: 'List users (admin)', response: { 200: Type.Object({ users: Type.Array(UserSchema) }), ...errorResponses(401, 403) } },
    },
    async () => ({ users: (await listUsers(app.db)).map(toUserDto) }),
  )

  app.post(
    '/api/users/:userId/tokens',
    {
      config: { access: roles('admin') },
      schema: {
        tags: ['Users'],
        summary: 'Create an API token for a user (admin); the token is shown only in this answer',
        params: Type.Object({ userId: Type.Integer({ minimum: 1 }) }),
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 100 }), expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })) },
          { additionalProperties: false },
        ),
        response: {
          201: TokenSchema,
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const user = await findUserById(app.db, request.params.userId)
      if (!user) throw new HttpError(404, 'user_not_found', { id: request.params.userId })
      const issued = await issueApiToken(app.db, user.id, request.body.name, request.body.expiresInDays)
      return reply.code(201).send(issued)
    },
  )
}

export default usersRoutes
