import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { gridPoints, type GridPoint } from '../support/cases.ts'
import { registerCase } from '../support/analytics.ts'
import { snapshotLoads } from '../../server/features/analytics/dispute-clusters/dispute-snapshot.ts'

// The dispute-clusters route clusters in the server (dbscan.ts); these
// fixtures prove it gives exactly what ST_ClusterDBSCAN gives on the same
// disputes in id order — members, villages, parties' villages and hull —
// on dense blobs, scattered noise and border points shared by two clusters.

let t: TestApp
let leader: TestUser
let dispatcher: TestUser
let points: GridPoint[]
let template: number
const BASE = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 200 * 86_400_000)
const day = (n: number) => new Date(BASE.getTime() + n * 86_400_000)

/** A deterministic pseudo-random sequence (mulberry32), so that a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let r = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Copies dispute `template` at `offsets` (metres east/north of it, in UTM 47N),
 * reported on `at` plus i seconds, each with one or two parties from `villages`.
 */
async function copyDisputes(template: number, offsets: Array<[number, number]>, at: Date, villages: number[]) {
  const db = t.database.engine.db
  const { rows } = await sql<{ id: string }>`
    INSERT INTO cases (kind, status, category, description, tier, source, reporter_name, geom, reported_at, registered_by,
      village_id, village_version, base_grid_id, base_grid_version, fine_grid_id, fine_grid_version, deadline_at)
    SELECT c.kind, c.status, c.category, c.description, c.tier, c.source, c.reporter_name,
      ST_Transform(ST_Translate(ST_Transform(c.geom, 32647), o.dx, o.dy), 4326),
      ${at}::timestamptz + o.n * interval '1 second', c.registered_by,
      c.village_id, c.village_version, c.base_grid_id, c.base_grid_version, c.fine_grid_id, c.fine_grid_version,
      ${at}::timestamptz + interval '30 days'
    FROM cases c, unnest(${offsets.map(([dx]) => dx)}::float8[], ${offsets.map(([, dy]) => dy)}::float8[]) WITH ORDINALITY AS o(dx, dy, n)
    WHERE c.id = ${template}
    RETURNING id`.execute(db)
  const ids = rows.map((row) => Number(row.id))
  await sql`
    INSERT INTO case_parties (case_id, seq, name, home_village_id)
    SELECT u.id, s.seq, '当事人', (${villages}::int8[])[1 + ((u.id + s.seq) % ${villages.length})]
    FROM unnest(${ids}::int8[]) AS u(id), generate_series(1, 2) AS s(seq)
    WHERE s.seq = 1 OR u.id % 3 = 0`.execute(db)
  return ids
}

/**
 * A hull's vertices, sorted: the same polygon whichever vertex its ring
 * starts from (ST_Buffer of a two-member line starts where the line does, and
 * ST_ClusterDBSCAN hands the members over in no set order).
 */
function vertices(geometry: unknown): string[] {
  const { coordinates } = geometry as { coordinates: number[][][] }
  return [...new Set(coordinates.flat().map(([lon, lat]) => `${lon} ${lat}`))].sort()
}

/**
 * Clusters of ST_ClusterDBSCAN in id order over the disputes of a window, as
 * the route describes them; like the route (before and now), a cluster left
 * with fewer than minPoints members (its core's other neighbours were border
 * points claimed by another cluster first) is not listed.
 */
