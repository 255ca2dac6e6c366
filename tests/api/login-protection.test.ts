import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { buildApp } from '../../server/app.ts'
import { openEngine } from '../../server/core/db/engine.ts'
import { createTestApp, TEST_PASSWORD, type TestApp, type TestUser } from '../support/test-app.ts'
import { ENGINE_UNDER_TEST } from '../support/test-database.ts'

let t: TestApp
let securityAdmin: TestUser
let systemAdmin: TestUser

beforeAll(async () => {
  t = await createTestApp()
  securityAdmin = await t.signIn('security_admin', { username: 'sec-admin' })
  systemAdmin = await t.signIn('admin')
})
afterAll(() => t?.close())

/** Each test signs in from its own address so the per-address counter of one test does not leak into another. */
let addressCounter = 0
function nextAddress(): string {
  addressCounter += 1
  return `10.0.${addressCounter}.1`
}

function login(username: string, password: string, ip: string, lang = 'zh') {
  return t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, headers: { 'accept-language': lang }, payload: { username, password } })
}

async function auditActions(username: string): Promise<string[]> {
  const rows = await t.database.engine.db.selectFrom('audit_log').select('action').where('username', '=', username).orderBy('id').execute()
  return rows.map((row) => row.action)
}

describe('login throttling', () => {
  it('refuses the right password after 30 wrong ones (issue 9: unlimited attempts)', async () => {
    const leader = await t.signIn('leader')
    const ip = nextAddress()
    const statuses: number[] = []
    for (let attempt = 0; attempt < 30; attempt += 1) statuses.push((await login(leader.username, `wrong-password-${attempt}`, ip)).statusCode)
    const right = await login(leader.username, TEST_PASSWORD, ip)
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401])
    expect(statuses.slice(4).every((status) => status === 429)).toBe(true)
    expect(right.statusCode).toBe(429)
  })

  it('answers 429 with Retry-After and how long to wait, in the request language, even from another address', async () => {
    const leader = await t.signIn('leader')
    for (let attempt = 0; attempt < 5; attempt += 1) await login(leader.username, 'wrong-password', nextAddress())
    const locked = await login(leader.username, TEST_PASSWORD, nextAddress(), 'en')
    expect(locked.statusCode).toBe(429)
    const retryAfter = Number(locked.headers['retry-after'])
    expect(retryAfter).toBeGreaterThan(14 * 60)
    expect(retryAfter).toBeLessThanOrEqual(15 * 60)
    expect(locked.json()).toMatchObject({ code: 'login_locked', retryAfterSeconds: retryAfter })
    expect(locked.json().message).toBe(
      'Too many failed sign-ins; sign-in is locked. Try again in 15 minute(s), or ask the security administrator to unlock it',
    )
    expect(locked.headers['set-cookie']).toBeUndefined()
    const zh = await login(leader.username, TEST_PASSWORD, nextAddress())
    expect(zh.json().message).toContain('15 分钟后再试')
  })

  it('resets the username count after a successful sign-in', async () => {
    const leader = await t.signIn('leader')
    const ip = nextAddress()
    for (let attempt = 0; attempt < 4; attempt += 1) expect((await login(leader.username, 'wrong-password', ip)).statusCode).toBe(401)
    expect((await login(leader.username, TEST_PASSWORD, ip)).statusCode).toBe(200)
    for (let attempt = 0; attempt < 4; attempt += 1) expect((await login(leader.username, 'wrong-password', ip)).statusCode).toBe(401)
    expect((await login(leader.username, TEST_PASSWORD, ip)).statusCode).toBe(200)
  })

  it('locks an address after 20 failures across usernames, while other addresses still sign in', async () => {
    const leader = await t.signIn('leader')
    const ip = nextAddress()
    const statuses: number[] = []
    for (let attempt = 0; attempt < 20; attempt += 1) statuses.push((await login(`guess-${attempt}`, 'wrong-password', ip)).statusCode)
    expect(statuses.slice(0, 19).every((status) => status === 401)).toBe(true)
    expect(statuses[19]).toBe(429)
    expect((await login(leader.username, TEST_PASSWORD, ip)).statusCode).toBe(429)
    expect((await login(leader.username, TEST_PASSWORD, nextAddress())).statusCode).toBe(200)
  })

  it('lets the right password in again once the lock has expired', async () => {
    const leader = await t.signIn('leader')
    for (let attempt = 0; attempt < 5; attempt += 1) await login(leader.username, 'wrong-password', nextAddress())
    expect((await login(leader.username, TEST_PASSWORD, nextAddress())).statusCode).toBe(429)
    await sql`UPDATE login_throttle SET locked_until = now() - interval '1 second' WHERE key = ${leader.username}`.execute(t.database.engine.db)
    expect((await login(leader.username, TEST_PASSWORD, nextAddress())).statusCode).toBe(200)
  })

  it('audits failed sign-ins and the lockout', async () => {
    const leader = await t.signIn('leader')
    for (let attempt = 0; attempt < 5; attempt += 1) await login(leader.username, 'wrong-password', nextAddress())
    expect(await auditActions(leader.username)).toEqual(['login_failed', 'login_failed', 'login_failed', 'login_failed', 'login_failed', 'lockout'])
    const lockout = await t.database.engine.db
      .selectFrom('audit_log')
      .select(['user_id', 'role', 'request_ip', 'detail'])
      .where('username', '=', leader.username)
      .where('action', '=', 'lockout')
      .executeTakeFirstOrThrow()
    expect(Number(lockout.user_id)).toBe(leader.id)
    expect(lockout.role).toBe('leader')
    expect(lockout.detail).toMatchObject({ kind: 'username', key: leader.username, failures: 5 })
    const unknown = nextAddress()
    await login('nobody-here', 'wrong-password', unknown)
    expect(await auditActions('nobody-here')).toEqual(['login_failed'])
  })
  it('forgets stale counters of guessed usernames, but keeps locks in force', async () => {
    const db = t.database.engine.db
    await sql`INSERT INTO login_throttle (kind, key, failures, window_started_at) VALUES ('username', 'stale-guess', 3, now() - interval '1 hour')`.execute(db)
    await sql`INSERT INTO login_throttle (kind, key, failures, window_started_at, locked_until)
      VALUES ('username', 'still-locked', 5, now() - interval '1 hour', now() + interval '5 minutes')`.execute(db)
    const leader = await t.signIn('leader')
    expect((await login(leader.username, TEST_PASSWORD, nextAddress())).statusCode).toBe(200)
    const keys = (await db.selectFrom('login_throttle').select('key').execute()).map((row) => row.key)
    expect(keys).not.toContain('stale-guess')
    expect(keys).toContain('still-locked')
  })
})

