import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { buildApp } from '../../server/app.ts'
import { readConfig } from '../../server/config.ts'
import { createTestApp, TEST_PASSWORD, type TestApp, type TestUser } from '../support/test-app.ts'

let t: TestApp
let security: TestUser
let admin: TestUser

beforeAll(async () => {
  t = await createTestApp()
  security = await t.signIn('security_admin')
  admin = await t.signIn('admin')
})
afterAll(() => t?.close())

const db = () => t.database.engine.db
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

async function me(headers: Record<string, string>) {
  return t.app.inject({ url: '/api/auth/me', headers })
}

/** Signs in again as `user` through the API; returns the new session's cookie header. */
async function signInAgain(user: TestUser, password = TEST_PASSWORD): Promise<Record<string, string>> {
  const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password } })
  expect(response.statusCode, response.body).toBe(200)
  return { cookie: String(response.headers['set-cookie']).split(';')[0] }
}

async function createToken(headers: Record<string, string>, payload: Record<string, unknown> = { name: 'QGIS' }) {
  const response = await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers, payload })
  expect(response.statusCode, response.body).toBe(201)
  return response.json() as { id: number; token: string; expiresAt: string }
}

async function auditRows(userId: number) {
  return db()
    .selectFrom('audit_log')
    .selectAll()
    .where(sql<boolean>`subject_ids @> ARRAY[${userId}::bigint]`)
    .where('subject_kind', '=', 'user')
    .orderBy('id')
    .execute()
}

describe('a token issued by an administrator for another user', () => {
  it('is issued by the security administrator only, audited, and what is done with it names the issuer', async () => {
    const dispatcher = await t.signIn('dispatcher')
    const byAdmin = await t.app.inject({ method: 'POST', url: `/api/users/${dispatcher.id}/tokens`, headers: admin.headers, payload: { name: 'x' } })
    expect(byAdmin.statusCode).toBe(403)

    const issued = await t.app.inject({
      method: 'POST',
      url: `/api/users/${dispatcher.id}/tokens`,
      headers: security.headers,
      payload: { name: 'field tablet' },
    })
    expect(issued.statusCode, issued.body).toBe(201)
    const { id: tokenId, token, issuedBy } = issued.json()
    expect(issuedBy).toBe(security.id)

    const issuing = (await auditRows(dispatcher.id)).find((row) => row.action === 'create')
    expect(issuing).toMatchObject({ user_id: security.id, role: 'security_admin', credential_kind: 'session' })
    expect(issuing!.detail).toMatchObject({ credential: { kind: 'token', id: tokenId }, outcome: 'done' })

    const list = await t.app.inject({ url: '/api/key-persons', headers: bearer(token) })
    expect(list.statusCode, list.body).toBe(200)
    const used = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('user_id', '=', dispatcher.id)
      .where('action', '=', 'list')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(used).toMatchObject({ username: dispatcher.username, credential_kind: 'token', credential_issued_by: security.id })
    expect(Number(used.credential_id)).toBe(tokenId)

    const listed = await t.app.inject({ url: '/api/auth/tokens', headers: dispatcher.headers })
    expect(listed.json().tokens.find((row: { id: number }) => row.id === tokenId).issuedBy).toEqual({ id: security.id, username: security.username })
  })

  it('records the session an ordinary action was made with', async () => {
    const dispatcher = await t.signIn('dispatcher')
    const sessions = (await t.app.inject({ url: '/api/auth/sessions', headers: dispatcher.headers })).json().sessions
    const current = sessions.find((session: { current: boolean }) => session.current)
    expect((await t.app.inject({ url: '/api/key-persons', headers: dispatcher.headers })).statusCode).toBe(200)
    const used = await db().selectFrom('audit_log').selectAll().where('user_id', '=', dispatcher.id).orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(used).toMatchObject({ credential_kind: 'session', credential_issued_by: null })
    expect(Number(used.credential_id)).toBe(current.id)
  })
})

