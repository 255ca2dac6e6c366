import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { Secret, TOTP } from 'otpauth'
import type { Role } from '../../server/core/db/tables/auth.ts'
import { insertSession } from '../../server/core/auth/credentials.repository.ts'
import { hashSecret, newSecret } from '../../server/core/auth/token.ts'
import { issueApiToken } from '../../server/features/users/tokens.service.ts'
import { createUser } from '../../server/features/users/users.service.ts'
import { createTestApp, TEST_PASSWORD, type TestApp, INJECT_ORIGIN } from '../support/test-app.ts'

const SECRET_KEY = randomBytes(32)
let t: TestApp
let counter = 0

beforeAll(async () => {
  // The strict setting of a real deployment, with TOTP secrets sealed at rest.
  t = await createTestApp({ login: { adminSecondFactor: 'required', totpSecretKey: SECRET_KEY } })
})
afterAll(() => t?.close())

async function newUser(role: Role): Promise<{ id: number; username: string }> {
  counter += 1
  const username = `${role}-2fa-${counter}`
  const user = await t.database.engine.db.transaction().execute((trx) => createUser(trx, { username, password: TEST_PASSWORD, role }, null))
  return { id: user.id, username }
}

let addressCounter = 0
function login(username: string, password = TEST_PASSWORD) {
  addressCounter += 1
  return t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: `10.9.${addressCounter}.1`, payload: { username, password } })
}

/** The code an authenticator app would show for `secret`, `stepsAhead` time steps from now. */
function codeFor(secret: string, stepsAhead = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: Date.now() + stepsAhead * 30_000 })
}

function cookieOf(response: { headers: Record<string, unknown> }): string {
  return String(response.headers['set-cookie']).split(';')[0]
}

/** Signs an administrator in through the forced enrolment; returns the secret, recovery codes and session cookie. */
async function enrolThroughLogin(username: string) {
  const first = await login(username)
  const { challenge } = first.json()
  const enrolment = await t.app.inject({ method: 'POST', url: '/api/auth/login/enrol', payload: { challenge } })
  const { secret } = enrolment.json()
  const firstCode = codeFor(secret)
  const confirmed = await t.app.inject({ method: 'POST', url: '/api/auth/login/enrol/confirm', payload: { challenge, code: firstCode } })
  return { secret, firstCode, recoveryCodes: confirmed.json().recoveryCodes as string[], cookie: cookieOf(confirmed) }
}

