import { readFileSync } from 'node:fs'
import { sql } from 'kysely'
import JSZip from 'jszip'
import gcoord from 'gcoord'
import { zip as shpWriteZip } from '@mapbox/shp-write'
import { parseZip } from 'shpjs'
import { kml } from '@tmcw/togeojson'
import { DOMParser } from '@xmldom/xmldom'
import proj4 from 'proj4'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toWgs84 } from '../../server/features/areas/io/source-crs.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { ROOT } from '../setup/template.ts'

type Feature = { type: 'Feature'; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }
type Collection = { type: 'FeatureCollection'; features: Feature[] }

let t: TestApp
let admin: TestUser
let leader: TestUser

beforeAll(async () => {
  t = await createTestApp()
  admin = await t.signIn('admin')
  leader = await t.signIn('leader')
})
afterAll(() => t?.close())

const db = () => t.database.engine.db
const fixture = (name: string) => readFileSync(`${ROOT}tests/fixtures/boundaries-io/${name}`)

async function exportFile(level: string, format: string, user = admin) {
  const response = await t.app.inject({ url: `/api/boundaries/export/${level}.${format}`, headers: user.headers })
  expect(response.statusCode, response.body.slice(0, 300)).toBe(200)
  return response
}

function upload(body: Buffer | string, query: Record<string, string>, user = admin, lang = 'zh') {
  const search = new URLSearchParams({ reason: '导入测试', sourceCrs: 'wgs84', ...query }).toString()
  return t.app.inject({
    method: 'POST',
    url: `/api/boundaries/imports?${search}`,
    headers: { ...user.headers, 'content-type': 'application/octet-stream', 'accept-language': lang },
    payload: typeof body === 'string' ? Buffer.from(body) : body,
  })
}

/** Uploads, then follows the job until it is finished; returns every state seen. */
async function runImport(body: Buffer | string, query: Record<string, string>) {
  const started = await upload(body, query)
  expect(started.statusCode, started.body.slice(0, 500)).toBe(202)
  let job = started.json()
  const seen = [job]
  while (job.status === 'running') {
    await new Promise((resolve) => setImmediate(resolve))
    const polled = await t.app.inject({ url: `/api/boundaries/imports/${job.id}`, headers: admin.headers })
    expect(polled.statusCode).toBe(200)
    job = polled.json()
    seen.push(job)
  }
  expect(job.status, JSON.stringify(job.error)).toBe('done')
  return { job, report: job.report, seen }
}