describe('your own sessions and tokens', () => {
  it('lists your sessions with the current one marked, and ends another at once', async () => {
    const leader = await t.signIn('leader')
    const second = await signInAgain(leader)
    expect((await me(second)).statusCode).toBe(200) // now trusted by the credential cache
    const listed = await t.app.inject({ url: '/api/auth/sessions', headers: leader.headers })
    expect(listed.statusCode).toBe(200)
    const sessions = listed.json().sessions as Array<{ id: number; current: boolean; expiresAt: string; idleExpiresAt: string }>
    expect(sessions).toHaveLength(2)
    expect(sessions.filter((session) => session.current)).toHaveLength(1)
    const other = sessions.find((session) => !session.current)!
    expect(listed.body).not.toMatch(/token_hash|tokenHash/)

    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/auth/sessions/${other.id}`, headers: leader.headers })
    expect(revoked.statusCode).toBe(204)
    const after = await me(second)
    expect(after.statusCode).toBe(401)
    expect((await me(leader.headers)).statusCode).toBe(200)
    const audit = (await auditRows(leader.id)).find((row) => row.action === 'revoke')
    expect(audit?.detail).toMatchObject({ credential: { kind: 'session', id: other.id }, outcome: 'done' })
  })

  it("answers 404 for someone else's session or token, and leaves it alone", async () => {
    const a = await t.signIn('leader')
    const b = await t.signIn('leader')
    const bToken = await createToken(b.headers)
    const bSession = (await t.app.inject({ url: '/api/auth/sessions', headers: b.headers })).json().sessions[0]
    const session = await t.app.inject({ method: 'DELETE', url: `/api/auth/sessions/${bSession.id}`, headers: a.headers })
    expect(session.statusCode).toBe(404)
    expect(session.json().code).toBe('session_not_found')
    const token = await t.app.inject({ method: 'DELETE', url: `/api/auth/tokens/${bToken.id}`, headers: a.headers })
    expect(token.statusCode).toBe(404)
    expect(token.json().code).toBe('token_not_found')
    expect((await me(b.headers)).statusCode).toBe(200)
    expect((await me(bearer(bToken.token))).statusCode).toBe(200)
  })

  it('lists your tokens without their secret and revokes one at once', async () => {
    const station = await t.signIn('station')
    const created = await createToken(station.headers, { name: 'QGIS laptop', expiresInDays: 30 })
    expect((await me(bearer(created.token))).statusCode).toBe(200) // cached now
    const listed = await t.app.inject({ url: '/api/auth/tokens', headers: bearer(created.token) })
    expect(listed.statusCode).toBe(200)
    const tokens = listed.json().tokens
    expect(tokens).toEqual([expect.objectContaining({ id: created.id, name: 'QGIS laptop', current: true, issuedBy: null })])
    expect(listed.body).not.toContain(created.token)

    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/auth/tokens/${created.id}`, headers: station.headers })
    expect(revoked.statusCode).toBe(204)
    const after = await me(bearer(created.token))
    expect(after.statusCode).toBe(401)
    expect(after.json().code).toBe('bad_token')
    expect((await t.app.inject({ url: '/api/auth/tokens', headers: station.headers })).json().tokens).toEqual([])
    const again = await t.app.inject({ method: 'DELETE', url: `/api/auth/tokens/${created.id}`, headers: station.headers })
    expect(again.statusCode).toBe(404)
  })

  it('answers 400 for a malformed id', async () => {
    const leader = await t.signIn('leader')
    expect((await t.app.inject({ method: 'DELETE', url: '/api/auth/sessions/abc', headers: leader.headers })).statusCode).toBe(400)
    expect((await t.app.inject({ method: 'DELETE', url: '/api/auth/tokens/0', headers: leader.headers })).statusCode).toBe(400)
  })
})

describe('token expiry', () => {
  it('gives every token an expiry: 90 days by default, at most 365', async () => {
    const leader = await t.signIn('leader')
    const plain = await createToken(leader.headers)
    const days = (Date.parse(plain.expiresAt) - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(89.9)
    expect(days).toBeLessThan(90.1)
    const tooLong = await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: leader.headers, payload: { name: 'x', expiresInDays: 3650 } })
    expect(tooLong.statusCode).toBe(400)
    const row = await db().selectFrom('api_tokens').select('expires_at').where('id', '=', plain.id).executeTakeFirstOrThrow()
    expect(row.expires_at).not.toBeNull()
  })

  it('refuses an expired token', async () => {
    const leader = await t.signIn('leader')
    const created = await createToken(leader.headers)
    await db().updateTable('api_tokens').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', created.id).execute()
    const response = await me(bearer(created.token))
    expect(response.statusCode).toBe(401)
    expect(response.json().code).toBe('bad_token')
  })
})

