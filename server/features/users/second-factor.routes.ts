import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Db } from '../../core/db/database.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { currentUser } from '../../core/auth/auth.plugin.ts'
import { insertAuditEntry, type AuditActor } from '../../core/audit/audit.repository.ts'
import { deleteChallenge, findChallenge } from './second-factor.repository.ts'
import { findUserById, type UserRecord } from '../../core/auth/users.repository.ts'
import type { ChallengePurpose } from '../../core/db/tables/login.ts'
import { hashSecret } from '../../core/auth/token.ts'
import { acceptLogin, assertLoginAllowed, refuseLogin } from './login-guard.service.ts'
import {
  beginEnrolment,
  confirmEnrolment,
  disableSecondFactor,
  hasSecondFactor,
  issueRecoveryCodes,
  secondFactorRequired,
  secondFactorStatus,
  verifySecondFactor,
} from './second-factor.service.ts'
import { startSession } from './sessions.service.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { ChallengeCodeBody, CodeBody, EnrolmentSchema, RecoveryCodesSchema, SecondFactorStatusSchema } from './second-factor.schemas.ts'
import { SignedInSchema, signedInAnswer } from './capabilities.ts'

/** Options of the second-factor routes. */
export interface SecondFactorRoutesOptions {
  /** Mark the session cookie `Secure` (behind HTTPS). */
  secureCookies: boolean
}

/** The audit actor of a user acting on their own second factor. */
function actorOf(user: UserRecord, request: FastifyRequest): AuditActor {
  return { userId: user.id, username: user.username, role: user.role, ip: request.ip ?? null }
}

/**
 * The TOTP second factor (RFC 6238): the sign-in step after the password, the
 * forced enrolment of administrators, and each user's own enrol / disable /
 * recovery codes.
 */
