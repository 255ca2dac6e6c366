import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROLES, type Role } from '../../server/core/db/tables/auth.ts'
import authPlugin from '../../server/core/auth/auth.plugin.ts'
import type { RouteAccess } from '../../server/core/auth/auth.plugin.ts'
import { ENGINE_UNDER_TEST } from '../support/test-database.ts'
import { createTestApp, INJECT_ORIGIN, type TestApp, type TestUser } from '../support/test-app.ts'

/**
 * Deny by default, walked over Fastify's own route table: every route that is
 * not public answers 401 without credentials and 403 to each role it does not
 * list — whatever the body, and however the path is spelled — and never 200
 * or 500. Odd spellings either reach the same check or match nothing (404).
 */
let t: TestApp
const users = new Map<Role, TestUser>()
/** Walking every route with every role makes a few thousand requests. */
const WALK_TIMEOUT_MS = 600_000

/** Values for path parameters that make a well-formed request (existence does not matter here). */
const PARAM_VALUES: Record<string, string> = {
  layer: 'hazards',
  kind: 'hazard',
  colour: 'red',
  category: 'fire',
  grade: 'low',
  collectionId: 'villages',
  z: '14',
  x: '13000',
  y: '7000',
}

function concretePath(url: string): string {
  return url.replace(/:(\w+)/g, (_match, name: string) => PARAM_VALUES[name] ?? '1').replace(/\*$/, 'x')
}

/** Ways an outsider might spell the same path to slip past a check on the raw URL. */
function oddSpellings(path: string): string[] {
  const [, first, ...rest] = path.split('/')
  const tail = rest.length > 0 ? `/${rest.join('/')}` : ''
  const encodedFirst = `%${first.charCodeAt(0).toString(16)}${first.slice(1)}`
  return [
    `/${encodedFirst}${tail}`,
    `/${first}/${rest.map((segment) => segment.replace(/^./, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/')}`,
    `/${path}`,
    `/${first}/${rest.join('//')}`,
    `/${first}/.${tail}`,
    `/${first}/x/..${tail}`,
    `/${first.toUpperCase()}${tail}`,
    `${path}/`,
    `${path}?`,
    `${path.replace(/\//g, '%2F')}`,
  ]
}

function allowedRoles(access: RouteAccess['access']): readonly Role[] {
  if (access === 'public' || access === 'signed-in') return ROLES
  return access.roles
}

let routes: RouteAccess[]

beforeAll(async () => {
  t = await createTestApp()
  for (const role of ROLES) users.set(role, await t.signIn(role, { gridIds: role === 'grid_worker' ? [] : undefined }))
  routes = t.app.routeAccess.filter((route) => route.method !== 'HEAD' && route.method !== 'OPTIONS')
})

afterAll(async () => {
  await t?.close()
})

async function call(method: string, url: string, headers: Record<string, string> = {}) {
  const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(method)
  return t.app.inject({ method: method as 'GET', url, headers, ...(unsafe ? { payload: { junk: true } } : {}) })
}