describe('session lifetimes', () => {
  it('sets a cookie that expires with the idle timeout (30 minutes)', async () => {
    const leader = await t.signIn('leader')
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: leader.username, password: TEST_PASSWORD } })
    const expires = /Expires=([^;]+)/i.exec(String(response.headers['set-cookie']))![1]
    const minutes = (Date.parse(expires) - Date.now()) / 60_000
    expect(minutes).toBeGreaterThan(28)
    expect(minutes).toBeLessThanOrEqual(30)
  })

  it('ends a session unused for longer than the idle timeout', async () => {
    const leader = await t.signIn('leader')
    await db().updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 31 * 60_000) }).where('user_id', '=', leader.id).execute()
    const response = await t.app.inject({ url: '/api/auth/me', headers: { ...leader.headers, 'accept-language': 'en' } })
    expect(response.statusCode).toBe(401)
    expect(response.json()).toEqual({ code: 'session_expired', message: expect.stringContaining('30 minutes') })
  })

  it('ends a session after its absolute lifetime however busy', async () => {
    const leader = await t.signIn('leader')
    const row = await db().selectFrom('sessions').select(['created_at', 'expires_at']).where('user_id', '=', leader.id).executeTakeFirstOrThrow()
    expect((row.expires_at.getTime() - row.created_at.getTime()) / 3_600_000).toBeCloseTo(12, 1)
    await db().updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', leader.id).execute()
    expect((await me(leader.headers)).json().code).toBe('session_expired')
  })

  it('writes last use at most once a minute and slides the cookie when it does', async () => {
    const leader = await t.signIn('leader')
    const lastSeen = async () =>
      (await db().selectFrom('sessions').select('last_seen_at').where('user_id', '=', leader.id).executeTakeFirstOrThrow()).last_seen_at.getTime()
    const first = await lastSeen()
    t.app.credentials.clear()
    const quiet = await me(leader.headers)
    expect(quiet.headers['set-cookie']).toBeUndefined()
    expect(await lastSeen()).toBe(first)
    const twoMinutesAgo = new Date(Date.now() - 120_000)
    await db().updateTable('sessions').set({ last_seen_at: twoMinutesAgo }).where('user_id', '=', leader.id).execute()
    t.app.credentials.clear()
    const touched = await me(leader.headers)
    expect(touched.statusCode).toBe(200)
    expect(await lastSeen()).toBeGreaterThan(twoMinutesAgo.getTime() + 60_000)
    expect(String(touched.headers['set-cookie'])).toMatch(/^ga_session=.*Expires=/i)
  })
})

describe('session settings', () => {
  it('reads SESSION_IDLE_MINUTES and SESSION_MAX_HOURS, refusing nonsense at start-up', () => {
    expect(readConfig({})).toMatchObject({ sessionIdleMinutes: 30, sessionMaxHours: 12 })
    expect(readConfig({ SESSION_IDLE_MINUTES: '15', SESSION_MAX_HOURS: '8' })).toMatchObject({ sessionIdleMinutes: 15, sessionMaxHours: 8 })
    expect(() => readConfig({ SESSION_IDLE_MINUTES: 'soon' })).toThrow(/SESSION_IDLE_MINUTES/)
    expect(() => readConfig({ SESSION_MAX_HOURS: '0' })).toThrow(/SESSION_MAX_HOURS/)
  })

  it('applies the configured idle timeout and lifetime to new sessions', async () => {
    const leader = await t.signIn('leader')
    const app = await buildApp({ engine: t.database.engine, logLevel: 'silent', login: { adminSecondFactor: 'off' }, sessionIdleMinutes: 5, sessionMaxHours: 2 })
    try {
      const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: leader.username, password: TEST_PASSWORD } })
      const expires = /Expires=([^;]+)/i.exec(String(response.headers['set-cookie']))![1]
      expect((Date.parse(expires) - Date.now()) / 60_000).toBeLessThanOrEqual(5)
      expect((Date.parse(expires) - Date.now()) / 60_000).toBeGreaterThan(4)
      const cookie = String(response.headers['set-cookie']).split(';')[0]
      const sessions = (await app.inject({ url: '/api/auth/sessions', headers: { cookie } })).json().sessions
      const current = sessions.find((session: { current: boolean }) => session.current)
      expect((Date.parse(current.expiresAt) - Date.parse(current.createdAt)) / 3_600_000).toBeCloseTo(2, 1)
    } finally {
      await app.close()
    }
  })
})