async function changeCount() {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM boundary_changes`.execute(db())
  return Number(rows[0].n)
}

async function fineGrid(offset = 0) {
  const { rows } = await sql<{ id: number; code: string; parentCode: string; geometry: string }>`
    SELECT c.area_id AS id, c.code, p.code AS "parentCode", ST_AsGeoJSON(c.geom, 9) AS geometry
    FROM current_areas c JOIN current_areas p ON p.area_id = c.parent_id
    WHERE c.level = 'fine_grid' ORDER BY c.code OFFSET ${offset} LIMIT 1`.execute(db())
  return { ...rows[0], id: Number(rows[0].id) }
}

/** `geometry` (GeoJSON text) buffered by `meters` on the ground (negative shrinks), as a GeoJSON object. */
async function buffered(geometry: string, meters: number) {
  const { rows } = await sql<{ g: string }>`
    SELECT ST_AsGeoJSON(ST_Multi(ST_Buffer(ST_SetSRID(ST_GeomFromGeoJSON(${geometry}), 4326)::geography, ${meters}::float8)::geometry), 9) AS g`.execute(db())
  return JSON.parse(rows[0].g)
}

describe('boundary export', () => {
  it('exports fine grids as GeoJSON with code, name, level, parent code and figures, for any signed-in role', async () => {
    const response = await exportFile('fine-grids', 'geojson', leader)
    expect(response.headers['content-type']).toContain('application/geo+json')
    const collection = response.json() as Collection
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM current_areas WHERE level = 'fine_grid'`.execute(db())
    expect(collection.features).toHaveLength(Number(rows[0].n))
    const first = collection.features[0].properties
    expect(first).toMatchObject({ level: 'fine_grid' })
    expect(String(first.code)).toMatch(/^\d{18}$/)
    expect(String(first.parentCode)).toBe(String(first.code).slice(0, 15))
    expect(typeof first.households).toBe('number')
    expect(String(first.name)).toMatch(/网格/)
  })

  it('exports a zipped Shapefile with a WGS84 .prj and a UTF-8 .cpg that shpjs reads back with Chinese names', async () => {
    const response = await exportFile('villages', 'zip')
    const zip = await JSZip.loadAsync(response.rawPayload)
    const names = Object.keys(zip.files).sort()
    expect(names).toEqual(['gridatlas-villages.cpg', 'gridatlas-villages.dbf', 'gridatlas-villages.prj', 'gridatlas-villages.shp', 'gridatlas-villages.shx'])
    expect(await zip.file('gridatlas-villages.cpg')!.async('string')).toBe('UTF-8')
    expect(await zip.file('gridatlas-villages.prj')!.async('string')).toContain('WGS_1984')
    const parsed = (await parseZip(response.rawPayload)) as Collection
    const geojson = (await exportFile('villages', 'geojson')).json() as Collection
    expect(parsed.features).toHaveLength(geojson.features.length)
    expect(parsed.features[0].properties.name).toBe(geojson.features[0].properties.name)
    expect(String(parsed.features[0].properties.name)).toMatch(/[村社区]/)
    expect(String(parsed.features[0].properties.parentcode)).toMatch(/^\d{12}$/)
  })

  it('exports KML that togeojson reads back', async () => {
    const response = await exportFile('base-grids', 'kml')
    expect(response.headers['content-type']).toContain('kml')
    const parsed = kml(new DOMParser().parseFromString(response.body, 'text/xml') as unknown as Document)
    const geojson = (await exportFile('base-grids', 'geojson')).json() as Collection
    expect(parsed.features).toHaveLength(geojson.features.length)
    expect(parsed.features[0].properties?.code).toBe(geojson.features[0].properties.code)
    expect(parsed.features[0].properties?.name).toBe(geojson.features[0].properties.name)
  })
})

describe('boundary import: round trips', () => {
  for (const [level, format] of [['fine-grids', 'geojson'], ['base-grids', 'zip'], ['villages', 'kml']] as const) {
    it(`re-importing the ${level} ${format} export reports every feature unchanged and writes nothing`, async () => {
      const before = await changeCount()
      const file = (await exportFile(level, format)).rawPayload
      const { report, seen } = await runImport(file, { level })
      expect(report.refused).toEqual([])
      expect(report.changed).toEqual([])
      expect(report.created).toEqual([])
      expect(report.unchanged.length).toBe(report.total)
      expect(report.total).toBeGreaterThan(10)
      expect(report.changeId).toBeNull()
      expect(seen.at(-1).processed).toBe(report.total)
      expect(await changeCount()).toBe(before)
    })
  }

  it('converts GCJ-02 input back to WGS84 within 1 m (the grids come back unchanged)', async () => {
    const collection = (await exportFile('fine-grids', 'geojson')).json() as Collection
    const sample = collection.features.slice(0, 12)
    const gcj = { type: 'FeatureCollection', features: sample.map((f) => ({ ...f, geometry: gcoord.transform(structuredClone(f.geometry) as never, gcoord.WGS84, gcoord.GCJ02) })) }
    const shifted = (gcj.features[0].geometry as { coordinates: number[][][][] }).coordinates[0][0][0]
    const original = (sample[0].geometry as { coordinates: number[][][][] }).coordinates[0][0][0]
    expect(Math.abs(shifted[0] - original[0])).toBeGreaterThan(1e-3)
    const back = toWgs84({ type: 'Point', coordinates: shifted }, 'gcj02').coordinates as number[]
    const metres = Math.hypot((back[0] - original[0]) * 111_320 * Math.cos((original[1] * Math.PI) / 180), (back[1] - original[1]) * 110_574)
    expect(metres).toBeLessThan(1)
    const { report } = await runImport(JSON.stringify(gcj), { level: 'fine-grids', sourceCrs: 'gcj02' })
    expect(report.refused).toEqual([])
    expect(report.unchanged).toHaveLength(12)
    const wrong = await runImport(JSON.stringify(gcj), { level: 'fine-grids', sourceCrs: 'wgs84', dryRun: 'true' })
    expect(wrong.report.unchanged).toHaveLength(0)
  })
})