async function reference(from: Date, to: Date, eps: number, minPoints: number) {
  const { rows } = await sql<{ member_ids: string[]; village_ids: string[]; party_village_ids: string[] | null; hull: string }>`
    WITH k AS (
      SELECT c.id, c.village_id, ST_Transform(c.geom, 32647) AS g,
        ST_ClusterDBSCAN(ST_Transform(c.geom, 32647), eps := ${eps}::float8, minpoints := ${minPoints}::int) OVER (ORDER BY c.id) AS cid
      FROM cases c WHERE c.kind = 'dispute' AND c.reported_at >= ${from}::timestamptz AND c.reported_at < ${to}::timestamptz
    ), g AS (
      SELECT array_agg(k.id ORDER BY k.id) AS member_ids, array_agg(DISTINCT k.village_id) AS village_ids, ST_ConvexHull(ST_Collect(k.g)) AS hull
      FROM k WHERE k.cid IS NOT NULL GROUP BY k.cid HAVING count(*) >= ${minPoints}::int
    )
    SELECT g.member_ids, g.village_ids,
      (SELECT array_agg(DISTINCT p.home_village_id ORDER BY p.home_village_id) FROM case_parties p WHERE p.case_id = ANY (g.member_ids)) AS party_village_ids,
      ST_AsGeoJSON(ST_Transform(CASE WHEN ST_GeometryType(g.hull) = 'ST_Polygon' THEN g.hull ELSE ST_Buffer(g.hull, 20) END, 4326), 7) AS hull
    FROM g`.execute(t.database.engine.db)
  return rows
    .map((row) => ({
      memberIds: row.member_ids.map(Number),
      villageIds: row.village_ids.map(Number).sort((a, b) => a - b),
      partyVillageIds: (row.party_village_ids ?? []).map(Number),
      hull: vertices(JSON.parse(row.hull)),
    }))
    .sort((a, b) => b.memberIds.length - a.memberIds.length || a.memberIds[0] - b.memberIds[0])
}

async function route(from: Date, to: Date, eps: number, minPoints: number) {
  const response = await t.app.inject({
    url: `/api/analytics/dispute-clusters?distanceMeters=${eps}&minPoints=${minPoints}&from=${from.toISOString()}&to=${to.toISOString()}`,
    headers: leader.headers,
  })
  expect(response.statusCode, response.body).toBe(200)
  return (response.json().features as Array<{ geometry: unknown; properties: { memberIds: number[]; villages: Array<{ id: number }>; partyVillages: Array<{ id: number }> } }>).map((feature) => ({
    memberIds: feature.properties.memberIds,
    villageIds: feature.properties.villages.map((village) => village.id),
    partyVillageIds: feature.properties.partyVillages.map((village) => village.id),
    hull: vertices(feature.geometry),
  }))
}

beforeAll(async () => {
  t = await createTestApp()
  leader = await t.signIn('leader')
  dispatcher = await t.signIn('dispatcher')
  points = await gridPoints(t.database.engine.db)
  const villages = [...new Set(points.map((p) => p.villageId))]
  template = await registerCase(t, dispatcher, 'disputes', points[20], { reportedAt: day(0).toISOString() }, [points[20].villageId])
  const next = random(11)
  // Day 1: hot spots of different densities, scattered noise, and pairs of
  // clusters 2 eps apart with points between them (border points of both).
  const mixed: Array<[number, number]> = []
  for (let spot = 0; spot < 8; spot++) {
    const [cx, cy] = [spot * 260 - 900, (spot % 3) * 300 - 300]
    const count = 10 + spot * 12
    for (let i = 0; i < count; i++) mixed.push([cx + (next() - 0.5) * (40 + spot * 25), cy + (next() - 0.5) * (40 + spot * 25)])
  }
  for (let i = 0; i < 250; i++) mixed.push([(next() - 0.5) * 3000, (next() - 0.5) * 3000])
  for (const [cx, cy] of [[1400, 0], [1400, 600]]) {
    for (const side of [-1, 1]) for (let i = 0; i < 4; i++) mixed.push([cx + side * 60 + (next() - 0.5) * 4, cy + (next() - 0.5) * 4])
    mixed.push([cx, cy]) // 60 m from both cores: a border point at eps 60, minPoints 5
  }
  await copyDisputes(template, mixed, day(1), villages)
  // Day 2: one dense blob of 2,500 disputes, parties from every village.
  await copyDisputes(template, Array.from({ length: 2500 }, () => [(next() - 0.5) * 800, (next() - 0.5) * 800] as [number, number]), day(2), villages)
  // Day 3: few disputes: no more points than minPoints, or just enough.
  await copyDisputes(template, [[0, 0], [5, 0], [0, 5]], day(3), villages)
})
afterAll(() => t?.close())

