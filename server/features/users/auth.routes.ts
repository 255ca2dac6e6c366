import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { HttpError } from '../../core/http/http-error.ts'
import { currentUser, SESSION_COOKIE } from '../../core/auth/auth.plugin.ts'
import { deleteSession } from '../../core/auth/credentials.repository.ts'
import { issueTokenAudited } from './credentials.service.ts'
import { credentialsEnded } from './credential-end.service.ts'
import { startSession } from './sessions.service.ts'
import { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS } from './tokens.service.ts'
import { findUserById, findUserCredentials, updatePasswordHash } from '../../core/auth/users.repository.ts'
import { hashPassword, needsRehash, verifyPassword } from './password-hash.ts'
import { hashSecret } from '../../core/auth/token.ts'
import { acceptLogin, assertLoginAllowed, refuseLogin } from './login-guard.service.ts'
import { secondStepFor } from './login-challenge.service.ts'
import { errorResponses, TokenSchema } from '../../core/http/common.schemas.ts'
import { SecondStepSchema } from './second-factor.schemas.ts'
import { SignedInSchema, signedInAnswer } from './capabilities.ts'

let dummyHash: Promise<string> | undefined

/** Sign-in, sign-out, who-am-I and personal API tokens (listing and revoking: credentials.routes.ts). */
const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['Auth'],
        summary: 'Sign in; sets an HttpOnly session cookie, or asks for the second factor (or its enrolment)',
        description:
          'Locked (429, Retry-After) after too many failures for the username or the address. ' +
          'A user with a second factor, or an administrator who must enrol one, gets a short-lived `challenge` instead of a session: ' +
          'continue with POST /api/auth/login/totp or /api/auth/login/enrol.',
        security: [],
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Union([SignedInSchema, SecondStepSchema]), ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body
      const attempt = { username, address: request.ip }
      await assertLoginAllowed(app.db, attempt, reply)
      const found = await findUserCredentials(app.db, username)
      dummyHash ??= hashPassword('not-a-real-password')
      const hash = found?.password_hash ?? (await dummyHash)
      const matches = await verifyPassword(password, hash)
      if (!found || !matches || found.disabled) {
        throw await refuseLogin(app.db, app.loginPolicy, attempt, found, 'password', reply, new HttpError(401, 'bad_credentials'))
      }
      if (needsRehash(found.password_hash)) await updatePasswordHash(app.db, found.id, await hashPassword(password))
      const secondStep = await secondStepFor(app.db, app.loginPolicy, found)
      if (secondStep) return secondStep
      await acceptLogin(app.db, app.loginPolicy, attempt)
      await startSession(request, reply, found.id)
      const user = await findUserById(app.db, found.id)
      return signedInAnswer(app, user!)
    },
  )

  app.post(
    '/logout',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['Auth'], summary: 'Sign out (ends this session)', response: { 204: Type.Null(), ...errorResponses(401) } },
    },
    async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE]
      if (cookie) {
        const hash = hashSecret(cookie)
        const sessionId = await deleteSession(app.db, hash)
        app.credentials.delete(hash)
        if (sessionId !== undefined) credentialsEnded(app, { kind: 'session', id: sessionId })
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/me',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['Auth'], summary: 'The signed-in user and what they may do', response: { 200: SignedInSchema, ...errorResponses(401) } },
    },
    async (request) => signedInAnswer(app, currentUser(request)),
  )

  app.post(
    '/tokens',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['Auth'],
        summary: `Create a personal API token for the signed-in user (expires after ${DEFAULT_TOKEN_DAYS} days unless asked otherwise, at most ${MAX_TOKEN_DAYS}); the token is shown only in this answer`,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'What the token is for, e.g. "QGIS on my laptop"' })),
            expiresInDays: Type.Optional(
              Type.Integer({ minimum: 1, maximum: MAX_TOKEN_DAYS, description: `Days until the token stops working (default ${DEFAULT_TOKEN_DAYS})` }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: TokenSchema,
          ...errorResponses(400, 401),
        },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const body = request.body ?? {}
      const issued = await issueTokenAudited(app.db, request, user.id, body.name ?? 'API token', body.expiresInDays)
      return reply.code(201).send(issued)
    },
  )
}

export default authRoutes
