import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import ExcelJS from 'exceljs'
import { buildApp } from '../../server/app.ts'
import { createTestApp, INJECT_ORIGIN, type TestApp, type TestUser } from '../support/test-app.ts'
import { caseClient, gridPoints, hazardFeature, type GridPoint } from '../support/cases.ts'

/** Issue 9, point 6: security headers, cross-site requests, spreadsheet formulas, photo URLs, links. */

let t: TestApp
let admin: TestUser
let dispatcher: TestUser
let point: GridPoint

const GEOJSON_IMPORT = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: [] }))

const tokenCount = async (user: TestUser) =>
  Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM api_tokens WHERE user_id = ${user.id}`.execute(t.database.engine.db)).rows[0].n)

beforeAll(async () => {
  t = await createTestApp()
  admin = await t.signIn('admin')
  dispatcher = await t.signIn('dispatcher')
  point = (await gridPoints(t.database.engine.db))[0]
})
afterAll(() => t?.close())

describe('security headers', () => {
  it('sends CSP, nosniff, frame-ancestors and Referrer-Policy on API answers, errors and unknown routes', async () => {
    for (const url of ['/api', '/api/auth/me', '/api/no-such-route']) {
      const response = await t.app.inject({ url })
      const csp = String(response.headers['content-security-policy'])
      expect(csp, url).toContain("default-src 'self'")
      expect(csp).toContain("script-src 'self'")
      expect(csp).toContain("frame-ancestors 'none'")
      expect(csp).toContain("worker-src 'self' blob:")
      expect(csp).toContain("object-src 'none'")
      expect(csp).not.toContain('unsafe-eval')
      expect(csp).not.toContain('upgrade-insecure-requests')
      expect(response.headers['x-content-type-options']).toBe('nosniff')
      expect(response.headers['x-frame-options']).toBe('DENY')
      expect(response.headers['referrer-policy']).toBe('same-origin')
      expect(response.headers['strict-transport-security']).toBeUndefined()
    }
  })
})

describe('cross-site requests with the session cookie', () => {
  const importAs = (headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/api/boundaries/imports?level=fine-grids&sourceCrs=wgs84&reason=test&dryRun=true', headers, payload: GEOJSON_IMPORT })

  it('refuses a text/plain import posted from another origin (403), before it is read', async () => {
    const response = await importAs({ cookie: admin.cookie, origin: 'http://evil.example', 'content-type': 'text/plain' })
    expect(response.statusCode).toBe(403)
    expect(response.json().code).toBe('cross_site_request')
    expect(response.json().message).toContain('http://evil.example')
  })

  it('refuses cookie changes without Origin unless Sec-Fetch-Site says same-origin; refuses other Sec-Fetch-Site values', async () => {
    const bare = await importAs({ cookie: admin.cookie, 'content-type': 'application/octet-stream' })
    expect(bare.statusCode).toBe(403)
    expect(bare.json().code).toBe('origin_missing')
    const sameOrigin = await importAs({ cookie: admin.cookie, 'sec-fetch-site': 'same-origin', 'content-type': 'application/octet-stream' })
    expect(sameOrigin.statusCode).not.toBe(403)
    const sameSite = await importAs({ cookie: admin.cookie, origin: INJECT_ORIGIN, 'sec-fetch-site': 'same-site', 'content-type': 'application/octet-stream' })
    expect(sameSite.statusCode).toBe(403)
    const nullOrigin = await importAs({ cookie: admin.cookie, origin: 'null', 'content-type': 'application/octet-stream' })
    expect(nullOrigin.statusCode).toBe(403)
  })

  it('refuses, even from the own origin, a body type a form can send that the route does not take (415)', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const response = await importAs({ ...admin.headers, 'content-type': type })
      expect(response.statusCode, type).toBe(415)
      expect(response.json().code).toBe('content_type_refused')
    }
    const before = await tokenCount(dispatcher)
    const json = await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: { ...dispatcher.headers, 'content-type': 'text/plain' }, payload: '{"name":"forged"}' })
    expect(json.statusCode).toBe(415)
    expect(json.json().message).toContain('application/json')
    const crossSite = await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: { cookie: dispatcher.cookie, origin: 'http://evil.example' }, payload: { name: 'forged' } })
    expect(crossSite.statusCode).toBe(403)
    expect(await tokenCount(dispatcher)).toBe(before)
  })

  it('accepts the same requests from the own origin, and Bearer-token requests from anywhere', async () => {
    // Read and judged on its content: an empty collection is refused as such.
    const own0 = await importAs({ ...admin.headers, 'content-type': 'application/octet-stream' })
    expect(own0.statusCode).toBe(400)
    expect(own0.json().code).toBe('boundary_import_no_features')
    const before = await tokenCount(dispatcher)
    const own = await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: dispatcher.headers, payload: { name: 'mine' } })
    expect(own.statusCode).toBe(201)
    expect(await tokenCount(dispatcher)).toBe(before + 1)
    const token = await t.tokenFor(admin)
    const script = await importAs({ authorization: `Bearer ${token}`, origin: 'http://gis.example', 'content-type': 'application/zip' })
    expect(script.json().code).toBe('boundary_import_no_features')
  })

  it('refuses a sign-in form posted from another origin', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { origin: 'http://evil.example' }, payload: { username: admin.username, password: 'x' } })
    expect(response.statusCode).toBe(403)
  })

  it('takes the own origin from PUBLIC_URL when it is set', async () => {
    const app = await buildApp({ engine: t.database.engine, logLevel: 'silent', publicUrl: 'https://grid.example.gov.cn' })
    try {
      const post = (origin: string) =>
        app.inject({ method: 'POST', url: '/api/auth/tokens', headers: { cookie: dispatcher.cookie, origin, host: 'grid.example.gov.cn' }, payload: { name: 'public' } })
      expect((await post('https://grid.example.gov.cn')).statusCode).toBe(201)
      expect((await post('http://grid.example.gov.cn')).statusCode).toBe(403)
      expect((await post(INJECT_ORIGIN)).statusCode).toBe(403)
    } finally {
      await app.close()
    }
  })
})

describe('links never follow a foreign Host header', () => {
  const hrefs = (body: { links: Array<{ href: string }> }) => body.links.map((link) => link.href)

  it('builds OGC links from the request only when Host names this machine', async () => {
    const evil = await t.app.inject({ url: '/api', headers: { host: 'evil.example' } })
    expect(hrefs(evil.json()).join(' ')).not.toContain('evil.example')
    const items = await t.app.inject({ url: '/api/collections/villages/items?limit=1', headers: { ...dispatcher.headers, host: 'evil.example:8080' } })
    expect(JSON.stringify(items.json().links)).not.toContain('evil.example')
    const local = await t.app.inject({ url: '/api', headers: { host: '127.0.0.1:80' } })
    expect(hrefs(local.json())[0]).toBe('http://127.0.0.1/api')
  })

  it('uses PUBLIC_URL, or the forwarded host when TRUST_PROXY is on', async () => {
    const configured = await buildApp({ engine: t.database.engine, logLevel: 'silent', publicUrl: 'https://grid.example.gov.cn/' })
    const proxied = await buildApp({ engine: t.database.engine, logLevel: 'silent', trustProxy: true })
    try {
      const fromConfig = await configured.inject({ url: '/api', headers: { host: 'evil.example' } })
      expect(hrefs(fromConfig.json())).toContain('https://grid.example.gov.cn/api/collections')
      const fromProxy = await proxied.inject({ url: '/api', headers: { host: '10.0.0.5:3000', 'x-forwarded-host': 'grid.example.gov.cn', 'x-forwarded-proto': 'https' } })
      expect(hrefs(fromProxy.json())).toContain('https://grid.example.gov.cn/api/collections')
    } finally {
      await configured.close()
      await proxied.close()
    }
  })
})

describe('user text in exports and photo URLs', () => {
  const FORMULA = '=HYPERLINK("http://evil.example","点我")'
  const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7)

  it('writes formula-like CSV cells as text, and the xlsx cells as strings', async () => {
    const c = caseClient(t)
    const registered = await c.register(dispatcher, 'hazards', hazardFeature(point, { description: FORMULA, reporterName: '+2+5' }))
    expect(registered.statusCode).toBe(201)
    const csv = await c.get(dispatcher, `/api/exports/problems.csv?month=${month}`)
    expect(csv.statusCode).toBe(200)
    const text = csv.body
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`)
    expect(text).toContain(",'+2+5,")
    expect(text).not.toMatch(/(^|[,\n"])[=+@]/)

    const xlsx = await c.get(dispatcher, `/api/exports/problems.xlsx?month=${month}`)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    const cells: ExcelJS.Cell[] = []
    workbook.worksheets[0].eachRow((row) => row.eachCell((cell) => cells.push(cell)))
    const formulaCell = cells.find((cell) => String(cell.value).includes('HYPERLINK'))!
    expect(formulaCell.type).toBe(ExcelJS.ValueType.String)
    expect(formulaCell.value).toBe(FORMULA)
    expect(cells.every((cell) => cell.type !== ExcelJS.ValueType.Formula)).toBe(true)
  })

  it('refuses photo URLs that are not http(s) or a path of the app (400), registering nothing', async () => {
    const c = caseClient(t)
    const count = async () => Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases`.execute(t.database.engine.db)).rows[0].n)
    const before = await count()
    for (const url of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,<script>alert(1)</script>', '//evil.example/x.jpg', 'vbscript:x']) {
      const response = await c.register(dispatcher, 'hazards', hazardFeature(point, { photos: [{ url }] }), { 'accept-language': 'en' })
      expect(response.statusCode, url).toBe(400)
      expect(response.json().code, url).toMatch(/photo_url_scheme|validation_failed/)
    }
    expect(await count()).toBe(before)
    const ok = await c.register(dispatcher, 'hazards', hazardFeature(point, { photos: [{ url: 'https://photos.example.gov.cn/a.jpg' }, { url: '/api/cases/1/photos/1' }] }))
    expect(ok.statusCode).toBe(201)
  })
})