describe('dispute clusters equal ST_ClusterDBSCAN', () => {
  it.each([
    [60, 5],
    [100, 3],
    [30, 2],
    [250, 8],
    [500, 4],
  ])('on hot spots, noise and shared border points (eps %i m, minPoints %i)', async (eps, minPoints) => {
    const expected = await reference(day(1), day(2), eps, minPoints)
    expect(expected.length).toBeGreaterThan(0)
    expect(await route(day(1), day(2), eps, minPoints)).toEqual(expected)
  })

  it('on one cluster of 2,500 disputes, parties from every village', async () => {
    const expected = await reference(day(2), day(3), 300, 3)
    expect(expected[0].memberIds.length).toBe(2500)
    expect(await route(day(2), day(3), 300, 3)).toEqual(expected)
  })

  it('with as many disputes as minPoints, or fewer', async () => {
    for (const minPoints of [2, 3, 4]) {
      expect(await route(day(3), day(4), 50, minPoints), `minPoints ${minPoints}`).toEqual(await reference(day(3), day(4), 50, minPoints))
    }
  })

  it('follows writes: a dispute registered and a party added after an answer are in the next one', async () => {
    // The route clusters from a snapshot of the disputes held in memory at the data revision
    // (dispute-snapshot.ts): every write to cases or to their parties must retire it.
    const villages = [...new Set(points.map((p) => p.villageId))]
    expect(await route(day(5), day(6), 50, 3)).toEqual([])
    const ids = await copyDisputes(template, [[0, 0], [10, 0], [0, 10]], day(5), [villages[0]])
    const before = await route(day(5), day(6), 50, 3)
    expect(before.map((cluster) => cluster.memberIds)).toEqual([ids])
    expect(before).toEqual(await reference(day(5), day(6), 50, 3))
    const other = villages.find((village) => !before[0].partyVillageIds.includes(village))!
    await sql`INSERT INTO case_parties (case_id, seq, name, home_village_id) VALUES (${ids[1]}, 9, '当事人', ${other})`.execute(t.database.engine.db)
    const after = await route(day(5), day(6), 50, 3)
    expect(after[0].partyVillageIds).toContain(other)
    expect(after).toEqual(await reference(day(5), day(6), 50, 3))
  })

  it('re-reads only the disputes a write changed (migration 0027), and stays exact through moves, deletions and party changes', async () => {
    const db = t.database.engine.db
    const villages = [...new Set(points.map((p) => p.villageId))]
    const check = async (what: string) => expect(await route(day(7), day(8), 50, 3), what).toEqual(await reference(day(7), day(8), 50, 3))
    await route(day(7), day(8), 50, 3)
    const whole = snapshotLoads.whole
    const patched = snapshotLoads.patched
    // A hazard moves the revision but changes no dispute: patched with nothing.
    await registerCase(t, dispatcher, 'hazards', points[3], { reportedAt: day(7).toISOString() })
    await check('after a hazard')
    expect(snapshotLoads.patched).toBe(patched + 1)
    // New disputes (a cluster of four), registered by statement.
    const ids = await copyDisputes(template, [[0, 0], [12, 0], [0, 12], [12, 12]], day(7), [villages[0]])
    const first = await route(day(7), day(8), 50, 3)
    expect(first.map((cluster) => cluster.memberIds)).toEqual([ids])
    await check('after registrations')
    // Moved 500 m away: no longer a member.
    await sql`UPDATE cases SET geom = ST_Transform(ST_Translate(ST_Transform(geom, 32647), 500, 0), 4326) WHERE id = ${ids[3]}`.execute(db)
    expect((await route(day(7), day(8), 50, 3)).map((cluster) => cluster.memberIds)).toEqual([ids.slice(0, 3)])
    await check('after a move')
    // A party replaced by one from another village; a dispute's parties and then the dispute deleted.
    await sql`UPDATE case_parties SET home_village_id = ${villages[1]} WHERE case_id = ${ids[0]}`.execute(db)
    await check('after a party changed')
    await sql`DELETE FROM case_parties WHERE case_id = ${ids[2]}`.execute(db)
    await sql`DELETE FROM cases WHERE id = ${ids[2]}`.execute(db)
    expect(await route(day(7), day(8), 50, 3)).toEqual([])
    await check('after a deletion')
    // A workflow step on a dispute changes no clustering input.
    await sql`UPDATE cases SET status = 'dispatched', station_key = 'police' WHERE id = ${ids[0]}`.execute(db)
    await check('after a status change')
    expect(snapshotLoads.whole, 'never read whole again').toBe(whole)
    expect(snapshotLoads.patched).toBe(patched + 6)
  })
})
