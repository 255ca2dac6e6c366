import JSZip from 'jszip'
import proj4 from 'proj4'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { caseClient, gridPoints, hazardFeature } from '../support/cases.ts'
import { reprojectFeatures } from '../../server/core/ogc/reproject.ts'
import { resolveCrs } from '../../server/core/ogc/crs.ts'

// The CRS definitions of the check, independent of PostGIS: PROJ strings of the EPSG registry.
proj4.defs('EPSG:4490', '+proj=longlat +ellps=GRS80 +no_defs')
proj4.defs('EPSG:4542', '+proj=tmerc +lat_0=0 +lon_0=99 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs')

const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'
const EPSG = (code: number) => `http://www.opengis.net/def/crs/EPSG/0/${code}`

type Position = number[]
interface Feature {
  id: number
  geometry: { type: string; coordinates: unknown } | null
}

let t: TestApp
let leader: TestUser
let dispatcher: TestUser

beforeAll(async () => {
  t = await createTestApp()
  leader = await t.signIn('leader')
  dispatcher = await t.signIn('dispatcher')
  const c = caseClient(t)
  const points = await gridPoints(t.database.engine.db)
  for (const index of [0, 40, 80, 120, 160, 200]) {
    const response = await c.register(dispatcher, 'hazards', hazardFeature(points[index % points.length]))
    expect(response.statusCode, response.body).toBe(201)
  }
})
afterAll(() => t?.close())

function get(url: string, user: TestUser = leader) {
  return t.app.inject({ url, headers: user.headers })
}

async function features(collection: string, query: string, user: TestUser = leader): Promise<Feature[]> {
  const response = await get(`/api/collections/${collection}/items?limit=10000&${query}`, user)
  expect(response.statusCode, response.body).toBe(200)
  return response.json().features
}

/** Every position of a GeoJSON geometry's coordinates, in order. */
function positions(coordinates: unknown): Position[] {
  if (Array.isArray(coordinates) && typeof coordinates[0] === 'number') return [coordinates as Position]
  return (coordinates as unknown[]).flatMap((inner) => positions(inner))
}

/** Ground distance in metres between two lon/lat positions a few metres apart. */
function metersApart([lon1, lat1]: Position, [lon2, lat2]: Position): number {
  const dx = (lon1 - lon2) * 111_320 * Math.cos((lat1 * Math.PI) / 180)
  const dy = (lat1 - lat2) * 110_574
  return Math.hypot(dx, dy)
}

/** Back to lon/lat (CRS84 order) from a position in `code`'s EPSG axis order, with proj4. */
function backToLonLat(code: number, position: Position): Position {
  if (code === 4326) return [position[1], position[0]]
  if (code === 4490) return proj4('EPSG:4490', 'WGS84', [position[1], position[0]])
  // EPSG:4542 positions are [northing, easting]; proj4 takes [easting, northing].
  return proj4('EPSG:4542', 'WGS84', [position[1], position[0]])
}

