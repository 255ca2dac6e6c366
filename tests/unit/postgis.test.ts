import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql, type RawBuilder } from 'kysely'
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { openTestDatabase, ENGINE_UNDER_TEST, type TestDatabase } from '../support/test-database.ts'
import type { Db } from '../../server/core/db/database.ts'
import {
  GEOJSON_DIGITS,
  asGeoJson,
  geomFromGeoJson,
  multiFromGeoJson,
  toMetric,
  toWebMercator,
  toLonLat,
  withSrid,
  METRIC_SRID,
  makeEnvelope,
  intersectsBbox,
  tileEnvelope,
  extentBounds,
  pointFromLonLat,
  pointX,
  pointY,
  encodeMvt,
  mvtEncoderFor,
  MVT_EXTENT,
  type MvtEncoder,
  type TileAddress,
} from '../../server/core/postgis/index.ts'

let database: TestDatabase
let db: Db

beforeAll(async () => {
  database = await openTestDatabase()
  db = database.engine.db
}, 120_000)

afterAll(async () => {
  await database?.dispose()
})

/** The SQL and parameters of `SELECT <expression>`. */
function compiled(expression: RawBuilder<unknown>) {
  const query = sql`SELECT ${expression}`.compile(db)
  return { sql: query.sql, parameters: query.parameters }
}

/** The value of `SELECT <expression>` on the test database. */
async function value<T>(expression: RawBuilder<T>): Promise<T> {
  const { rows } = await sql<{ v: T }>`SELECT ${expression} AS v`.execute(db)
  return rows[0].v
}

const POINT = pointFromLonLat(100.123456789, 25.987654321)

describe('GeoJSON', () => {
  it('writes coordinates at the API precision, 7 decimals', async () => {
    expect(GEOJSON_DIGITS).toBe(7)
    expect(compiled(asGeoJson(sql.ref('a.geom'))).sql).toBe('SELECT ST_AsGeoJSON("a"."geom", 7)')
    expect(JSON.parse(await value(asGeoJson(POINT)))).toEqual({ type: 'Point', coordinates: [100.1234568, 25.9876543] })
    expect(JSON.parse(await value(asGeoJson(POINT, 3)))).toEqual({ type: 'Point', coordinates: [100.123, 25.988] })
  })

  it('reads GeoJSON text into EPSG:4326, promoting a Polygon to a MultiPolygon', async () => {
    const polygon = JSON.stringify({ type: 'Polygon', coordinates: [[[100, 25], [100.001, 25], [100.001, 25.001], [100, 25]]] })
    expect(compiled(geomFromGeoJson(polygon))).toEqual({ sql: 'SELECT ST_SetSRID(ST_GeomFromGeoJSON($1::text), 4326)', parameters: [polygon] })
    expect(compiled(multiFromGeoJson(sql.ref('e.geometry'))).sql).toBe('SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON("e"."geometry"::text), 4326))')
    expect(await value(sql<string>`ST_AsEWKT(${multiFromGeoJson(polygon)})`)).toBe('SRID=4326;MULTIPOLYGON(((100 25,100.001 25,100.001 25.001,100 25)))')
  })
})

describe('points', () => {
  it('makes a lon/lat point and reads its coordinates back', async () => {
    expect(compiled(POINT)).toEqual({ sql: 'SELECT ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326)', parameters: [100.123456789, 25.987654321] })
    expect(compiled(pointFromLonLat(sql.ref('r.lon'), sql.ref('r.lat'))).sql).toBe('SELECT ST_SetSRID(ST_MakePoint("r"."lon"::float8, "r"."lat"::float8), 4326)')
    expect(compiled(pointX(sql.ref('g'))).sql).toBe('SELECT ST_X("g")')
    expect(compiled(pointY(sql.ref('g'))).sql).toBe('SELECT ST_Y("g")')
    expect(Number(await value(pointX(POINT)))).toBe(100.123456789)
    expect(Number(await value(pointY(POINT)))).toBe(25.987654321)
  })
})