const secondFactorRoutes: FastifyPluginAsyncTypebox<SecondFactorRoutesOptions> = async (app, options) => {
  /** The enabled user a live challenge of `purpose` belongs to; 401 otherwise. */
  async function challengeUser(challenge: string, purpose: ChallengePurpose): Promise<UserRecord> {
    const found = await findChallenge(app.db, hashSecret(challenge), purpose)
    const user = found ? await findUserById(app.db, found.userId) : undefined
    if (!user || user.disabled) throw new HttpError(401, 'login_challenge_invalid')
    return user
  }

  /** Counts a wrong code toward the lockout and returns the error to throw. */
  function wrongCode(user: UserRecord, request: FastifyRequest, reply: FastifyReply, status: 400 | 401): Promise<HttpError> {
    const attempt = { username: user.username, address: request.ip }
    return refuseLogin(app.db, app.loginPolicy, attempt, user, 'second_factor', reply, new HttpError(status, 'second_factor_bad_code'))
  }

  /** Ends the challenge and opens the session: the sign-in is complete. */
  async function completeSignIn(user: UserRecord, challenge: string, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    await deleteChallenge(app.db, hashSecret(challenge), user.id)
    await acceptLogin(app.db, app.loginPolicy, { username: user.username, address: request.ip })
    await startSession(request, reply, user.id)
  }

  app.post(
    '/login/totp',
    {
      config: { access: 'public' },
      schema: {
        tags: ['Auth'],
        summary: 'Second sign-in step: the challenge from the login and a TOTP or recovery code; sets the session cookie',
        security: [],
        body: ChallengeCodeBody,
        response: { 200: SignedInSchema, ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const user = await challengeUser(request.body.challenge, 'verify')
      await assertLoginAllowed(app.db, { username: user.username, address: request.ip }, reply)
      if (!(await verifySecondFactor(app.db, user, request.body.code, app.loginPolicy))) throw await wrongCode(user, request, reply, 401)
      await completeSignIn(user, request.body.challenge, request, reply)
      return signedInAnswer(app, user)
    },
  )

  app.post(
    '/login/enrol',
    {
      config: { access: 'public' },
      schema: {
        tags: ['Auth'],
        summary: 'Forced enrolment of an administrator, step 1: a new authenticator secret and its QR code',
        security: [],
        body: Type.Object({ challenge: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
        response: { 200: EnrolmentSchema, ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const user = await challengeUser(request.body.challenge, 'enrol')
      await assertLoginAllowed(app.db, { username: user.username, address: request.ip }, reply)
      return beginEnrolment(app.db, user, app.loginPolicy)
    },
  )

  app.post(
    '/login/enrol/confirm',
    {
      config: { access: 'public' },
      schema: {
        tags: ['Auth'],
        summary: 'Forced enrolment, step 2: the first code confirms the authenticator; answers the recovery codes (once) and sets the session cookie',
        security: [],
        body: ChallengeCodeBody,
        response: { 200: Type.Object({ ...SignedInSchema.properties, ...RecoveryCodesSchema.properties }), ...errorResponses(400, 401, 409, 429) },
      },
    },
    async (request, reply) => {
      const user = await challengeUser(request.body.challenge, 'enrol')
      await assertLoginAllowed(app.db, { username: user.username, address: request.ip }, reply)
      const codes = await confirmWithAudit(app.db, user, request.body.code, request)
      if (codes === 'nothing_pending') throw new HttpError(409, 'second_factor_not_pending')
      if (codes === 'wrong_code') throw await wrongCode(user, request, reply, 401)
      await completeSignIn(user, request.body.challenge, request, reply)
      return { ...signedInAnswer(app, user), recoveryCodes: codes }
    },
  )

  /** Confirms a pending enrolment and audits it, in one transaction. */
  async function confirmWithAudit(db: Db, user: UserRecord, code: string, request: FastifyRequest) {
    return db.transaction().execute(async (trx) => {
      const pending = await trx.selectFrom('user_second_factors').select('pending_secret').where('user_id', '=', user.id).executeTakeFirst()
      if (!pending?.pending_secret) return 'nothing_pending' as const
      const codes = await confirmEnrolment(trx, user, code, app.loginPolicy)
      if (!codes) return 'wrong_code' as const
      await insertAuditEntry(trx, actorOf(user, request), { action: 'second_factor', subjectKind: 'user', subjectIds: [user.id], detail: { change: 'enrolled' } })
      return codes
    })
  }

  app.get(
    '/second-factor',
    {
      config: { access: 'signed-in' },
      schema: { tags: ['Auth'], summary: 'My second factor (never its secret)', response: { 200: SecondFactorStatusSchema, ...errorResponses(401) } },
    },
    async (request) => secondFactorStatus(app.db, currentUser(request), app.loginPolicy),
  )

  app.post(
    '/second-factor/enrol',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['Auth'],
        summary: 'Start (or redo) enrolling an authenticator; any current one stays in force until the new one is confirmed',
        response: { 200: EnrolmentSchema, ...errorResponses(401) },
      },
    },
    async (request) => beginEnrolment(app.db, currentUser(request), app.loginPolicy),
  )

  app.post(
    '/second-factor/confirm',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['Auth'],
        summary: 'Confirm the authenticator being enrolled with its first code; answers new recovery codes (once)',
        body: CodeBody,
        response: { 200: RecoveryCodesSchema, ...errorResponses(400, 401, 409, 429) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      await assertLoginAllowed(app.db, { username: user.username, address: request.ip }, reply)
      const codes = await confirmWithAudit(app.db, user, request.body.code, request)
      if (codes === 'nothing_pending') throw new HttpError(409, 'second_factor_not_pending')
      if (codes === 'wrong_code') throw await wrongCode(user, request, reply, 400)
      return { recoveryCodes: codes }
    },
  )

  /** Checks a code for a change to an enabled second factor (409 if none, 400 if wrong). */
  async function requireCurrentCode(request: FastifyRequest, code: string, reply: FastifyReply): Promise<UserRecord> {
    const user = currentUser(request)
    await assertLoginAllowed(app.db, { username: user.username, address: request.ip }, reply)
    if (!(await hasSecondFactor(app.db, user.id))) throw new HttpError(409, 'second_factor_not_enabled')
    if (!(await verifySecondFactor(app.db, user, code, app.loginPolicy))) throw await wrongCode(user, request, reply, 400)
    return user
  }

  app.post(
    '/second-factor/recovery-codes',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['Auth'],
        summary: 'Replace my recovery codes (a current code confirms it); the new ones are shown only in this answer',
        body: CodeBody,
        response: { 200: RecoveryCodesSchema, ...errorResponses(400, 401, 409, 429) },
      },
    },
    async (request, reply) => {
      const user = await requireCurrentCode(request, request.body.code, reply)
      const codes = await app.db.transaction().execute(async (trx) => {
        const issued = await issueRecoveryCodes(trx, user.id)
        await insertAuditEntry(trx, actorOf(user, request), { action: 'second_factor', subjectKind: 'user', subjectIds: [user.id], detail: { change: 'recovery_codes' } })
        return issued
      })
      return { recoveryCodes: codes }
    },
  )

  app.post(
    '/second-factor/disable',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['Auth'],
        summary: 'Turn my second factor off (a current code confirms it); administrators may not',
        body: CodeBody,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      const signedIn = currentUser(request)
      if (secondFactorRequired(signedIn.role, app.loginPolicy)) throw new HttpError(403, 'second_factor_required')
      const user = await requireCurrentCode(request, request.body.code, reply)
      await app.db.transaction().execute(async (trx) => {
        await disableSecondFactor(trx, user.id)
        await insertAuditEntry(trx, actorOf(user, request), { action: 'second_factor', subjectKind: 'user', subjectIds: [user.id], detail: { change: 'disabled' } })
      })
      return reply.code(204).send(null)
    },
  )
}

export default secondFactorRoutes
