import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, TEST_PASSWORD, type TestApp, type TestUser } from '../support/test-app.ts'

let t: TestApp
let admin: TestUser

beforeAll(async () => {
  t = await createTestApp()
  admin = await t.signIn('admin')
})
afterAll(() => t?.close())

describe('sign-in and sessions', () => {
  it('signs in with a correct password and sets an HttpOnly, SameSite session cookie', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: admin.username, password: TEST_PASSWORD } })
    expect(response.statusCode).toBe(200)
    expect(response.json().user).toMatchObject({ username: admin.username, role: 'admin' })
    const cookie = String(response.headers['set-cookie'])
    expect(cookie).toMatch(/^ga_session=/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    expect(response.body).not.toMatch(/password|hash/i)
  })

  it('refuses a wrong password and an unknown user alike with 401, in the request language', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: admin.username, password: 'nope-nope-nope' } })
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'accept-language': 'en' },
      payload: { username: 'nobody', password: 'whatever-123' },
    })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json()).toEqual({ code: 'bad_credentials', message: '用户名或密码错误' })
    expect(unknown.statusCode).toBe(401)
    expect(unknown.json()).toEqual({ code: 'bad_credentials', message: 'Wrong username or password' })
  })

  it('answers 400 for a malformed login body', async () => {
    const missing = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x' } })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().code).toBe('validation_failed')
    const badJson = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' })
    expect(badJson.statusCode).toBe(400)
    expect(badJson.json().code).toBe('bad_json')
    const wrongType = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 12, password: ['a'] } })
    expect(wrongType.statusCode).toBe(400)
  })

  it('tells who is signed in, and forgets the session on logout', async () => {
    const user = await t.signIn('leader')
    const me = await t.app.inject({ url: '/api/auth/me', headers: user.headers })
    expect(me.statusCode).toBe(200)
    expect(me.json().user).toMatchObject({ username: user.username, role: 'leader', gridIds: [] })
    const logout = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: user.headers })
    expect(logout.statusCode).toBe(204)
    const after = await t.app.inject({ url: '/api/auth/me', headers: user.headers })
    expect(after.statusCode).toBe(401)
    expect(after.json().code).toBe('unauthenticated')
  })

  it('answers 401 without a session, and with a forged cookie', async () => {
    expect((await t.app.inject({ url: '/api/auth/me' })).statusCode).toBe(401)
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: 'ga_session=forged' } })).statusCode).toBe(401)
    expect((await t.app.inject({ url: '/api/collections' })).statusCode).toBe(401)
  })

  it('keeps only the public routes open', async () => {
    for (const url of ['/api', '/api/conformance', '/api/openapi.json']) {
      expect((await t.app.inject({ url })).statusCode, url).toBe(200)
    }
    for (const url of ['/api/collections', '/api/collections/villages/items', '/api/meta', '/api/areas/1', '/api/users']) {
      expect((await t.app.inject({ url })).statusCode, url).toBe(401)
    }
  })
})

describe('API tokens', () => {
  it('issues a token once and accepts it as a Bearer credential', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: admin.headers, payload: { name: 'QGIS' } })
    expect(created.statusCode).toBe(201)
    const { token } = created.json()
    expect(token).toMatch(/^gat_/)
    const stored = await t.database.engine.db.selectFrom('api_tokens').select('token_hash').execute()
    expect(stored.map((row) => row.token_hash)).not.toContain(token)
    const me = await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })
    expect(me.statusCode).toBe(200)
    expect(me.json().user.username).toBe(admin.username)
  })

  it('issues a token with no body at all', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: admin.headers })
    expect(created.statusCode).toBe(201)
    expect(created.json().token).toMatch(/^gat_/)
  })

  it('refuses unknown and malformed tokens with 401', async () => {
    for (const authorization of ['Bearer gat_unknown', 'Bearer', 'Basic abc', 'Bearer not-ours']) {
      const response = await t.app.inject({ url: '/api/collections', headers: { authorization } })
      expect(response.statusCode, authorization).toBe(401)
      expect(response.json().code).toBe('bad_token')
    }
  })

  it('lets the security administrator issue a token for another user, and nobody else (not even the system administrator)', async () => {
    const worker = await t.signIn('grid_worker')
    const security = await t.signIn('security_admin')
    const bySecurity = await t.app.inject({ method: 'POST', url: `/api/users/${worker.id}/tokens`, headers: security.headers, payload: { name: 'field tablet' } })
    expect(bySecurity.statusCode).toBe(201)
    expect(bySecurity.json().userId).toBe(worker.id)
    const byAdmin = await t.app.inject({ method: 'POST', url: `/api/users/${worker.id}/tokens`, headers: admin.headers, payload: { name: 'x' } })
    expect(byAdmin.statusCode).toBe(403)
    const byWorker = await t.app.inject({ method: 'POST', url: `/api/users/${admin.id}/tokens`, headers: worker.headers, payload: { name: 'x' } })
    expect(byWorker.statusCode).toBe(403)
    const unknown = await t.app.inject({ method: 'POST', url: '/api/users/999999/tokens', headers: security.headers, payload: { name: 'x' } })
    expect(unknown.statusCode).toBe(404)
  })
})