describe('OGC API – Features Part 2: CRS by reference', () => {
  it('declares the crs conformance class and lists the CRSs with the storage CRS', async () => {
    const { conformsTo } = (await t.app.inject({ url: '/api/conformance' })).json()
    expect(conformsTo).toContain('http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs')
    const list = (await get('/api/collections')).json()
    const expected = [CRS84, EPSG(4326), EPSG(4490), EPSG(4542)]
    expect(list.crs).toEqual(expected)
    for (const collection of list.collections) {
      expect(collection.crs, collection.id).toEqual(expected)
      expect(collection.storageCrs, collection.id).toBe(CRS84)
    }
    const one = (await get('/api/collections/villages')).json()
    expect(one.crs).toEqual(expected)
    expect(one.storageCrs).toBe(CRS84)
  })

  it('says Content-Crs on every items and item answer, CRS84 by default', async () => {
    const plain = await get('/api/collections/villages/items?limit=1')
    expect(plain.headers['content-crs']).toBe(`<${CRS84}>`)
    const id = plain.json().features[0].id
    const plainItem = await get(`/api/collections/villages/items/${id}`)
    expect(plainItem.headers['content-crs']).toBe(`<${CRS84}>`)
    for (const code of [4326, 4490, 4542]) {
      const crs = encodeURIComponent(EPSG(code))
      expect((await get(`/api/collections/villages/items?limit=1&crs=${crs}`)).headers['content-crs']).toBe(`<${EPSG(code)}>`)
      const item = await get(`/api/collections/villages/items/${id}?crs=${crs}`)
      expect(item.statusCode, item.body).toBe(200)
      expect(item.headers['content-crs']).toBe(`<${EPSG(code)}>`)
      // The same version of the same feature: the entity tag does not depend on the CRS.
      expect(item.headers.etag).toBe(plainItem.headers.etag)
    }
  })

  it('answers in the axis order of each CRS: lat/lon for EPSG:4326 and 4490, northing/easting in metres for EPSG:4542', async () => {
    const [lonLat] = positions((await features('villages', ''))[0].geometry!.coordinates)
    expect(lonLat[0]).toBeGreaterThan(99)
    const [latLon] = positions((await features('villages', `crs=${encodeURIComponent(EPSG(4490))}`))[0].geometry!.coordinates)
    expect(latLon).toEqual([lonLat[1], lonLat[0]])
    const [northEast] = positions((await features('villages', `crs=${encodeURIComponent(EPSG(4542))}`))[0].geometry!.coordinates)
    expect(northEast[0]).toBeGreaterThan(2_000_000)
    expect(northEast[1]).toBeGreaterThan(500_000)
    expect(northEast[1]).toBeLessThan(800_000)
    // 3 decimals (1 mm) in metres, 7 in degrees.
    expect(String(northEast[0]).split('.')[1]?.length ?? 0).toBeLessThanOrEqual(3)
    expect(String(latLon[0]).split('.')[1]?.length ?? 0).toBeLessThanOrEqual(7)
  })

  for (const collection of ['villages', 'base-grids', 'fine-grids', 'hazards']) {
    it(`round-trips ${collection} through EPSG:4490 and EPSG:4542 within 1 cm of CRS84`, async () => {
      const reference = new Map((await features(collection, '')).map((feature) => [feature.id, feature]))
      expect(reference.size).toBeGreaterThan(0)
      for (const code of [4326, 4490, 4542]) {
        const answer = await features(collection, `crs=${encodeURIComponent(EPSG(code))}`)
        expect(answer.map((feature) => feature.id)).toEqual([...reference.keys()])
        let worstMeters = 0
        for (const feature of answer) {
          const expected = positions(reference.get(feature.id)!.geometry!.coordinates)
          const got = positions(feature.geometry!.coordinates)
          expect(got.length).toBe(expected.length)
          got.forEach((position, index) => {
            worstMeters = Math.max(worstMeters, metersApart(backToLonLat(code, position), expected[index]))
          })
        }
        expect(worstMeters, `EPSG:${code}`).toBeLessThan(0.01)
      }
    })
  }

  // Areas and cases write their geometries in the requested CRS in their own statement; any other
  // collection's CRS84 page is transformed after. Both must give the same answer.
  for (const collection of ['villages', 'fine-grids', 'hazards']) {
    it(`writes ${collection} in EPSG:4490 and EPSG:4542 as the transform of its CRS84 page does`, async () => {
      const reference = await features(collection, '')
      for (const code of [4490, 4542]) {
        const crs = resolveCrs(EPSG(code), 'crs')
        const transformed = (await reprojectFeatures(t.database.engine.db, reference.map((feature) => JSON.stringify(feature)), crs)).map((text) => JSON.parse(text) as Feature)
        const answer = await features(collection, `crs=${encodeURIComponent(EPSG(code))}`)
        expect(answer.length).toBe(reference.length)
        // The transform after starts from the CRS84 text (7 decimals: up to 0.5e-7°, ~6 mm), the
        // statement from the stored coordinates; then each writes its own last digit.
        const tolerance = code === 4542 ? 0.007 : 1e-7
        answer.forEach((feature, index) => {
          const { geometry, ...rest } = feature
          const { geometry: expectedGeometry, ...expectedRest } = transformed[index]
          expect(rest).toEqual(expectedRest)
          expect(geometry!.type).toBe(expectedGeometry!.type)
          const got = positions(geometry!.coordinates)
          const expected = positions(expectedGeometry!.coordinates)
          expect(got.length).toBe(expected.length)
          got.forEach((position, at) => position.forEach((value, axis) => expect(Math.abs(value - expected[at][axis])).toBeLessThanOrEqual(tolerance * 1.000001)))
        })
      }
    })
  }

  it('reads a bbox in EPSG:4490 (lat/lon) as the same box as in CRS84', async () => {
    const cases: Array<[string, [number, number, number, number]]> = [
      ['villages', [100.1, 25.84, 100.14, 25.86]],
      ['fine-grids', [100.11, 25.845, 100.13, 25.855]],
      ['hazards', [99, 25, 101, 27]],
    ]
    for (const [collection, [minLon, minLat, maxLon, maxLat]] of cases) {
      const lonLat = (await features(collection, `bbox=${minLon},${minLat},${maxLon},${maxLat}`)).map((f) => f.id)
      expect(lonLat.length, collection).toBeGreaterThan(0)
      for (const code of [4326, 4490]) {
        const query = `bbox=${minLat},${minLon},${maxLat},${maxLon}&bbox-crs=${encodeURIComponent(EPSG(code))}`
        expect((await features(collection, query)).map((f) => f.id), `${collection} EPSG:${code}`).toEqual(lonLat)
      }
      const crs84 = `bbox=${minLon},${minLat},${maxLon},${maxLat}&bbox-crs=${encodeURIComponent(CRS84)}`
      expect((await features(collection, crs84)).map((f) => f.id)).toEqual(lonLat)
    }
  })

  it('reads a bbox in EPSG:4542 (northing,easting): exactly the points inside the box', async () => {
    const all = await features('hazards', `crs=${encodeURIComponent(EPSG(4542))}`)
    const northings = all.map((f) => positions(f.geometry!.coordinates)[0][0]).sort((a, b) => a - b)
    const eastings = all.map((f) => positions(f.geometry!.coordinates)[0][1]).sort((a, b) => a - b)
    // A box around the middle of the points, so some are in and some out.
    const box = [northings[1] - 1, eastings[1] - 1, northings[northings.length - 2] + 1, eastings[eastings.length - 2] + 1]
    const [minN, minE, maxN, maxE] = box
    const margin = Math.max(maxN - minN, maxE - minE) * 0.02
    const inside = (grow: number) =>
      all
        .filter((f) => {
          const [n, e] = positions(f.geometry!.coordinates)[0]
          return n >= minN - grow && n <= maxN + grow && e >= minE - grow && e <= maxE + grow
        })
        .map((f) => f.id)
    const selected = (await features('hazards', `bbox=${box.join(',')}&bbox-crs=${encodeURIComponent(EPSG(4542))}&crs=${encodeURIComponent(EPSG(4542))}`)).map((f) => f.id)
    expect(selected).toEqual(expect.arrayContaining(inside(0)))
    for (const id of selected) expect(inside(margin)).toContain(id)
    // Exactly the points inside the metre box (1 mm of rounding either way), not the lon/lat box around it.
    expect(inside(0.001)).toEqual(expect.arrayContaining(selected))
    expect(selected.length).toBeLessThan(all.length)
  })

  it('leaves out a point 20 m outside a metre box, where the lon/lat box around it (turned ~0.5°) reaches past the edge', async () => {
    const [point] = await features('hazards', `crs=${encodeURIComponent(EPSG(4542))}`)
    const [n, e] = positions(point.geometry!.coordinates)[0]
    // The point lies 20 m south of the box's southern edge, 100 m in from its western (then eastern) end: one of the two
    // ends is where the convergence strip is about 85 m wide, so a lon/lat box around the metre box holds the point.
    for (const [minE, maxE] of [[e - 100, e + 9_900], [e - 9_900, e + 100]]) {
      const box = [n + 20, minE, n + 5_000, maxE]
      const selected = (await features('hazards', `bbox=${box.join(',')}&bbox-crs=${encodeURIComponent(EPSG(4542))}`)).map((f) => f.id)
      expect(selected, `box ${box.join(',')}`).not.toContain(point.id)
    }
  })

  it('keeps crs and bbox-crs in the paging links', async () => {
    const crs = encodeURIComponent(EPSG(4542))
    const bboxCrs = encodeURIComponent(EPSG(4490))
    const body = (await get(`/api/collections/fine-grids/items?limit=2&crs=${crs}&bbox=25.8,100.0,25.9,100.2&bbox-crs=${bboxCrs}`)).json()
    const next = body.links.find((link: { rel: string }) => link.rel === 'next')
    expect(next).toBeDefined()
    const url = new URL(next.href)
    expect(url.searchParams.get('crs')).toBe(EPSG(4542))
    expect(url.searchParams.get('bbox-crs')).toBe(EPSG(4490))
    const second = await get(url.pathname + url.search)
    expect(second.statusCode).toBe(200)
    expect(second.headers['content-crs']).toBe(`<${EPSG(4542)}>`)
  })

  it('refuses an unsupported crs with 400 listing the supported ones, on items and item', async () => {
    for (const url of [
      `/api/collections/villages/items?crs=${encodeURIComponent(EPSG(4543))}`,
      '/api/collections/villages/items?crs=EPSG:4490',
      `/api/collections/villages/items?bbox=1,2,3,4&bbox-crs=${encodeURIComponent(EPSG(3857))}`,
      `/api/collections/hazards/items?crs=${encodeURIComponent(EPSG(32647))}`,
      `/api/collections/villages/items/1?crs=${encodeURIComponent(EPSG(4543))}`,
    ]) {
      const response = await t.app.inject({ url, headers: { ...leader.headers, 'accept-language': 'en' } })
      expect(response.statusCode, url).toBe(400)
      const { code, message } = response.json()
      expect(code).toBe('unsupported_crs')
      for (const uri of [CRS84, EPSG(4326), EPSG(4490), EPSG(4542)]) expect(message).toContain(uri)
    }
  })

  it('refuses a bbox invalid in its bbox-crs, and bbox-crs without bbox, with 400', async () => {
    const lat = encodeURIComponent(EPSG(4490))
    const bad = [
      // lon/lat order sent where lat/lon is due: 100 is not a latitude
      `bbox=100.1,25.84,100.14,25.86&bbox-crs=${lat}`,
      `bbox=1,2,3&bbox-crs=${lat}`,
      `bbox=2870000,620000,2860000,630000&bbox-crs=${encodeURIComponent(EPSG(4542))}`,
      `bbox-crs=${lat}`,
    ]
    for (const query of bad) {
      const response = await t.app.inject({ url: `/api/collections/villages/items?${query}`, headers: { ...leader.headers, 'accept-language': 'en' } })
      expect(response.statusCode, query).toBe(400)
      expect(response.json().code).toMatch(/^(bad_crs_bbox|bbox_crs_without_bbox)$/)
    }
    const message = (await t.app.inject({ url: `/api/collections/villages/items?${bad[0]}`, headers: { ...leader.headers, 'accept-language': 'en' } })).json().message
    expect(message).toContain('minLat,minLon,maxLat,maxLon')
  })
})