describe('administrators must enrol a second factor', () => {
  it('gives an administrator with the right password only an enrolment step, no session', async () => {
    for (const role of ['admin', 'security_admin', 'audit_admin'] as const) {
      const admin = await newUser(role)
      const response = await login(admin.username)
      expect(response.statusCode, role).toBe(200)
      expect(response.json()).toEqual({ secondFactor: 'enrol', challenge: expect.any(String), expiresInSeconds: 300 })
      expect(response.headers['set-cookie'], role).toBeUndefined()
      const stored = await t.database.engine.db.selectFrom('login_challenges').select('token_hash').execute()
      expect(stored.map((row) => row.token_hash)).not.toContain(response.json().challenge)
    }
  })

  it('enrols with a QR code and the secret, refuses a wrong first code, then opens a session and shows ten recovery codes once', async () => {
    const admin = await newUser('admin')
    const { challenge } = (await login(admin.username)).json()
    const enrolment = await t.app.inject({ method: 'POST', url: '/api/auth/login/enrol', payload: { challenge } })
    expect(enrolment.statusCode).toBe(200)
    const { otpauthUri, secret, qrSvgDataUrl } = enrolment.json()
    expect(otpauthUri).toMatch(new RegExp(`^otpauth://totp/GridAtlas:${admin.username}\\?`))
    expect(otpauthUri).toContain(`secret=${secret}`)
    expect(secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(qrSvgDataUrl).toMatch(/^data:image\/svg\+xml;base64,/)
    expect(Buffer.from(qrSvgDataUrl.split(',')[1], 'base64').toString()).toMatch(/^<svg/)

    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login/enrol/confirm', headers: { 'accept-language': 'en' }, payload: { challenge, code: '000000' === codeFor(secret) ? '111111' : '000000' } })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json().code).toBe('second_factor_bad_code')
    expect(wrong.headers['set-cookie']).toBeUndefined()

    const confirmed = await t.app.inject({ method: 'POST', url: '/api/auth/login/enrol/confirm', payload: { challenge, code: codeFor(secret) } })
    expect(confirmed.statusCode).toBe(200)
    const { recoveryCodes, user } = confirmed.json()
    expect(user).toMatchObject({ username: admin.username, role: 'admin' })
    expect(recoveryCodes).toHaveLength(10)
    expect(new Set(recoveryCodes).size).toBe(10)
    for (const code of recoveryCodes) expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/)
    const cookie = cookieOf(confirmed)
    expect((await t.app.inject({ url: '/api/users', headers: { cookie, origin: INJECT_ORIGIN } })).statusCode).toBe(200)

    // The challenge was used up.
    const reuse = await t.app.inject({ method: 'POST', url: '/api/auth/login/enrol/confirm', payload: { challenge, code: codeFor(secret, 1) } })
    expect(reuse.statusCode).toBe(401)
    expect(reuse.json().code).toBe('login_challenge_invalid')

    // Stored sealed and hashed: neither the secret nor a recovery code appears in the database.
    const row = await t.database.engine.db.selectFrom('user_second_factors').selectAll().where('user_id', '=', admin.id).executeTakeFirstOrThrow()
    expect(row.secret).toMatch(/^v1\./)
    expect(row.secret).not.toContain(secret)
    expect(row.pending_secret).toBeNull()
    const hashes = await t.database.engine.db.selectFrom('user_recovery_codes').select('code_hash').where('user_id', '=', admin.id).execute()
    expect(hashes).toHaveLength(10)
    expect(JSON.stringify(hashes)).not.toContain(recoveryCodes[0].replaceAll('-', ''))

    // The status never shows the secret again.
    const status = await t.app.inject({ url: '/api/auth/second-factor', headers: { cookie, origin: INJECT_ORIGIN } })
    expect(status.json()).toMatchObject({ enabled: true, pending: false, recoveryCodesLeft: 10, required: true })
    expect(status.body).not.toContain(secret)
  })

  it('does not let an enrolment challenge stand in for a session', async () => {
    const admin = await newUser('security_admin')
    const { challenge } = (await login(admin.username)).json()
    expect((await t.app.inject({ url: '/api/security/lockouts', headers: { cookie: `ga_session=${challenge}` } })).statusCode).toBe(401)
    expect((await t.app.inject({ url: '/api/security/lockouts', headers: { authorization: `Bearer ${challenge}` } })).statusCode).toBe(401)
    const totp = await t.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge, code: '123456' } })
    expect(totp.statusCode).toBe(401)
    expect(totp.json().code).toBe('login_challenge_invalid')
  })
  it('limits an administrator session from before the requirement to enrolment until a second factor is confirmed', async () => {
    const admin = await newUser('admin')
    // A session opened before the upgrade (or while ADMIN_SECOND_FACTOR was off).
    const secret = newSecret()
    await insertSession(t.database.engine.db, { tokenHash: hashSecret(secret), userId: admin.id, expiresAt: new Date(Date.now() + 3_600_000), clientIp: null, userAgent: null })
    const cookie = `ga_session=${secret}`
    const refused = await t.app.inject({ url: '/api/users', headers: { cookie, origin: INJECT_ORIGIN, 'accept-language': 'en' } })
    expect(refused.statusCode).toBe(403)
    expect(refused.json().code).toBe('second_factor_enrolment_required')
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie, origin: INJECT_ORIGIN } })).statusCode).toBe(200)
    const enrolment = await t.app.inject({ method: 'POST', url: '/api/auth/second-factor/enrol', headers: { cookie, origin: INJECT_ORIGIN } })
    expect(enrolment.statusCode).toBe(200)
    const confirmed = await t.app.inject({ method: 'POST', url: '/api/auth/second-factor/confirm', headers: { cookie, origin: INJECT_ORIGIN }, payload: { code: codeFor(enrolment.json().secret) } })
    expect(confirmed.statusCode).toBe(200)
    expect((await t.app.inject({ url: '/api/users', headers: { cookie, origin: INJECT_ORIGIN } })).statusCode).toBe(200)
  })
})

