import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENGINE_UNDER_TEST } from '../support/test-database.ts'
import { createTestApp, type TestApp } from '../support/test-app.ts'
import type { Role } from '../../server/core/db/tables/auth.ts'

/**
 * The client offers what `capabilities` says (issue 10: the server says what
 * a user may do, instead of role lists copied into the client). These are the
 * lists the client kept before, so moving them to the server changed nothing.
 */
const EXPECTED: Record<string, Role[]> = {
  viewMap: ['leader', 'dispatcher', 'station', 'grid_worker', 'admin'],
  viewDashboard: ['leader', 'dispatcher', 'station', 'admin'],
  editBoundaries: ['admin'],
  readRisk: ['leader', 'dispatcher', 'station', 'admin'],
  seeIdentities: ['dispatcher', 'grid_worker', 'admin'],
  registerCases: ['dispatcher', 'grid_worker', 'admin'],
  writeLeads: ['dispatcher', 'admin'],
  dispatchQueue: ['dispatcher', 'admin'],
  openJointCase: ['dispatcher', 'admin', 'county_dispatcher'],
  closeJointCase: ['dispatcher', 'admin', 'county_dispatcher'],
  readAudit: ['security_admin', 'audit_admin'],
  manageUsers: ['security_admin'],
  viewCounty: ['county_leader', 'county_dispatcher'],
  actOnEscalations: ['county_dispatcher'],
}
const ROLES: Role[] = ['leader', 'dispatcher', 'station', 'grid_worker', 'admin', 'security_admin', 'audit_admin']

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t?.close())

describe(`capabilities of the signed-in user (${ENGINE_UNDER_TEST})`, () => {
  it('grants each role exactly what the routes behind the capabilities let it do', async () => {
    for (const role of ROLES) {
      const user = await t.signIn(role)
      const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: user.headers })
      expect(me.statusCode).toBe(200)
      const expected = Object.fromEntries(Object.entries(EXPECTED).map(([name, allowed]) => [name, allowed.includes(role)]))
      expect({ role, ...me.json().capabilities }).toEqual({ role, ...expected })
    }
  })

  it('is what the server then does: a capability refused is a route answering 403', async () => {
    const station = await t.signIn('station')
    const me = (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: station.headers })).json()
    expect(me.capabilities.dispatchQueue).toBe(false)
    expect((await t.app.inject({ method: 'GET', url: '/api/dispatch/queue', headers: station.headers })).statusCode).toBe(403)
    expect(me.capabilities.readRisk).toBe(true)
    expect((await t.app.inject({ method: 'GET', url: '/api/analytics/risk', headers: station.headers })).statusCode).toBe(200)
  })

  it('comes with the sign-in answer too, so the client needs no second request', async () => {
    const user = await t.signIn('leader')
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: 'correct-horse-battery' } })
    expect(login.statusCode).toBe(200)
    expect(login.json().capabilities).toMatchObject({ viewDashboard: true, registerCases: false })
  })
})