describe('the security administrator', () => {
  it('lists users with their status and credentials, and a user’s sessions and tokens', async () => {
    const worker = await t.signIn('grid_worker')
    await createToken(worker.headers)
    const users = await t.app.inject({ url: '/api/security/users', headers: security.headers })
    expect(users.statusCode).toBe(200)
    expect(users.json().users.find((user: { id: number }) => user.id === worker.id)).toMatchObject({
      disabled: false,
      activeSessions: 1,
      activeTokens: 1,
    })
    expect((await t.app.inject({ url: `/api/users/${worker.id}/sessions`, headers: security.headers })).json().sessions).toHaveLength(1)
    expect((await t.app.inject({ url: `/api/users/${worker.id}/tokens`, headers: security.headers })).json().tokens).toHaveLength(1)
    expect((await t.app.inject({ url: `/api/users/999999/sessions`, headers: security.headers })).statusCode).toBe(404)
    for (const who of [admin, worker]) {
      expect((await t.app.inject({ url: '/api/security/users', headers: who.headers })).statusCode).toBe(403)
      expect((await t.app.inject({ url: `/api/users/${worker.id}/sessions`, headers: who.headers })).statusCode).toBe(403)
    }
  })

  it("revokes one of a user's sessions or tokens, or all of them, at once", async () => {
    const worker = await t.signIn('grid_worker')
    const token = await createToken(worker.headers)
    const second = await signInAgain(worker)
    for (const headers of [worker.headers, second, bearer(token.token)]) expect((await me(headers)).statusCode).toBe(200)
    const sessions = (await t.app.inject({ url: `/api/users/${worker.id}/sessions`, headers: security.headers })).json().sessions
    const one = await t.app.inject({ method: 'DELETE', url: `/api/users/${worker.id}/sessions/${sessions[0].id}`, headers: security.headers })
    expect(one.statusCode).toBe(204)
    const wrongUser = await t.app.inject({ method: 'DELETE', url: `/api/users/${security.id}/tokens/${token.id}`, headers: security.headers })
    expect(wrongUser.statusCode).toBe(404)
    const all = await t.app.inject({ method: 'DELETE', url: `/api/users/${worker.id}/credentials`, headers: security.headers })
    expect(all.statusCode).toBe(200)
    expect(all.json()).toEqual({ sessions: 1, tokens: 1 })
    for (const headers of [worker.headers, second, bearer(token.token)]) expect((await me(headers)).statusCode).toBe(401)
    const audit = await auditRows(worker.id)
    expect(audit.filter((row) => row.action === 'revoke' && row.user_id === security.id)).toHaveLength(2)
  })

  it('disables a user (every session and token ends at once, sign-in refused) and enables them again', async () => {
    const worker = await t.signIn('grid_worker')
    const token = await createToken(worker.headers)
    expect((await me(bearer(token.token))).statusCode).toBe(200)
    const disabled = await t.app.inject({ method: 'PATCH', url: `/api/users/${worker.id}`, headers: security.headers, payload: { disabled: true } })
    expect(disabled.statusCode, disabled.body).toBe(200)
    expect(disabled.json().user).toMatchObject({ id: worker.id, disabled: true, activeSessions: 0, activeTokens: 0 })
    expect((await me(worker.headers)).statusCode).toBe(401)
    expect((await me(bearer(token.token))).statusCode).toBe(401)
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: worker.username, password: TEST_PASSWORD } })
    expect(login.statusCode).toBe(401)

    const enabled = await t.app.inject({ method: 'PATCH', url: `/api/users/${worker.id}`, headers: security.headers, payload: { disabled: false } })
    expect(enabled.json().user.disabled).toBe(false)
    await signInAgain(worker)
    expect((await me(bearer(token.token))).statusCode).toBe(401)
    expect((await auditRows(worker.id)).map((row) => row.action)).toEqual(expect.arrayContaining(['disable', 'enable']))
  })

  it('changes a role (effective at once) and grants administrator roles; nobody disables or demotes themselves', async () => {
    const dispatcher = await t.signIn('dispatcher')
    expect((await me(dispatcher.headers)).json().user.role).toBe('dispatcher')
    const changed = await t.app.inject({ method: 'PATCH', url: `/api/users/${dispatcher.id}`, headers: security.headers, payload: { role: 'leader' } })
    expect(changed.statusCode).toBe(200)
    expect((await me(dispatcher.headers)).json().user.role).toBe('leader')
    const change = (await auditRows(dispatcher.id)).find((row) => row.action === 'role_change')
    expect(change?.detail).toMatchObject({ from: 'dispatcher', to: 'leader', outcome: 'done' })

    for (const payload of [{ disabled: true }, { role: 'leader' }]) {
      const self = await t.app.inject({ method: 'PATCH', url: `/api/users/${security.id}`, headers: { ...security.headers, 'accept-language': 'en' }, payload })
      expect(self.statusCode).toBe(409)
      expect(self.json().code).toBe('not_yourself')
      expect(self.json().message).toMatch(/ask another security administrator/)
    }
    expect((await me(security.headers)).json().user.role).toBe('security_admin')
    const refusals = (await auditRows(security.id)).filter((row) => row.action === 'denied')
    expect(refusals.map((row) => (row.detail as { outcome: string }).outcome)).toEqual(['refused', 'refused'])

    const empty = await t.app.inject({ method: 'PATCH', url: `/api/users/${dispatcher.id}`, headers: security.headers, payload: {} })
    expect(empty.statusCode).toBe(400)
    const byAdmin = await t.app.inject({ method: 'PATCH', url: `/api/users/${dispatcher.id}`, headers: admin.headers, payload: { role: 'admin' } })
    expect(byAdmin.statusCode).toBe(403)
    const unknown = await t.app.inject({ method: 'PATCH', url: '/api/users/999999', headers: security.headers, payload: { disabled: true } })
    expect(unknown.statusCode).toBe(404)
  })

  it('resets a password: the new one works, the old one and every old session and token do not', async () => {
    const leader = await t.signIn('leader')
    const token = await createToken(leader.headers)
    expect((await me(leader.headers)).statusCode).toBe(200)
    const weak = await t.app.inject({ method: 'POST', url: `/api/users/${leader.id}/password`, headers: security.headers, payload: { password: 'short' } })
    expect(weak.statusCode).toBe(400)
    expect((await me(leader.headers)).statusCode).toBe(200)

    const reset = await t.app.inject({
      method: 'POST',
      url: `/api/users/${leader.id}/password`,
      headers: security.headers,
      payload: { password: 'a-brand-new-password' },
    })
    expect(reset.statusCode, reset.body).toBe(200)
    expect(reset.json()).toEqual({ sessions: 1, tokens: 1 })
    expect((await me(leader.headers)).statusCode).toBe(401)
    expect((await me(bearer(token.token))).statusCode).toBe(401)
    const old = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: leader.username, password: TEST_PASSWORD } })
    expect(old.statusCode).toBe(401)
    await signInAgain(leader, 'a-brand-new-password')
    const audit = (await auditRows(leader.id)).find((row) => row.action === 'password_reset')
    expect(audit).toMatchObject({ user_id: security.id, credential_kind: 'session' })
    expect(JSON.stringify(audit)).not.toContain('a-brand-new-password')
  })

  it('creates administrator accounts; the system administrator creates the others only', async () => {
    const byAdmin = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: { username: 'auditor-by-admin', password: 'a-long-password', role: 'audit_admin' },
    })
    expect(byAdmin.statusCode).toBe(403)
    expect(byAdmin.json().code).toBe('admin_role_for_security_admin')
    const bySecurity = await t.app.inject({
      method: 'POST',
      url: '/api/security/users',
      headers: security.headers,
      payload: { username: 'auditor-1', password: 'a-long-password', role: 'audit_admin' },
    })
    expect(bySecurity.statusCode, bySecurity.body).toBe(201)
    expect(bySecurity.json().user).toMatchObject({ username: 'auditor-1', role: 'audit_admin' })
    const ordinary = await t.app.inject({
      method: 'POST',
      url: '/api/security/users',
      headers: security.headers,
      payload: { username: 'leader-by-security', password: 'a-long-password', role: 'leader' },
    })
    expect(ordinary.statusCode).toBe(403)
    expect(ordinary.json().code).toBe('ordinary_role_for_admin')
    const leader = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: { username: 'leader-by-admin', password: 'a-long-password', role: 'leader' },
    })
    expect(leader.statusCode).toBe(201)
  })
})