describe('CRS transforms', () => {
  it('emits ST_Transform to 32647, 3857 and 4326, and ST_SetSRID', () => {
    expect(compiled(toMetric(sql.ref('g'))).sql).toBe('SELECT ST_Transform("g", 32647)')
    expect(compiled(toWebMercator(sql.ref('g'))).sql).toBe('SELECT ST_Transform("g", 3857)')
    expect(compiled(toLonLat(sql.ref('g'))).sql).toBe('SELECT ST_Transform("g", 4326)')
    expect(compiled(withSrid(sql.ref('g'), METRIC_SRID)).sql).toBe('SELECT ST_SetSRID("g", 32647)')
  })

  it('goes to UTM 47N metres and back to the same point', async () => {
    const metric = await value(sql<{ x: number; y: number; srid: number }>`json_build_object('x', ST_X(${toMetric(POINT)}), 'y', ST_Y(${toMetric(POINT)}), 'srid', ST_SRID(${toMetric(POINT)}))`)
    expect(metric.srid).toBe(32647)
    // 100.12°E is 1.12° east of zone 47's central meridian (99°E): about 612 km easting (500 km false easting), 2875 km northing.
    expect(metric.x).toBeGreaterThan(600_000)
    expect(metric.x).toBeLessThan(625_000)
    expect(metric.y).toBeGreaterThan(2_860_000)
    expect(metric.y).toBeLessThan(2_890_000)
    const back = toLonLat(toMetric(POINT))
    expect(Number(await value(pointX(back)))).toBeCloseTo(100.123456789, 9)
    expect(Number(await value(pointY(back)))).toBeCloseTo(25.987654321, 9)
    expect(Number(await value(pointX(toWebMercator(pointFromLonLat(180, 0)))))).toBeCloseTo(20037508.342789244, 3)
  })
})

describe('envelopes', () => {
  it('makes a bbox envelope and an index-assisted intersection test', async () => {
    const bbox: [number, number, number, number] = [100.1, 25.9, 100.2, 26]
    expect(compiled(makeEnvelope(bbox))).toEqual({
      sql: 'SELECT ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 4326)',
      parameters: bbox,
    })
    expect(compiled(intersectsBbox(sql.ref('c.geom'), bbox)).sql).toBe(
      'SELECT ("c"."geom" && ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 4326) AND ST_Intersects("c"."geom", ST_MakeEnvelope($5::float8, $6::float8, $7::float8, $8::float8, 4326)))',
    )
    expect(await value(intersectsBbox(POINT, bbox))).toBe(true)
    expect(await value(intersectsBbox(POINT, [100.2, 25.9, 100.3, 26]))).toBe(false)
  })

  it('makes tile envelopes in Web Mercator, with an optional margin', async () => {
    const tile = { z: 1, x: 1, y: 0 }
    expect(compiled(tileEnvelope(tile))).toEqual({ sql: 'SELECT ST_TileEnvelope($1::int, $2::int, $3::int)', parameters: [1, 1, 0] })
    expect(compiled(tileEnvelope(tile, 0.5)).sql).toBe('SELECT ST_TileEnvelope($1::int, $2::int, $3::int, margin => $4::float8)')
    const side = 20037508.342789244
    const bounds = (envelope: RawBuilder<unknown>) => value(sql<string>`json_build_array(ST_XMin(${envelope}), ST_YMin(${envelope}), ST_XMax(${envelope}), ST_YMax(${envelope}), ST_SRID(${envelope}))::text`)
    const plain = JSON.parse(await bounds(tileEnvelope(tile))) as number[]
    expect(plain[0]).toBeCloseTo(0, 3)
    expect(plain[1]).toBeCloseTo(0, 3)
    expect(plain[2]).toBeCloseTo(side, 3)
    expect(plain[3]).toBeCloseTo(side, 3)
    expect(plain[4]).toBe(3857)
    const grown = JSON.parse(await bounds(tileEnvelope({ z: 2, x: 2, y: 1 }, 0.5))) as number[]
    expect(grown[2] - grown[0]).toBeCloseTo(side, 3)
  })

  it('aggregates an extent into its four bounds, all null without rows', async () => {
    const { rows } = await sql<{ e: unknown }>`SELECT ${extentBounds(sql.ref('p.g'))} AS e
      FROM (SELECT ${pointFromLonLat(100.1, 25.9)} AS g UNION ALL SELECT ${pointFromLonLat(100.2, 26)}) p`.execute(db)
    expect(rows[0].e).toEqual({ xmin: 100.1, ymin: 25.9, xmax: 100.2, ymax: 26 })
    const { rows: none } = await sql<{ e: unknown }>`SELECT ${extentBounds(sql.ref('p.g'))} AS e FROM (SELECT ${POINT} AS g) p WHERE false`.execute(db)
    expect(none[0].e).toEqual({ xmin: null, ymin: null, xmax: null, ymax: null })
  })
})