describe('lockouts, for the security administrator', () => {
  it('lists current lockouts and unlocks a user (audited); the right password works again', async () => {
    const leader = await t.signIn('leader')
    for (let attempt = 0; attempt < 5; attempt += 1) await login(leader.username, 'wrong-password', nextAddress())
    const list = await t.app.inject({ url: '/api/security/lockouts', headers: securityAdmin.headers })
    expect(list.statusCode).toBe(200)
    const lock = list.json().lockouts.find((row: { key: string }) => row.key === leader.username)
    expect(lock).toMatchObject({ kind: 'username', failures: 5 })
    expect(new Date(lock.lockedUntil).getTime()).toBeGreaterThan(Date.now())

    const unlock = await t.app.inject({ method: 'DELETE', url: `/api/security/lockouts/${leader.username}`, headers: securityAdmin.headers })
    expect(unlock.statusCode).toBe(204)
    expect((await login(leader.username, TEST_PASSWORD, nextAddress())).statusCode).toBe(200)
    const entry = await t.database.engine.db
      .selectFrom('audit_log')
      .select(['username', 'subject_ids', 'detail'])
      .where('action', '=', 'unlock')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(entry.username).toBe('sec-admin')
    expect(entry.subject_ids.map(Number)).toEqual([leader.id])

    const again = await t.app.inject({ method: 'DELETE', url: `/api/security/lockouts/${leader.username}`, headers: { ...securityAdmin.headers, 'accept-language': 'en' } })
    expect(again.statusCode).toBe(404)
    expect(again.json()).toMatchObject({ code: 'lockout_not_found', message: `"${leader.username}" is not locked` })
  })

  it('unlocks an address', async () => {
    const ip = nextAddress()
    for (let attempt = 0; attempt < 20; attempt += 1) await login(`addr-guess-${attempt}`, 'wrong-password', ip)
    const unlock = await t.app.inject({ method: 'DELETE', url: `/api/security/lockouts/address/${ip}`, headers: securityAdmin.headers })
    expect(unlock.statusCode).toBe(204)
    const leader = await t.signIn('leader')
    expect((await login(leader.username, TEST_PASSWORD, ip)).statusCode).toBe(200)
  })

  it('refuses the lockout routes to everyone else, the system administrator included', async () => {
    const leader = await t.signIn('leader')
    for (const user of [systemAdmin, leader]) {
      expect((await t.app.inject({ url: '/api/security/lockouts', headers: user.headers })).statusCode).toBe(403)
      expect((await t.app.inject({ method: 'DELETE', url: `/api/security/lockouts/${leader.username}`, headers: user.headers })).statusCode).toBe(403)
    }
    expect((await t.app.inject({ url: '/api/security/lockouts' })).statusCode).toBe(401)
  })
})

describe('counters in the database', () => {
  it('are shared by two app instances on the same database, and counted atomically under concurrency', async () => {
    const leader = await t.signIn('leader')
    // On PostgreSQL the second instance has its own engine and connection pool, like a second server process.
    const otherEngine = t.database.url ? await openEngine({ databaseUrl: t.database.url, poolSize: 3 }) : t.database.engine
    const other = await buildApp({ engine: otherEngine, logLevel: 'silent', login: { adminSecondFactor: 'off' } })
    try {
      const apps = [t.app, other]
      const attempts = Array.from({ length: 4 }, (_, attempt) =>
        apps[attempt % 2].inject({ method: 'POST', url: '/api/auth/login', remoteAddress: nextAddress(), payload: { username: leader.username, password: 'wrong-password' } }),
      )
      const statuses = (await Promise.all(attempts)).map((response) => response.statusCode)
      expect(statuses).toEqual([401, 401, 401, 401])
      const row = await t.database.engine.db
        .selectFrom('login_throttle')
        .select('failures')
        .where('kind', '=', 'username')
        .where('key', '=', leader.username)
        .executeTakeFirstOrThrow()
      expect(row.failures).toBe(4)
      const fifth = await other.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: nextAddress(), payload: { username: leader.username, password: 'wrong-password' } })
      expect(fifth.statusCode).toBe(429)
      const onFirst = await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: nextAddress(), payload: { username: leader.username, password: TEST_PASSWORD } })
      expect(onFirst.statusCode).toBe(429)
    } finally {
      await other.close()
      if (otherEngine !== t.database.engine) await otherEngine.close()
    }
    if (ENGINE_UNDER_TEST === 'postgres') expect(otherEngine).not.toBe(t.database.engine)
  })
})
