import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'

const run = promisify(execFile)
const OGRINFO = '/usr/bin/ogrinfo'
const OGR2OGR = '/usr/bin/ogr2ogr'
const available = existsSync(OGRINFO) && existsSync(OGR2OGR)
if (!available && process.env.CI) throw new Error('ogrinfo/ogr2ogr missing; .ci/run installs gdal-bin')

const EPSG = (code: number) => `http://www.opengis.net/def/crs/EPSG/0/${code}`

type Position = number[]
interface Feature {
  properties: { code: string }
  geometry: { coordinates: unknown }
}

function positions(coordinates: unknown): Position[] {
  if (Array.isArray(coordinates) && typeof coordinates[0] === 'number') return [coordinates as Position]
  return (coordinates as unknown[]).flatMap((inner) => positions(inner))
}

function metersApart([lon1, lat1]: Position, [lon2, lat2]: Position): number {
  return Math.hypot((lon1 - lon2) * 111_320 * Math.cos((lat1 * Math.PI) / 180), (lat1 - lat2) * 110_574)
}

/** The largest distance from a vertex of `got` to the nearest vertex of the same area in `reference` (ring order and orientation may differ). */
function worstVertexMeters(got: Feature[], reference: Feature[]): number {
  const byCode = new Map(reference.map((feature) => [feature.properties.code, positions(feature.geometry.coordinates)]))
  let worst = 0
  for (const feature of got) {
    const candidates = byCode.get(feature.properties.code)!
    for (const position of positions(feature.geometry.coordinates)) {
      worst = Math.max(worst, Math.min(...candidates.map((candidate) => metersApart(position, candidate))))
    }
  }
  return worst
}

/** `Extent: (x1, y1) - (x2, y2)` of `ogrinfo -so`. */
function extentOf(stdout: string): number[] {
  const match = /Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)/.exec(stdout)
  expect(match, stdout).not.toBeNull()
  return match!.slice(1).map(Number)
}

describe.skipIf(!available)('GDAL reads the API and the exports in CGCS2000', () => {
  let t: TestApp
  let leader: TestUser
  let base: string
  let env: NodeJS.ProcessEnv
  let dir: string

  beforeAll(async () => {
    t = await createTestApp()
    leader = await t.signIn('leader')
    env = { ...process.env, GDAL_HTTP_HEADERS: `Authorization: Bearer ${await t.tokenFor(leader)}` }
    base = await t.app.listen({ port: 0, host: '127.0.0.1' })
    dir = await mkdtemp(join(tmpdir(), 'gdal-crs-'))
  })
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
    await t?.close()
  })

  // GDAL 3.6 (Debian 12, what CI installs) has no CRS option in its OAPIF driver (CRS= came in 3.7) and sends
  // user query parameters to every URL, metadata included; so it reads the items answer itself, with its GeoJSON driver.
  for (const collection of ['villages', 'fine-grids']) {
    it(`reads ${collection} in EPSG:4490: the count matches the API and the axes are lat/lon`, async () => {
      const api = (await t.app.inject({ url: `/api/collections/${collection}/items?limit=1`, headers: leader.headers })).json()
      const url = (crs?: string) => `GeoJSON:${base}/api/collections/${collection}/items?limit=10000${crs ? `&crs=${encodeURIComponent(crs)}` : ''}`
      const { stdout } = await run(OGRINFO, ['-ro', '-so', '-al', url(EPSG(4490))], { env })
      expect(stdout).toContain(`Feature Count: ${api.numberMatched}`)
      const latLon = extentOf(stdout)
      const lonLat = extentOf((await run(OGRINFO, ['-ro', '-so', '-al', url()], { env })).stdout)
      // Same box with the axes swapped: GDAL sees latitude first, as EPSG:4490 defines it.
      expect(latLon[0]).toBeCloseTo(lonLat[1], 6)
      expect(latLon[1]).toBeCloseTo(lonLat[0], 6)
      expect(latLon[2]).toBeCloseTo(lonLat[3], 6)
      expect(latLon[3]).toBeCloseTo(lonLat[2], 6)
    })
  }

  it('reads the villages Shapefile and GeoJSON exported in EPSG:4542 as that CRS, and transforms them back to WGS84 within 1 cm', async () => {
    const wgs84 = (await t.app.inject({ url: '/api/boundaries/export/villages.geojson', headers: leader.headers })).json().features as Feature[]
    const crs = encodeURIComponent(EPSG(4542))
    const zip = await t.app.inject({ url: `/api/boundaries/export/villages.zip?crs=${crs}`, headers: leader.headers })
    expect(zip.statusCode, zip.body).toBe(200)
    expect(zip.headers['content-disposition']).toContain('gridatlas-villages-EPSG4542.zip')
    const geojson = await t.app.inject({ url: `/api/boundaries/export/villages.geojson?crs=${crs}`, headers: leader.headers })
    expect(geojson.statusCode, geojson.body).toBe(200)
    expect(geojson.json().crs).toEqual({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4542' } })
    const zipPath = join(dir, 'villages-4542.zip')
    const geojsonPath = join(dir, 'villages-4542.geojson')
    await writeFile(zipPath, zip.rawPayload)
    await writeFile(geojsonPath, geojson.rawPayload)

    for (const source of [`/vsizip/${zipPath}`, geojsonPath]) {
      const { stdout } = await run(OGRINFO, ['-ro', '-so', '-al', source])
      expect(stdout, source).toContain('CGCS2000 / 3-degree Gauss-Kruger CM 99E')
      expect(stdout).toContain(`Feature Count: ${wgs84.length}`)
      // Easting first in files (x = easting), as GDAL reads Shapefiles and GeoJSON.
      const [minX, minY] = extentOf(stdout)
      expect(minX).toBeGreaterThan(500_000)
      expect(minX).toBeLessThan(800_000)
      expect(minY).toBeGreaterThan(2_000_000)
      const back = join(dir, `back-${source.endsWith('.zip') ? 'shp' : 'geojson'}.geojson`)
      await run(OGR2OGR, ['-f', 'GeoJSON', '-t_srs', 'EPSG:4326', '-lco', 'COORDINATE_PRECISION=9', '-lco', 'RFC7946=YES', back, source])
      const returned = JSON.parse(await readFile(back, 'utf8')).features as Feature[]
      expect(returned.length).toBe(wgs84.length)
      expect(worstVertexMeters(returned, wgs84), source).toBeLessThan(0.01)
    }
  })

  it('reads the villages GeoJSON exported in EPSG:4490 as CGCS2000', async () => {
    const response = await t.app.inject({ url: `/api/boundaries/export/villages.geojson?crs=${encodeURIComponent(EPSG(4490))}`, headers: leader.headers })
    expect(response.statusCode).toBe(200)
    const path = join(dir, 'villages-4490.geojson')
    await writeFile(path, response.rawPayload)
    const { stdout } = await run(OGRINFO, ['-ro', '-so', '-al', path])
    expect(stdout).toContain('China Geodetic Coordinate System 2000')
    expect(extentOf(stdout)[0]).toBeGreaterThan(99)
  })
})
