import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, TEST_PASSWORD, type TestApp, type TestUser } from '../support/test-app.ts'

let t: TestApp
let leader: TestUser

beforeAll(async () => {
  t = await createTestApp()
  leader = await t.signIn('leader')
})
afterAll(() => t?.close())

function login(username: string, password: string, ip = '10.0.0.1') {
  return t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, payload: { username, password } })
}

describe('login throttling', () => {
  it('refuses the right password after 30 wrong ones (issue 9: unlimited attempts)', async () => {
    const statuses: number[] = []
    for (let attempt = 0; attempt < 30; attempt += 1) statuses.push((await login(leader.username, `wrong-password-${attempt}`)).statusCode)
    const right = await login(leader.username, TEST_PASSWORD)
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401])
    expect(statuses.slice(4).every((status) => status === 429)).toBe(true)
    expect(right.statusCode).toBe(429)
  })
})