describe('boundary exports in a chosen CRS', () => {
  const exportOf = (file: string, query = '') =>
    t.app.inject({ url: `/api/boundaries/export/${file}${query}`, headers: { ...leader.headers, 'accept-language': 'en' } })

  it('writes GeoJSON in EPSG:4490 and EPSG:4542 with a crs member, easting first, within 1 cm of the WGS84 export', async () => {
    const wgs84 = (await exportOf('villages.geojson')).json()
    expect(wgs84.crs).toBeUndefined()
    for (const code of [4490, 4542]) {
      const response = await exportOf('villages.geojson', `?crs=${encodeURIComponent(EPSG(code))}`)
      expect(response.statusCode, response.body).toBe(200)
      expect(response.headers['content-disposition']).toContain(`gridatlas-villages-EPSG${code}.geojson`)
      const body = response.json()
      expect(body.crs).toEqual({ type: 'name', properties: { name: `urn:ogc:def:crs:EPSG::${code}` } })
      let worstMeters = 0
      body.features.forEach((feature: Feature, index: number) => {
        const expected = positions(wgs84.features[index].geometry.coordinates)
        positions(feature.geometry!.coordinates).forEach((position, i) => {
          // Files keep x = longitude/easting: swap to the API's EPSG order for backToLonLat.
          worstMeters = Math.max(worstMeters, metersApart(backToLonLat(code, [position[1], position[0]]), expected[i]))
        })
      })
      expect(worstMeters, `EPSG:${code}`).toBeLessThan(0.01)
    }
  })

  it('writes the Shapefile .prj of the chosen CRS', async () => {
    const response = await exportOf('base-grids.zip', `?crs=${encodeURIComponent(EPSG(4542))}`)
    expect(response.statusCode).toBe(200)
    const zip = await JSZip.loadAsync(response.rawPayload)
    const prj = await zip.file('gridatlas-base-grids-EPSG4542.prj')!.async('string')
    expect(prj).toMatch(/^PROJCS\["CGCS2000 \/ 3-degree Gauss-Kruger CM 99E"/)
    expect(prj).toContain('PARAMETER["central_meridian",99]')
    const plain = await JSZip.loadAsync((await exportOf('base-grids.zip')).rawPayload)
    expect(await plain.file('gridatlas-base-grids.prj')!.async('string')).toContain('GCS_WGS_1984')
  })

  it('keeps the WGS84 export for CRS84 and EPSG:4326, and refuses KML in another CRS and unknown CRSs with 400', async () => {
    const plain = (await exportOf('villages.geojson')).body
    expect((await exportOf('villages.geojson', `?crs=${encodeURIComponent(CRS84)}`)).body).toBe(plain)
    expect((await exportOf('villages.geojson', `?crs=${encodeURIComponent(EPSG(4326))}`)).body).toBe(plain)
    expect((await exportOf('villages.kml', `?crs=${encodeURIComponent(CRS84)}`)).statusCode).toBe(200)
    const kml = await exportOf('villages.kml', `?crs=${encodeURIComponent(EPSG(4490))}`)
    expect(kml.statusCode).toBe(400)
    expect(kml.json().code).toBe('export_crs_kml')
    for (const crs of ['EPSG:4542', EPSG(4543)]) {
      const response = await exportOf('fine-grids.zip', `?crs=${encodeURIComponent(crs)}`)
      expect(response.statusCode).toBe(400)
      expect(response.json().message).toContain(EPSG(4542))
    }
  })
})