describe('boundary import: changes and refusals', () => {
  it('changes, creates and refuses feature by feature, writes the accepted ones as one change with the reason', async () => {
    const shrink = await fineGrid(0)
    const grow = await fineGrid(40)
    const shrunk = await buffered(shrink.geometry, -4)
    const { rows: ringRows } = await sql<{ g: string }>`
      SELECT ST_AsGeoJSON(ST_Multi(ST_Difference(ST_SetSRID(ST_GeomFromGeoJSON(${shrink.geometry}), 4326), ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(shrunk)}), 4326))), 9) AS g`.execute(db())
    const features: Feature[] = [
      { type: 'Feature', properties: { code: shrink.code, households: 77 }, geometry: shrunk },
      { type: 'Feature', properties: { 编码: grow.code }, geometry: await buffered(grow.geometry, 40) },
      { type: 'Feature', properties: { code: `${shrink.parentCode}998`, name: '新建精细网格' }, geometry: JSON.parse(ringRows[0].g) },
      { type: 'Feature', properties: { code: '532901101999001001' }, geometry: JSON.parse(shrink.geometry) },
      { type: 'Feature', properties: { code: grow.code.slice(0, 15) }, geometry: JSON.parse(grow.geometry) },
      { type: 'Feature', properties: { name: '无编码' }, geometry: JSON.parse(grow.geometry) },
      { type: 'Feature', properties: { code: (await fineGrid(80)).code, population: '很多' }, geometry: JSON.parse(grow.geometry) },
    ]
    const before = await changeCount()
    const { report } = await runImport(JSON.stringify({ type: 'FeatureCollection', features }), { level: 'fine-grids', reason: '村民小组调整' })
    expect(report.changed.map((e: { index: number }) => e.index)).toEqual([1])
    expect(report.created.map((e: { index: number }) => e.index)).toEqual([3])
    expect(report.created[0].newCode).toMatch(new RegExp(`^${shrink.parentCode}\\d{3}$`))
    expect(report.refused.map((e: { index: number }) => e.index)).toEqual([2, 4, 5, 6, 7])
    const [overlap, unknownParent, wrongLevel, noCode, badFigures] = report.refused
    expect(overlap.problems.map((p: { kind: string }) => p.kind)).toEqual(expect.arrayContaining(['overlap']))
    expect(overlap.problems[0].geometry).toBeTruthy()
    expect(unknownParent.reason).toContain('532901101999001')
    expect(wrongLevel.reason).toContain('位数')
    expect(noCode.reason).toContain('编码')
    expect(badFigures.reason).toContain('population')
    expect(await changeCount()).toBe(before + 1)
    const versions = (await t.app.inject({ url: `/api/areas/${shrink.id}/versions`, headers: admin.headers })).json().versions
    const last = versions.at(-1)
    expect(last).toMatchObject({ changedBy: admin.username, changeReason: '村民小组调整', households: 77, changeId: report.changeId })
    expect(versions.at(-2).validTo).not.toBeNull()
  })

  it('imports a zipped Shapefile built with shp-write and a dry run writes nothing', async () => {
    const target = await fineGrid(120)
    const collection = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { CODE: target.code, HOUSEHOLDS: 5 }, geometry: JSON.parse(target.geometry) }] }
    const bytes = (await shpWriteZip(collection, { outputType: 'nodebuffer' })) as Buffer
    const before = await changeCount()
    const dry = await runImport(bytes, { level: 'fine-grids', dryRun: 'true' })
    expect(dry.report.changed).toHaveLength(1)
    expect(dry.report.changeId).toBeNull()
    expect(await changeCount()).toBe(before)
    const real = await runImport(bytes, { level: 'fine-grids' })
    expect(real.report.changed).toHaveLength(1)
    expect(await changeCount()).toBe(before + 1)
  })

  it('honours a projected .prj (UTM zone 47N): the grids come back unchanged', async () => {
    const utm = 'PROJCS["WGS_1984_UTM_Zone_47N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",99.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]'
    const toUtm = proj4('EPSG:4326', '+proj=utm +zone=47 +datum=WGS84 +units=m +no_defs')
    const collection = (await exportFile('fine-grids', 'geojson')).json() as Collection
    const projected = collection.features.slice(0, 6).map((f) => ({
      ...f,
      properties: { code: f.properties.code },
      geometry: { type: 'MultiPolygon', coordinates: (f.geometry.coordinates as number[][][][]).map((polygon) => polygon.map((ring) => ring.map((p) => toUtm.forward(p)))) },
    }))
    const bytes = (await shpWriteZip({ type: 'FeatureCollection', features: projected }, { outputType: 'nodebuffer', prj: utm })) as Buffer
    const { report } = await runImport(bytes, { level: 'fine-grids' })
    expect(report.refused).toEqual([])
    expect(report.unchanged).toHaveLength(6)
  })

  it('answers 400 with an actionable message for files it cannot read, and changes nothing', async () => {
    const before = await changeCount()
    const cases: Array<[Buffer | string, string]> = [
      [fixture('not-a-zip.zip'), 'boundary_import_bad_zip'],
      [fixture('no-shp.zip'), 'boundary_import_bad_zip'],
      [fixture('broken.kml'), 'boundary_import_bad_kml'],
      [fixture('points.geojson'), 'boundary_import_bad_geometry_types'],
      ['{"type":"FeatureCollection","features":[', 'boundary_import_bad_geojson'],
      ['just some text', 'boundary_import_unknown_format'],
      ['', 'boundary_import_empty'],
      ['{"type":"FeatureCollection","features":[]}', 'boundary_import_no_features'],
    ]
    for (const [body, code] of cases) {
      const response = await upload(body, { level: 'fine-grids' })
      expect(response.statusCode, `${code}: ${response.body}`).toBe(400)
      expect(response.json().code).toBe(code)
      expect(response.json().message.length).toBeGreaterThan(5)
    }
    const english = await upload(fixture('no-shp.zip'), { level: 'fine-grids' }, admin, 'en')
    expect(english.json().message).toMatch(/\.shp/)
    expect(await changeCount()).toBe(before)
  })

  it('answers 413 above the size limit, 403 to non-admins, 400 without a reason', async () => {
    const big = Buffer.alloc(33 * 1024 * 1024, 0x20)
    const tooLarge = await upload(big, { level: 'fine-grids' })
    expect(tooLarge.statusCode).toBe(413)
    expect(tooLarge.json()).toMatchObject({ code: 'boundary_import_too_large' })
    expect((await upload('{}', { level: 'fine-grids' }, leader)).statusCode).toBe(403)
    const noReason = await t.app.inject({ method: 'POST', url: '/api/boundaries/imports?level=fine-grids&sourceCrs=wgs84', headers: { ...admin.headers, 'content-type': 'application/octet-stream' }, payload: Buffer.from('{}') })
    expect(noReason.statusCode).toBe(400)
    const missing = await t.app.inject({ url: '/api/boundaries/imports/00000000-0000-4000-8000-000000000000', headers: admin.headers })
    expect(missing.statusCode).toBe(404)
  })

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json', headers: admin.headers })).json()
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/boundaries/imports', '/api/boundaries/imports/{id}', '/api/boundaries/export/fine-grids.zip']))
  })
})
