import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/test-app.ts'

const run = promisify(execFile)
const OGRINFO = '/usr/bin/ogrinfo'
const available = existsSync(OGRINFO)
if (!available && process.env.CI) throw new Error('ogrinfo missing; .ci/run installs gdal-bin')

describe.skipIf(!available)("GDAL's OAPIF driver reads the API with a bearer token", () => {
  let t: TestApp
  let base: string
  let env: NodeJS.ProcessEnv

  beforeAll(async () => {
    t = await createTestApp()
    const user = await t.signIn('leader')
    env = { ...process.env, GDAL_HTTP_HEADERS: `Authorization: Bearer ${await t.tokenFor(user)}` }
    base = await t.app.listen({ port: 0, host: '127.0.0.1' })
  })
  afterAll(() => t?.close())

  it('lists the four area collections as MultiPolygon layers', async () => {
    const { stdout } = await run(OGRINFO, [`OAPIF:${base}/api`], { env })
    for (const id of ['town', 'villages', 'base-grids', 'fine-grids']) expect(stdout).toMatch(new RegExp(`: ${id} \\(.*Multi Polygon`))
  })

  it('reads every fine grid across pages, and filters spatially', async () => {
    const total = (await t.app.inject({ url: '/api/collections/fine-grids/items?limit=1', headers: { authorization: env.GDAL_HTTP_HEADERS!.split(': ')[1] } })).json().numberMatched
    const { stdout } = await run(OGRINFO, ['-so', `OAPIF:${base}/api`, 'fine-grids'], { env })
    expect(stdout).toContain(`Feature Count: ${total}`)
    const { stdout: some } = await run(OGRINFO, ['-q', `OAPIF:${base}/api`, 'villages', '-spat', '100.1', '25.84', '100.14', '25.86'], { env })
    const count = (some.match(/OGRFeature\(villages\)/g) ?? []).length
    expect(count).toBeGreaterThan(0)
    expect(count).toBeLessThan(13)
  })

  it('is refused without a token', async () => {
    await expect(run(OGRINFO, [`OAPIF:${base}/api`], { env: { ...process.env, GDAL_HTTP_HEADERS: '' } })).rejects.toThrow(/401/)
  })
})
