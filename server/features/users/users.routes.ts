import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { HttpError } from '../../core/http/http-error.ts'
import { toUserDto } from './user-dto.ts'
import { currentUser } from '../../core/auth/auth.plugin.ts'
import { ADMIN_ROLES, type Role } from '../../core/db/tables/auth.ts'
import { listUsers } from '../../core/auth/users.repository.ts'
import { createUser, MIN_PASSWORD_LENGTH } from './users.service.ts'
import { errorResponses, RoleSchema, UserSchema } from '../../core/http/common.schemas.ts'
import { roles } from '../../core/auth/access.ts'

const UNIQUE_VIOLATION = '23505'

/** User administration (admin only). */
const usersRoutes: FastifyPluginAsyncTypebox = async (app) => {

  app.post(
    '',
    {
      config: { access: roles('admin') },
      schema: {
        tags: ['Users'],
        summary: 'Create a user with an ordinary role (system administrator; administrator accounts: POST /api/security/users)',
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
      // Administrator accounts are the security administrator's to create (三员分立): POST /api/security/users.
      if ((ADMIN_ROLES as readonly Role[]).includes(request.body.role)) {
        throw new HttpError(403, 'admin_role_for_security_admin', { role: request.body.role })
      }
      try {
        const user = await app.db.transaction().execute((trx) => createUser(trx, request.body, { id: admin.id, townId: admin.townId }))
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
    '',
    {
      config: { access: roles('admin') },
      schema: { tags: ['Users'], summary: 'List users (admin): a town administrator\'s town, the county administrator\'s whole county', response: { 200: Type.Object({ users: Type.Array(UserSchema) }), ...errorResponses(401, 403) } },
    },
    async (request) => ({ users: (await listUsers(app.db)).map(toUserDto) }),
  )
}

export default usersRoutes
