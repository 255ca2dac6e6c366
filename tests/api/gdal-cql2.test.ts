import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { caseClient, gridPoints, hazardFeature } from '../support/cases.ts'

const run = promisify(execFile)
const OGRINFO = '/usr/bin/ogrinfo'
const available = existsSync(OGRINFO)
if (!available && process.env.CI) throw new Error('ogrinfo missing; .ci/run installs gdal-bin')

/**
 * GDAL 3.6's OAPIF driver predates CQL2: it speaks the 2020 draft (`filter-lang=cql-text`),
 * sends an attribute filter only for the fields a `rel="queryables"` link lists in the draft
 * shape, and detects CQL support from the OpenAPI document by a path lookup that splits on
 * "/" and so finds no real server's items path; its own switch OGR_OAPIF_ALLOW_CQL_TEXT=YES
 * turns the detection on. With it, `ogrinfo -where` reaches the server as `filter`.
 */
describe.skipIf(!available)("GDAL's OAPIF driver pushes attribute filters down as CQL", () => {
  let t: TestApp
  let base: string
  let env: NodeJS.ProcessEnv
  let user: TestUser

  beforeAll(async () => {
    t = await createTestApp()
    user = await t.signIn('dispatcher')
    const c = caseClient(t)
    const points = await gridPoints(t.database.engine.db)
    for (const [i, severity, category] of [[0, 'high', 'fire'], [50, 'low', 'fire'], [100, 'high', 'flood'], [150, 'critical', 'flood']] as const) {
      const response = await c.register(user, 'hazards', hazardFeature(points[i], { severity, category, reportedAt: `2025-11-0${1 + (i / 50)}T08:00:00Z` }))
      expect(response.statusCode, response.body).toBe(201)
    }
    env = {
      ...process.env,
      GDAL_HTTP_HEADERS: `Authorization: Bearer ${await t.tokenFor(user)}`,
      OGR_OAPIF_ALLOW_CQL_TEXT: 'YES',
      CPL_CURL_VERBOSE: 'YES',
    }
    base = await t.app.listen({ port: 0, host: '127.0.0.1' })
  })
  afterAll(() => t?.close())

  /** Features ogrinfo reads for `layer` with `where`, and the filters it sent. */
  async function ogrinfo(layer: string, where: string) {
    const { stdout, stderr } = await run(OGRINFO, ['-q', '-oo', 'PAGE_SIZE=1000', `OAPIF:${base}/api`, layer, '-where', where], { env, maxBuffer: 64 * 1024 * 1024 })
    const count = (stdout.match(new RegExp(`OGRFeature\\(${layer}\\)`, 'g')) ?? []).length
    // CPL_CURL_VERBOSE prints each request line ("CURL_INFO_HEADER_OUT: GET /api/… HTTP/1.1").
    const sent = [...stderr.matchAll(/GET (\S+) HTTP/g)]
      .map((match) => new URL(match[1], base).searchParams)
      .filter((params) => params.has('filter'))
      .map((params) => ({ filter: params.get('filter'), lang: params.get('filter-lang') }))
    return { count, sent }
  }

  async function apiCount(collection: string, filter: string): Promise<number> {
    const response = await t.app.inject({ url: `/api/collections/${collection}/items?limit=1&filter=${encodeURIComponent(filter)}`, headers: user.headers })
    expect(response.statusCode, response.body).toBe(200)
    return response.json().numberMatched
  }

  it('serves the OpenAPI document with a type GDAL accepts (it refused version="3.0" and lost the document)', async () => {
    const response = await t.app.inject({ url: '/api/openapi.json' })
    expect(response.headers['content-type']).toBe('application/vnd.oai.openapi+json;version=3.0; charset=utf-8')
  })

  it('filters villages on the server, with the counts of the API', async () => {
    const { count, sent } = await ogrinfo('villages', 'population > 4700')
    expect(sent).toEqual([{ filter: 'population > 4700', lang: 'cql-text' }])
    expect(count).toBe(await apiCount('villages', 'population > 4700'))
    expect(count).toBeGreaterThan(0)
    expect(count).toBeLessThan(13)
  })

  it('sends AND/OR/NOT of comparisons on hazards as one CQL filter', async () => {
    const where = "(severity = 'high' OR severity = 'critical') AND NOT category = 'fire'"
    const { count, sent } = await ogrinfo('hazards', where)
    expect(sent.length).toBeGreaterThan(0)
    expect(sent[0].lang).toBe('cql-text')
    expect(sent[0].filter).toMatch(/severity = 'high'.*OR.*severity = 'critical'.*AND.*NOT.*category = 'fire'/)
    expect(count).toBe(await apiCount('hazards', where))
    expect(count).toBe(2)
  })

  it('filters fine grids by kind and code prefix', async () => {
    const where = "kind <> 'standard' AND code LIKE '5329%'"
    const { count, sent } = await ogrinfo('fine-grids', where)
    expect(sent.length).toBeGreaterThan(0)
    expect(count).toBe(await apiCount('fine-grids', where))
    expect(count).toBeGreaterThan(0)
  })
})