describe('MVT encoder', () => {
  // Two points and a small triangle near Xizhou, with a NULL property that both encoders leave out.
  const rows = sql`SELECT * FROM (VALUES
    (1, ${pointFromLonLat(100.105, 25.93)}, 'a'::text, 1, NULL::text),
    (2, ${pointFromLonLat(100.106, 25.931)}, 'b'::text, 2, 'x'::text),
    (3, ${geomFromGeoJson(JSON.stringify({ type: 'Polygon', coordinates: [[[100.104, 25.929], [100.1045, 25.929], [100.1045, 25.9295], [100.104, 25.929]]] }))}, 'c'::text, 3, 'y'::text)
  ) v(id, g, name, rank, note)`
  const properties = ['name', 'rank', 'note']

  function tileOf(lon: number, lat: number, z: number): TileAddress {
    const n = 2 ** z
    const rad = (lat * Math.PI) / 180
    return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n) }
  }

  function decode(buffer: Uint8Array) {
    const layer = new VectorTile(new PbfReader(buffer)).layers.things
    expect(layer.extent).toBe(MVT_EXTENT)
    return Array.from({ length: layer.length }, (_, i) => {
      const feature = layer.feature(i)
      return { id: Number(feature.id), type: feature.type, properties: feature.properties, geometry: feature.loadGeometry() }
    }).sort((a, b) => a.id - b.id)
  }

  it('picks the encoder the engine can run', () => {
    expect(mvtEncoderFor('postgres')).toBe('postgis')
    expect(mvtEncoderFor('pglite')).toBe('server')
  })

  const encoders: MvtEncoder[] = ENGINE_UNDER_TEST === 'postgres' ? ['postgis', 'server'] : ['server']

  it.each(encoders)('encodes a decodable one-layer tile with the features, ids and properties (%s)', async (encoder) => {
    const tile = tileOf(100.105, 25.93, 14)
    const buffer = await encodeMvt(db, encoder, { name: 'things', tile, rows, properties })
    expect(buffer).toBeInstanceOf(Buffer)
    const features = decode(buffer!)
    expect(features.map(({ id, type, properties }) => ({ id, type, properties }))).toEqual([
      { id: 1, type: 1, properties: { name: 'a', rank: 1 } },
      { id: 2, type: 1, properties: { name: 'b', rank: 2, note: 'x' } },
      { id: 3, type: 3, properties: { name: 'c', rank: 3, note: 'y' } },
    ])
    expect(await encodeMvt(db, encoder, { name: 'things', tile: { ...tile, x: tile.x + 10 }, rows, properties })).toBeUndefined()
  })

  it.runIf(ENGINE_UNDER_TEST === 'postgres')('gives the same features with PostGIS and in the server, within a tile unit', async () => {
    for (const z of [12, 14, 16]) {
      const tile = tileOf(100.105, 25.93, z)
      const postgis = decode((await encodeMvt(db, 'postgis', { name: 'things', tile, rows, properties }))!)
      const server = decode((await encodeMvt(db, 'server', { name: 'things', tile, rows, properties }))!)
      expect(server.map((f) => [f.id, f.type, f.properties])).toEqual(postgis.map((f) => [f.id, f.type, f.properties]))
      // Rings may start at another vertex: compare each feature's bounds in tile units.
      const bounds = (geometry: Array<Array<{ x: number; y: number }>>) => {
        const points = geometry.flat()
        return [Math.min(...points.map((p) => p.x)), Math.min(...points.map((p) => p.y)), Math.max(...points.map((p) => p.x)), Math.max(...points.map((p) => p.y))]
      }
      for (const [i, feature] of server.entries()) {
        const expected = bounds(postgis[i].geometry)
        for (const [k, bound] of bounds(feature.geometry).entries()) {
          expect(Math.abs(bound - expected[k]), `z${z} #${feature.id}`).toBeLessThanOrEqual(1)
        }
      }
    }
  })
})