describe('signing in with the second factor', () => {
  it('asks for the code after the password, refuses a replayed code, and accepts the next one', async () => {
    const admin = await newUser('admin')
    const { secret, firstCode } = await enrolThroughLogin(admin.username)
    const first = await login(admin.username)
    expect(first.json()).toMatchObject({ secondFactor: 'required' })
    expect(first.headers['set-cookie']).toBeUndefined()
    // The enrolment's code again: a replay, refused even while it is still within its step (or the one after).
    const replay = await t.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge: first.json().challenge, code: firstCode } })
    expect(replay.statusCode).toBe(401)
    expect(replay.json().code).toBe('second_factor_bad_code')
    // The next step's code (an authenticator 30 s later; accepted within one step of drift).
    const nextCode = codeFor(secret, 1)
    const next = await t.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge: first.json().challenge, code: nextCode } })
    expect(next.statusCode).toBe(200)
    expect(next.json().user.username).toBe(admin.username)
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie: cookieOf(next) } })
    expect(me.statusCode).toBe(200)
    const again = await login(admin.username)
    const replayNext = await t.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge: again.json().challenge, code: nextCode } })
    expect(replayNext.statusCode).toBe(401)
  })

  it('accepts each recovery code once instead of a TOTP code', async () => {
    const admin = await newUser('audit_admin')
    const { recoveryCodes } = await enrolThroughLogin(admin.username)
    const first = (await login(admin.username)).json().challenge
    const used = await t.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge: first, code: recoveryCodes[3].toLowerCase() } })
    expect(used.statusCode).toBe(200)
    const second = (await login(admin.username)).json().challenge
    const reused = await t.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge: second, code: recoveryCodes[3] } })
    expect(reused.statusCode).toBe(401)
    const status = await t.app.inject({ url: '/api/auth/second-factor', headers: { cookie: cookieOf(used) } })
    expect(status.json().recoveryCodesLeft).toBe(9)
  })

  it('refuses an expired challenge', async () => {
    const admin = await newUser('admin')
    const { secret } = await enrolThroughLogin(admin.username)
    const { challenge } = (await login(admin.username)).json()
    await sql`UPDATE login_challenges SET expires_at = now() - interval '1 second' WHERE user_id = ${admin.id}`.execute(t.database.engine.db)
    const late = await t.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge, code: codeFor(secret, 1) } })
    expect(late.statusCode).toBe(401)
    expect(late.json().code).toBe('login_challenge_invalid')
  })

  it('counts wrong codes toward the lockout: five lock the account, and then even a right code gets 429', async () => {
    const admin = await newUser('admin')
    const { secret } = await enrolThroughLogin(admin.username)
    const { challenge } = (await login(admin.username)).json()
    const valid = new Set([-1, 0, 1].map((steps) => codeFor(secret, steps)))
    const wrongCodes = ['111111', '222222', '333333', '444444', '555555', '666666', '777777'].filter((code) => !valid.has(code)).slice(0, 5)
    const statuses: number[] = []
    for (const code of wrongCodes) statuses.push((await t.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge, code } })).statusCode)
    expect(statuses).toEqual([401, 401, 401, 401, 429])
    const right = await t.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge, code: codeFor(secret, 1) } })
    expect(right.statusCode).toBe(429)
    expect(right.headers['retry-after']).toBeDefined()
    const actions = await t.database.engine.db.selectFrom('audit_log').select(['action', 'detail']).where('username', '=', admin.username).orderBy('id').execute()
    expect(actions.filter((row) => row.action === 'login_failed').every((row) => (row.detail as { step: string }).step === 'second_factor')).toBe(true)
    expect(actions.map((row) => row.action)).toContain('lockout')
  })

  it('keeps API tokens usable for scripts and GIS clients without TOTP', async () => {
    const admin = await newUser('admin')
    const { token } = await issueApiToken(t.database.engine.db, admin.id, 'QGIS')
    const response = await t.app.inject({ url: '/api/users', headers: { authorization: `Bearer ${token}` } })
    expect(response.statusCode).toBe(200)
  })
})

describe('reset by the security administrator', () => {
  it('resets a user\'s second factor (audited), so an administrator enrols again; nobody else may', async () => {
    const security = await newUser('security_admin')
    const { cookie } = await enrolThroughLogin(security.username)
    const admin = await newUser('admin')
    const adminSession = await enrolThroughLogin(admin.username)
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: adminSession.cookie } })).statusCode).toBe(200)
    const other = await enrolThroughLogin((await newUser('admin')).username)
    expect((await t.app.inject({ method: 'DELETE', url: `/api/security/users/${admin.id}/second-factor`, headers: { cookie: other.cookie, origin: INJECT_ORIGIN } })).statusCode).toBe(403)

    const reset = await t.app.inject({ method: 'DELETE', url: `/api/security/users/${admin.id}/second-factor`, headers: { cookie, origin: INJECT_ORIGIN } })
    expect(reset.statusCode).toBe(204)
    // A lost phone may hold a signed-in browser: the reset ends the user's sessions.
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: adminSession.cookie } })).statusCode).toBe(401)
    expect((await login(admin.username)).json().secondFactor).toBe('enrol')
    const again = await t.app.inject({ method: 'DELETE', url: `/api/security/users/${admin.id}/second-factor`, headers: { cookie, origin: INJECT_ORIGIN } })
    expect(again.statusCode).toBe(409)
    expect((await t.app.inject({ method: 'DELETE', url: '/api/security/users/99999999/second-factor', headers: { cookie, origin: INJECT_ORIGIN } })).statusCode).toBe(404)
    const entry = await t.database.engine.db
      .selectFrom('audit_log')
      .select(['username', 'detail'])
      .where('action', '=', 'second_factor')
      .where(sql<boolean>`subject_ids @> ARRAY[${admin.id}::bigint]`)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(entry).toMatchObject({ username: security.username, detail: { change: 'reset' } })
  })
})