describe('the OpenAPI description', () => {
  it('documents the credential routes with tags, summaries and error responses', async () => {
    const spec = (await t.app.inject({ url: '/api/openapi.json' })).json()
    const operations: Array<[string, string, string]> = [
      ['/api/auth/sessions', 'get', 'Auth'],
      ['/api/auth/sessions/{sessionId}', 'delete', 'Auth'],
      ['/api/auth/tokens', 'get', 'Auth'],
      ['/api/auth/tokens/{tokenId}', 'delete', 'Auth'],
      ['/api/security/users', 'get', 'Security administration'],
      ['/api/security/users', 'post', 'Security administration'],
      ['/api/users/{userId}', 'patch', 'Security administration'],
      ['/api/users/{userId}/password', 'post', 'Security administration'],
      ['/api/users/{userId}/credentials', 'delete', 'Security administration'],
      ['/api/users/{userId}/sessions/{sessionId}', 'delete', 'Security administration'],
      ['/api/users/{userId}/tokens', 'post', 'Security administration'],
    ]
    for (const [path, method, tag] of operations) {
      const operation = spec.paths[path]?.[method]
      expect(operation, `${method} ${path}`).toBeDefined()
      expect(operation.tags).toEqual([tag])
      expect(operation.summary.length).toBeGreaterThan(10)
      expect(Object.keys(operation.responses)).toContain('401')
    }
  })
})
