import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENGINE_UNDER_TEST } from '../support/test-database.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'

/**
 * 等保 2.0 level 3 三员分立: the system administrator (`admin`) runs users,
 * boundaries and settings but cannot read the audit log; the audit
 * administrator reads the log and changes nothing; the security administrator
 * reviews the audit administrators. Nobody reads the record of their own duty alone.
 */
let t: TestApp
let admin: TestUser
let auditor: TestUser
let security: TestUser
let dispatcher: TestUser

beforeAll(async () => {
  t = await createTestApp()
  admin = await t.signIn('admin')
  auditor = await t.signIn('audit_admin')
  security = await t.signIn('security_admin')
  dispatcher = await t.signIn('dispatcher')
})
afterAll(() => t?.close())

const get = (user: TestUser, url: string) => t.app.inject({ method: 'GET', url, headers: user.headers })

describe(`three administrators (${ENGINE_UNDER_TEST})`, () => {
  it('keeps the system administrator out of the audit log', async () => {
    const response = await get(admin, '/api/audit')
    expect(response.statusCode).toBe(403)
    expect(response.json().message).toMatch(/audit_admin/)
  })

  it('lets the audit administrator change nothing and see no case, person or boundary data', async () => {
    const unsafe = t.app.routeAccess.filter((route) => !['GET', 'HEAD', 'OPTIONS'].includes(route.method))
    const writable = unsafe.filter((route) => route.access === 'signed-in' || (typeof route.access === 'object' && route.access.roles.includes('audit_admin')))
    // Only their own sign-out and personal credentials remain.
    expect(writable.map((route) => route.url).every((url) => url.startsWith('/api/auth/'))).toBe(true)
    for (const url of ['/api/key-persons/summary', '/api/collections/hazards/items', '/api/areas/1', '/api/users', '/api/analytics/risk']) {
      expect((await get(auditor, url)).statusCode, url).toBe(403)
    }
  })

  it('shows the audit administrator everyone’s entries but the audit administrators’, and the security administrator only those', async () => {
    expect((await get(dispatcher, '/api/key-persons?limit=5')).statusCode).toBe(200)
    const first = await get(auditor, '/api/audit?limit=500')
    expect(first.statusCode).toBe(200)
    const seenByAuditor = first.json().entries as Array<{ role: string; username: string; action: string; subjectKind: string }>
    expect(seenByAuditor.some((entry) => entry.username === dispatcher.username && entry.action === 'list')).toBe(true)
    expect(seenByAuditor.every((entry) => entry.role !== 'audit_admin')).toBe(true)
    // The auditor's own read is on record, but not in their own view.
    const again = (await get(auditor, '/api/audit?limit=500')).json().entries as Array<{ role: string }>
    expect(again.every((entry) => entry.role !== 'audit_admin')).toBe(true)

    const review = await get(security, '/api/audit?limit=500')
    expect(review.statusCode).toBe(200)
    const seenBySecurity = review.json().entries as Array<{ role: string; username: string; action: string; subjectKind: string }>
    expect(seenBySecurity.length).toBeGreaterThanOrEqual(2)
    expect(seenBySecurity.every((entry) => entry.role === 'audit_admin')).toBe(true)
    expect(seenBySecurity[0]).toMatchObject({ username: auditor.username, action: 'read', subjectKind: 'audit_log' })
  })

  it('records refused attempts of every administrator', async () => {
    await get(admin, '/api/audit')
    const entries = (await get(auditor, `/api/audit?username=${admin.username}&action=denied`)).json().entries
    expect(entries[0]).toMatchObject({ subjectKind: 'route', detail: { method: 'GET', route: '/api/audit' } })
  })
})