describe('the second factor as an option for other users', () => {
  it('lets a leader sign in with the password alone, enrol, then needs the code; disabling needs a current code', async () => {
    const leader = await newUser('leader')
    const plain = await login(leader.username)
    expect(plain.json().user.username).toBe(leader.username)
    const cookie = cookieOf(plain)
    expect((await t.app.inject({ url: '/api/auth/second-factor', headers: { cookie, origin: INJECT_ORIGIN } })).json()).toMatchObject({ enabled: false, required: false })

    const noPending = await t.app.inject({ method: 'POST', url: '/api/auth/second-factor/confirm', headers: { cookie, origin: INJECT_ORIGIN }, payload: { code: '123456' } })
    expect(noPending.statusCode).toBe(409)
    const enrolment = await t.app.inject({ method: 'POST', url: '/api/auth/second-factor/enrol', headers: { cookie, origin: INJECT_ORIGIN } })
    const { secret } = enrolment.json()
    const confirmed = await t.app.inject({ method: 'POST', url: '/api/auth/second-factor/confirm', headers: { cookie, origin: INJECT_ORIGIN }, payload: { code: codeFor(secret) } })
    expect(confirmed.statusCode).toBe(200)
    expect(confirmed.json().recoveryCodes).toHaveLength(10)

    expect((await login(leader.username)).json().secondFactor).toBe('required')

    const regenerated = await t.app.inject({ method: 'POST', url: '/api/auth/second-factor/recovery-codes', headers: { cookie, origin: INJECT_ORIGIN }, payload: { code: confirmed.json().recoveryCodes[0] } })
    expect(regenerated.statusCode).toBe(200)
    expect(regenerated.json().recoveryCodes).toHaveLength(10)
    expect(regenerated.json().recoveryCodes).not.toContain(confirmed.json().recoveryCodes[1])

    const badDisable = await t.app.inject({ method: 'POST', url: '/api/auth/second-factor/disable', headers: { cookie, origin: INJECT_ORIGIN }, payload: { code: 'nope-nope' } })
    expect(badDisable.statusCode).toBe(400)
    const disable = await t.app.inject({ method: 'POST', url: '/api/auth/second-factor/disable', headers: { cookie, origin: INJECT_ORIGIN }, payload: { code: codeFor(secret, 1) } })
    expect(disable.statusCode).toBe(204)
    expect((await login(leader.username)).json().user.username).toBe(leader.username)
    const audited = await t.database.engine.db.selectFrom('audit_log').select('detail').where('username', '=', leader.username).where('action', '=', 'second_factor').orderBy('id').execute()
    expect(audited.map((row) => (row.detail as { change: string }).change)).toEqual(['enrolled', 'recovery_codes', 'disabled'])
  })

  it('refuses to turn the second factor off for an administrator, but lets them re-enrol', async () => {
    const admin = await newUser('admin')
    const { secret, cookie } = await enrolThroughLogin(admin.username)
    const disable = await t.app.inject({ method: 'POST', url: '/api/auth/second-factor/disable', headers: { cookie, origin: INJECT_ORIGIN, 'accept-language': 'en' }, payload: { code: codeFor(secret, 1) } })
    expect(disable.statusCode).toBe(403)
    expect(disable.json().code).toBe('second_factor_required')
    const reEnrol = await t.app.inject({ method: 'POST', url: '/api/auth/second-factor/enrol', headers: { cookie, origin: INJECT_ORIGIN } })
    const newSecret = reEnrol.json().secret
    expect(newSecret).not.toBe(secret)
    // Until confirmed, the old authenticator stays in force.
    expect((await t.app.inject({ url: '/api/auth/second-factor', headers: { cookie, origin: INJECT_ORIGIN } })).json()).toMatchObject({ enabled: true, pending: true })
    const confirmed = await t.app.inject({ method: 'POST', url: '/api/auth/second-factor/confirm', headers: { cookie, origin: INJECT_ORIGIN }, payload: { code: codeFor(newSecret, 1) } })
    expect(confirmed.statusCode).toBe(200)
    const { challenge } = (await login(admin.username)).json()
    const oldCode = await t.app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge, code: codeFor(secret, 1) === codeFor(newSecret, 1) ? '000000' : codeFor(secret, 1) } })
    expect(oldCode.statusCode).toBe(401)
  })
})
