import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword, needsRehash, OWASP_SCRYPT_COST, passwordHashCost, verifyPassword } from '../../server/features/users/password-hash.ts'
import { insertUser } from '../../server/core/auth/users.repository.ts'
import { ensureAdmin } from '../../server/seed/admin.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'

let t: TestApp
let admin: TestUser

beforeAll(async () => {
  t = await createTestApp()
  admin = await t.signIn('admin')
})
afterAll(() => t?.close())

function createUser(username: string, password: string) {
  return t.app.inject({ method: 'POST', url: '/api/users', headers: { ...admin.headers, 'accept-language': 'en' }, payload: { username, password, role: 'leader' } })
}

describe('password rules', () => {
  it.each([
    ['too short', 'Short-pw1', 'validation_failed'],
    ['containing the username', 'xx-ZhangWei-2026', 'password_contains_username'],
    ['of one character class', 'onlylowercaseletters', 'password_one_class'],
    ['of digits only', '384729104857', 'password_one_class'],
    ['commonly used', 'Password2026!', 'password_common'],
    ['commonly used (keyboard walk)', '1qaz2wsx3edc', 'password_common'],
  ])('refuses a password %s with a clear 400, and creates nothing', async (_what, password, code) => {
    const response = await createUser('zhangwei', password)
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe(code)
    const row = await t.database.engine.db.selectFrom('users').select('id').where('username', '=', 'zhangwei').executeTakeFirst()
    expect(row).toBeUndefined()
  })

  it('explains each rule in Chinese and English', async () => {
    const zh = await t.app.inject({ method: 'POST', url: '/api/users', headers: admin.headers, payload: { username: 'lisi', password: 'aaaaaaaaaaaaaaaa', role: 'leader' } })
    expect(zh.json()).toEqual({ code: 'password_one_class', message: '密码至少要包含两类字符（小写字母、大写字母、数字、符号），请加入另一类字符' })
    const en = await createUser('lisi', 'my-lisi-password')
    expect(en.json()).toEqual({ code: 'password_contains_username', message: 'The password must not contain the username; choose another one' })
  })

  it('accepts a long passphrase', async () => {
    expect((await createUser('wangwu', 'river-lantern-autumn')).statusCode).toBe(201)
  })

  it('refuses a weak ADMIN_PASSWORD at first start, naming the setting and the rule', async () => {
    await expect(ensureAdmin(t.database.engine.db, 'admin-password-1')).rejects.toThrow(
      'ADMIN_PASSWORD is not acceptable: The password must not contain the username; choose another one',
    )
    await expect(ensureAdmin(t.database.engine.db, 'short')).rejects.toThrow(/at least 12 characters/)
    const row = await t.database.engine.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirst()
    expect(row).toBeUndefined()
  })
})

describe('password hashing cost', () => {
  it('hashes with OWASP scrypt parameters (N=2^17, r=8, p=1) by default, within Node’s memory limit', async () => {
    // Tests lower the cost for new hashes (tests/support/test-app.ts); the production default is checked here explicitly.
    expect(OWASP_SCRYPT_COST).toEqual({ N: 131072, r: 8, p: 1 })
    const hash = await hashPassword('river-lantern-autumn', OWASP_SCRYPT_COST)
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$/)
    expect(await verifyPassword('river-lantern-autumn', hash)).toBe(true)
    expect(await verifyPassword('river-lantern-autum', hash)).toBe(false)
    expect(needsRehash(hash, OWASP_SCRYPT_COST)).toBe(false)
    expect(needsRehash('scrypt$16384$8$1$c2FsdA$a2V5', OWASP_SCRYPT_COST)).toBe(true)
  })

  it('rehashes a weaker stored hash on the next successful sign-in', async () => {
    const weak = await hashPassword('river-lantern-autumn', { N: 2 ** 8, r: 8, p: 1 })
    await insertUser(t.database.engine.db, { username: 'old-hash', passwordHash: weak, role: 'leader' })
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'old-hash', password: 'wrong-password-x' } })
    expect(wrong.statusCode).toBe(401)
    const stored = async () =>
      (await t.database.engine.db.selectFrom('users').select('password_hash').where('username', '=', 'old-hash').executeTakeFirstOrThrow()).password_hash
    expect(await stored()).toBe(weak)
    const right = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'old-hash', password: 'river-lantern-autumn' } })
    expect(right.statusCode).toBe(200)
    const rehashed = await stored()
    expect(rehashed).not.toBe(weak)
    expect(rehashed.startsWith(`scrypt$${passwordHashCost().N}$8$1$`)).toBe(true)
    expect(await verifyPassword('river-lantern-autumn', rehashed)).toBe(true)
    const again = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'old-hash', password: 'river-lantern-autumn' } })
    expect(again.statusCode).toBe(200)
  })
})