describe(`every route declares who may call it (${ENGINE_UNDER_TEST})`, () => {
  it('registers many routes, each with a declaration, and only the sign-in steps and the OGC landing pages are public', () => {
    expect(routes.length).toBeGreaterThan(90)
    const publicRoutes = routes.filter((route) => route.access === 'public').map((route) => `${route.method} ${route.url}`)
    expect(publicRoutes.sort()).toEqual(
      [
        'GET /api',
        'GET /api/conformance',
        'GET /api/openapi.json',
        'POST /api/auth/login',
        'POST /api/auth/login/totp',
        'POST /api/auth/login/enrol',
        'POST /api/auth/login/enrol/confirm',
      ].sort(),
    )
  })

  it('refuses to register a route that declares no access', async () => {
    const app = Fastify({ logger: false })
    app.decorate('db', {} as never)
    app.register((await import('fastify-plugin')).default(async () => {}, { name: 'database' }))
    app.register((await import('fastify-plugin')).default(async () => {}, { name: 'lang' }))
    app.register(authPlugin)
    app.register(async (child) => {
      child.get('/api/forgotten', async () => ({ secret: 1 }))
    })
    await expect(app.ready()).rejects.toThrow(/declares no access/)
  })

  it('answers 401 without credentials on every non-public route, never 200 or 500', async () => {
    const wrong: string[] = []
    for (const route of routes) {
      if (route.access === 'public') continue
      const response = await call(route.method, concretePath(route.url))
      if (response.statusCode !== 401) wrong.push(`${route.method} ${route.url} → ${response.statusCode}`)
    }
    expect(wrong).toEqual([])
  }, WALK_TIMEOUT_MS)

  it('answers 401 to a bad cookie and to a bad token', async () => {
    const wrong: string[] = []
    for (const route of routes) {
      if (route.access === 'public') continue
      const forged: Record<string, string>[] = [{ cookie: 'ga_session=forged', origin: INJECT_ORIGIN }, { authorization: 'Bearer gat_forged' }, { authorization: 'Basic YWRtaW46YWRtaW4=' }]
      for (const headers of forged) {
        const response = await call(route.method, concretePath(route.url), headers)
        if (response.statusCode !== 401) wrong.push(`${route.method} ${route.url} ${Object.keys(headers)[0]} → ${response.statusCode}`)
      }
    }
    expect(wrong).toEqual([])
  }, WALK_TIMEOUT_MS)

  it('answers 403 to each role a route does not list, before reading the body', async () => {
    const wrong: string[] = []
    let refusals = 0
    for (const route of routes) {
      const allowed = allowedRoles(route.access)
      for (const role of ROLES) {
        if (allowed.includes(role)) continue
        refusals += 1
        const response = await call(route.method, concretePath(route.url), users.get(role)!.headers)
        if (response.statusCode !== 403) wrong.push(`${role}: ${route.method} ${route.url} → ${response.statusCode}`)
      }
    }
    expect(wrong).toEqual([])
    expect(refusals).toBeGreaterThan(150)
  }, WALK_TIMEOUT_MS)

  it('checks oddly spelled paths like the route they reach: 401 or 404 without credentials, never 200 or 500', async () => {
    const wrong: string[] = []
    let reached = 0
    for (const route of routes) {
      if (route.access === 'public') continue
      for (const path of oddSpellings(concretePath(route.url))) {
        const response = await call(route.method, path)
        if (response.statusCode === 401) reached += 1
        if (![401, 404].includes(response.statusCode)) wrong.push(`${route.method} ${path} → ${response.statusCode}`)
      }
    }
    expect(wrong).toEqual([])
    // Percent-encoded letters and a trailing slash reach the route (and its check).
    expect(reached).toBeGreaterThan(routes.length)
  }, WALK_TIMEOUT_MS)

  it('refuses the reported bypass: /%61pi/areas/15 without a cookie is 401 and leaks no name or phone', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/%61pi/areas/15' })
    expect(response.statusCode).toBe(401)
    expect(response.body).not.toMatch(/1[3-9]\d{9}/)
    for (const url of ['/%61pi/key-persons/summary', '/%61pi/key-persons/heat', '/%61pi/boundaries/export/villages.geojson', '/%61pi/meta', '/%61pi/routing-rules']) {
      expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(401)
    }
  })

  it('answers 403, not 400, to a non-administrator creating a user with a bad body, and audits the refusal', async () => {
    const leader = users.get('leader')!
    const response = await t.app.inject({ method: 'POST', url: '/api/users', headers: leader.headers, payload: { nonsense: true } })
    expect(response.statusCode).toBe(403)
    const denied = await t.database.engine.db
      .selectFrom('audit_log')
      .select(['action', 'subject_kind', 'detail'])
      .where('user_id', '=', leader.id)
      .where('action', '=', 'denied')
      .execute()
    expect(denied).toContainEqual(expect.objectContaining({ subject_kind: 'route', detail: { method: 'POST', route: '/api/users' } }))
  })

  it('never answers 500 to a role a route allows, with a junk body and placeholder ids (last: it signs users out and revokes credentials)', async () => {
    const wrong: string[] = []
    for (const route of routes) {
      if (route.url === '/api/events/stream') continue // an open stream, tested in cases-live
      if (route.url === '/api/auth/logout') continue // would end the sessions the next tests use
      for (const role of allowedRoles(route.access)) {
        const response = await call(route.method, concretePath(route.url), users.get(role)!.headers)
        if (response.statusCode >= 500) wrong.push(`${role}: ${route.method} ${route.url} → ${response.statusCode} ${response.body.slice(0, 120)}`)
      }
    }
    expect(wrong).toEqual([])
  }, WALK_TIMEOUT_MS)
})

describe(`oddly spelled API paths with the client mounted (${ENGINE_UNDER_TEST})`, () => {
  let withClient: TestApp

  beforeAll(async () => {
    withClient = await createTestApp({ withClient: true })
  })
  afterAll(async () => {
    await withClient?.close()
  })

  it('answers 404 (or 401) to oddly spelled API paths, never the app page, and still serves the app', async () => {
    for (const url of ['//api/areas/15', '/API/meta', '/Api/key-persons/summary', '/%2Fapi/meta', '/./api/meta', '/api//areas/15', '//api']) {
      const response = await withClient.app.inject({ method: 'GET', url })
      // Either no route (404) or, once normalised, the API route and its check (401): never the page.
      expect([401, 404], url).toContain(response.statusCode)
      expect(response.headers['content-type'], url).toMatch(/json/)
    }
    const page = await withClient.app.inject({ method: 'GET', url: '/' })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<!doctype html>')
  })
})
