import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { HttpError } from '../../core/http/http-error.ts'
import { credentialsEnded } from './credential-end.service.ts'
import { insertAuditEntry } from '../../core/audit/audit.repository.ts'
import { clearLoginFailures, findActiveLock, listActiveLocks, type ThrottleKind } from './login-throttle.repository.ts'
import { findAdministeredUser, findAdministeredUsername, findUserCredentials } from '../../core/auth/users.repository.ts'
import { currentUser } from '../../core/auth/auth.plugin.ts'
import { isCountyUser } from '../../core/auth/scope.ts'
import { roles } from '../../core/auth/access.ts'
import { auditActor } from '../../core/audit/audit.service.ts'
import { disableSecondFactor, hasSecondFactor } from './second-factor.service.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'

const LockSchema = Type.Object({
  kind: Type.Union([Type.Literal('username'), Type.Literal('address')], { description: 'What is locked: a username or a client address' }),
  key: Type.String({ description: 'The username or the address' }),
  failures: Type.Integer({ description: 'Failed sign-ins counted in the window' }),
  lockedUntil: Type.String({ format: 'date-time' }),
})

/**
 * Whether the request sees every lock: a county security administrator does;
 * a town's sees the locks of its town's users only. Addresses and names of
 * nobody (guessed usernames) belong to no town: they are the county's.
 */
function seesEveryLock(request: FastifyRequest): boolean {
  return isCountyUser(currentUser(request))
}

/**
 * Login lockouts and second-factor resets, for the security administrator
 * (安全管理员): a town's administrator handles its town's users, the county's
 * everyone and every address.
 */
const securityLockoutsRoutes: FastifyPluginAsyncTypebox = async (app) => {

  /** Lifts a lock, audited; 404 when `key` is not locked now. */
  async function unlock(request: FastifyRequest, kind: ThrottleKind, key: string): Promise<void> {
    const reachable = seesEveryLock(request) || (kind === 'username' && (await findAdministeredUsername(app.db, key)) !== undefined)
    // Another town's lock is not found, exactly like a lock that is not there.
    if (!reachable || !(await findActiveLock(app.db, [{ kind, key }]))) throw new HttpError(404, 'lockout_not_found', { key })
    const found = kind === 'username' ? await findUserCredentials(app.db, key) : undefined
    await app.db.transaction().execute(async (trx) => {
      await clearLoginFailures(trx, kind, key)
      await insertAuditEntry(trx, auditActor(request), { action: 'unlock', subjectKind: 'login', subjectIds: found ? [found.id] : [], detail: { kind, key } })
    })
  }

  app.get(
    '/lockouts',
    {
      config: { access: roles('security_admin') },
      schema: {
        tags: ['Security'],
        summary: 'Sign-in locks in force now (security administrator: a town\'s administrator the locks of their town\'s users)',
        response: { 200: Type.Object({ lockouts: Type.Array(LockSchema) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({
      lockouts: (await listActiveLocks(app.db, { everyLock: seesEveryLock(request) })).map((lock) => ({ ...lock, lockedUntil: lock.lockedUntil.toISOString() })),
    }),
  )

  app.delete(
    '/lockouts/:username',
    {
      config: { access: roles('security_admin') },
      schema: {
        tags: ['Security'],
        summary: "Unlock a username and forget its failures (security administrator)",
        params: Type.Object({ username: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await unlock(request, 'username', request.params.username)
      return reply.code(204).send(null)
    },
  )

  app.delete(
    '/lockouts/address/:address',
    {
      config: { access: roles('security_admin') },
      schema: {
        tags: ['Security'],
        summary: 'Unlock a client address and forget its failures (security administrator)',
        params: Type.Object({ address: Type.String({ minLength: 1, maxLength: 100 }) }),
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await unlock(request, 'address', request.params.address)
      return reply.code(204).send(null)
    },
  )

  app.delete(
    '/users/:userId/second-factor',
    {
      config: { access: roles('security_admin') },
      schema: {
        tags: ['Security'],
        summary: 'Reset a user\'s second factor after a lost phone and lost recovery codes (security administrator); ends their browser sessions; an administrator must enrol again at the next sign-in',
        params: Type.Object({ userId: Type.Integer({ minimum: 1 }) }),
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const user = await findAdministeredUser(app.db, request.params.userId)
      if (!user) throw new HttpError(404, 'user_not_found', { id: request.params.userId })
      if (!(await hasSecondFactor(app.db, user.id))) throw new HttpError(409, 'second_factor_not_enabled')
      // The lost phone may still hold a signed-in browser: its sessions end with the factor.
      const endedSessions = await app.db.transaction().execute(async (trx) => {
        await disableSecondFactor(trx, user.id)
        const ended = await trx.deleteFrom('sessions').where('user_id', '=', user.id).returning('id').execute()
        await insertAuditEntry(trx, auditActor(request), {
          action: 'second_factor',
          subjectKind: 'user',
          subjectIds: [user.id],
          detail: { change: 'reset', username: user.username, sessionsEnded: ended.length },
        })
        return ended.map((row) => Number(row.id))
      })
      for (const id of endedSessions) credentialsEnded(app, { kind: 'session', id })
      return reply.code(204).send(null)
    },
  )
}

export default securityLockoutsRoutes
