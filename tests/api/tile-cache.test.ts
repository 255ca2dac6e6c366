import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { sql } from 'kysely'
import { buildApp } from '../../server/app.ts'
import { openEngine, type DbEngine } from '../../server/core/db/engine.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { gridPoints, type GridPoint } from '../support/cases.ts'
import { offsetMetres, registerCase } from '../support/analytics.ts'

// Tiles are cached per server process at the data revision (migration 0016):
// a repeat is a hit, any write (through this process or another on the same
// database) retires the cached tile, and the cache never crosses roles.

let t: TestApp
let dispatcher: TestUser
let leader: TestUser
let points: GridPoint[]
/** A second server process on the same database: its own engine on PostgreSQL, the same engine on PGlite (one process only). */
let other: { app: FastifyInstance; engine?: DbEngine }

function tileOf(lon: number, lat: number, z: number) {
  const n = 2 ** z
  const rad = (lat * Math.PI) / 180
  return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n) }
}

function ids(buffer: Uint8Array, layer: string): number[] {
  const vt = new VectorTile(new PbfReader(buffer)).layers[layer]
  if (!vt) return []
  return Array.from({ length: vt.length }, (_, i) => Number(vt.feature(i).id)).sort((a, b) => a - b)
}

async function tileOn(app: FastifyInstance, user: TestUser, path: string) {
  const response = await app.inject({ url: path, headers: user.headers })
  expect([200, 204], response.body).toContain(response.statusCode)
  return {
    cache: response.headers['x-tile-cache'],
    ids: response.statusCode === 200 ? ids(response.rawPayload, path.split('/')[3]) : [],
    body: response.rawPayload,
  }
}

/** An unclustered z16 tile around a point (below z16 case tiles are clustered). */
function tilePath(layer: 'hazards' | 'disputes', point: { lon: number; lat: number }, query = '') {
  const { z, x, y } = tileOf(point.lon, point.lat, 16)
  return `/api/tiles/${layer}/${z}/${x}/${y}.mvt${query}`
}

beforeAll(async () => {
  t = await createTestApp()
  dispatcher = await t.signIn('dispatcher')
  leader = await t.signIn('leader')
  points = await gridPoints(t.database.engine.db)
  const engine = t.database.url ? await openEngine({ databaseUrl: t.database.url, poolSize: 2 }) : undefined
  other = { engine, app: await buildApp({ engine: engine ?? t.database.engine, logLevel: 'silent', login: { adminSecondFactor: 'off' } }) }
})
afterAll(async () => {
  await other?.app.close()
  await other?.engine?.close()
  await t?.close()
})

describe('tile cache', () => {
  it('serves a repeated tile from the cache, byte for byte', async () => {
    const path = tilePath('hazards', points[5])
    const id = await registerCase(t, dispatcher, 'hazards', points[5], {})
    const first = await tileOn(t.app, leader, path)
    expect(first).toMatchObject({ cache: 'miss', ids: [id] })
    const again = await tileOn(t.app, leader, path)
    expect(again.cache).toBe('hit')
    expect(Buffer.compare(again.body, first.body)).toBe(0)
    // Another window or filter is another tile.
    expect((await tileOn(t.app, leader, `${path}?grade=low`)).cache).toBe('miss')
  })

  it('caches an empty tile (204) and drops it when a case is registered in it', async () => {
    const point = await offsetMetres(t.database.engine.db, points[7], 10, 10)
    const path = tilePath('hazards', point, '?category=electrical')
    expect(await tileOn(t.app, leader, path)).toMatchObject({ cache: 'miss', ids: [] })
    expect(await tileOn(t.app, leader, path)).toMatchObject({ cache: 'hit', ids: [] })
    const id = await registerCase(t, dispatcher, 'hazards', point, { category: 'electrical' })
    expect(await tileOn(t.app, leader, path)).toMatchObject({ cache: 'miss', ids: [id] })
    expect(await tileOn(t.app, leader, path)).toMatchObject({ cache: 'hit', ids: [id] })
  })

  it('misses after a workflow step changes a case in the tile (its status filter now keeps it out)', async () => {
    const point = await offsetMetres(t.database.engine.db, points[9], -10, 5)
    const id = await registerCase(t, dispatcher, 'hazards', point, { category: 'traffic' })
    const path = tilePath('hazards', point, '?status=reported&category=traffic')
    expect((await tileOn(t.app, leader, path)).ids).toEqual([id])
    expect((await tileOn(t.app, leader, path)).cache).toBe('hit')
    await sql`UPDATE cases SET status = 'verified', verified_at = now() WHERE id = ${id}`.execute(t.database.engine.db)
    expect(await tileOn(t.app, leader, path)).toMatchObject({ cache: 'miss', ids: [] })
  })

  it('a write through one server process is seen on the next tile of another', async () => {
    const point = await offsetMetres(t.database.engine.db, points[11], 15, -15)
    const path = tilePath('disputes', point)
    const before = await tileOn(other.app, leader, path)
    expect((await tileOn(other.app, leader, path)).cache).toBe('hit')
    const id = await registerCase(t, dispatcher, 'disputes', point, {}, [points[11].villageId])
    const after = await tileOn(other.app, leader, path)
    expect(after.cache).toBe('miss')
    expect(after.ids).toEqual([...before.ids, id].sort((a, b) => a - b))
    // And the writer's own process, which had not cached it, agrees.
    expect((await tileOn(t.app, leader, path)).ids).toEqual(after.ids)
  })

  it('never serves one role’s tile to a grid worker who may see less', async () => {
    const [mine, theirs] = [points[13], points[14]]
    expect(mine.baseGridId).not.toBe(theirs.baseGridId)
    // Two cases in one tile, neither in the worker's grid.
    const near = await offsetMetres(t.database.engine.db, mine, 30, 0)
    const inMine = await registerCase(t, dispatcher, 'hazards', mine, { category: 'food' })
    const outside = await registerCase(t, dispatcher, 'hazards', near, { category: 'food' })
    const worker = await t.signIn('grid_worker', { gridIds: [theirs.baseGridId] })
    const { z, x, y } = tileOf(mine.lon, mine.lat, 16)
    const path = `/api/tiles/hazards/${z}/${x}/${y}.mvt?category=food`
    expect((await tileOn(t.app, leader, path)).ids).toEqual(expect.arrayContaining([inMine, outside]))
    expect((await tileOn(t.app, leader, path)).cache).toBe('hit')
    const seen = await tileOn(t.app, worker, path)
    expect(seen.cache).toBe('miss')
    expect(seen.ids).not.toContain(inMine)
    expect(seen.ids).not.toContain(outside)
    // A worker of that grid gets a tile of their own too: their case, not the leader's cached answer.
    const owner = await t.signIn('grid_worker', { gridIds: [mine.baseGridId] })
    const own = await tileOn(t.app, owner, path)
    expect(own.cache).toBe('miss')
    expect(own.ids).toContain(inMine)
  })
})