describe('user administration', () => {
  it('lets an admin create a user of every ordinary role, who can then sign in (administrator roles: credentials.test.ts)', async () => {
    const grid = await t.database.engine.db
      .selectFrom('current_areas')
      .select('area_id')
      .where('level', '=', 'base_grid')
      .orderBy('code')
      .executeTakeFirstOrThrow()
    for (const role of ['leader', 'dispatcher', 'station', 'grid_worker'] as const) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: admin.headers,
        payload: { username: `new-${role}`, password: 'a-long-password', role, gridIds: role === 'grid_worker' ? [grid.area_id] : undefined },
      })
      expect(response.statusCode, role).toBe(201)
      expect(response.json().user).toMatchObject({ username: `new-${role}`, role })
      const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: `new-${role}`, password: 'a-long-password' } })
      expect(login.statusCode).toBe(200)
    }
    const worker = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'new-grid_worker', password: 'a-long-password' } })
    expect(worker.json().user.gridIds).toEqual([grid.area_id])
  })

  it('stores passwords only as scrypt hashes', async () => {
    const row = await t.database.engine.db.selectFrom('users').select('password_hash').where('username', '=', 'new-leader').executeTakeFirstOrThrow()
    expect(row.password_hash).toMatch(/^scrypt\$/)
    expect(row.password_hash).not.toContain('a-long-password')
  })

  it('answers 409 for a taken username and changes nothing', async () => {
    const before = await t.database.engine.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: { username: 'new-leader', password: 'another-long-one', role: 'leader' },
    })
    expect(response.statusCode).toBe(409)
    expect(response.json().code).toBe('username_taken')
    const after = await t.database.engine.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  it('answers 400 for a bad role, short password, unknown field or unknown grid', async () => {
    const cases = [
      { username: 'x1', password: 'a-long-password', role: 'king' },
      { username: 'x2', password: 'short', role: 'leader' },
      { username: 'x3', password: 'a-long-password', role: 'leader', extra: true },
      { username: 'x4', password: 'a-long-password', role: 'grid_worker', gridIds: [99999999] },
      { username: 'bad name!', password: 'a-long-password', role: 'leader' },
    ]
    for (const payload of cases) {
      const response = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin.headers, payload })
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(response.json().message.length).toBeGreaterThan(5)
    }
    const made = await t.database.engine.db.selectFrom('users').select('username').where('username', 'in', ['x1', 'x2', 'x3', 'x4']).execute()
    expect(made).toEqual([])
  })

  it('answers 403 to every role but admin', async () => {
    for (const role of ['leader', 'dispatcher', 'station', 'grid_worker'] as const) {
      const user = await t.signIn(role)
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: user.headers,
        payload: { username: `by-${role}`, password: 'a-long-password', role: 'admin' },
      })
      expect(response.statusCode, role).toBe(403)
      expect(response.json().code).toBe('forbidden')
    }
  })

  it('answers 413 for a body over 1 MB', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { ...admin.headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'big', password: 'x'.repeat(1_200_000), role: 'leader' }),
    })
    expect(response.statusCode).toBe(413)
    expect(response.json().code).toBe('body_too_large')
  })
})
