import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NO_SCOPE, runWithDbScope, type DbScope } from '../../server/core/db/db-scope.ts'
import { ENGINE_UNDER_TEST } from '../support/test-database.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { addSecondTown, sampleTownId, TOWN_B_CODE, TOWN_B_MARKER, TOWN_USER_ROLES, type SecondTown } from '../support/second-town.ts'

/** Town-owned tables (row-level security, migration 0019). */
const TOWN_TABLES = [
  'area_versions', 'cases', 'leads', 'case_parties', 'case_photos', 'case_events', 'key_persons', 'key_person_visits',
  'joint_cases', 'joint_case_disputes', 'joint_case_stations', 'boundary_changes', 'boundary_change_versions',
  'area_lineage', 'boundary_import_jobs', 'staff', 'grid_assignments',
]

let t: TestApp
let townA: number
let b: SecondTown

beforeAll(async () => {
  t = await createTestApp()
  townA = await sampleTownId(t)
  b = await addSecondTown(t)
}, 120_000)

afterAll(async () => {
  await t?.close()
})

/** Runs raw SQL on the app's handle in `scope` (as the app role, like a request would). */
function inScope<T>(scope: DbScope, work: () => Promise<T>): Promise<T> {
  return runWithDbScope(scope, work)
}

describe(`isolation in the database: a wrong query cannot cross towns (${ENGINE_UNDER_TEST})`, () => {
  it('a query without any WHERE in town A\'s scope returns only town A\'s rows, on every town-owned table', async () => {
    const db = t.database.engine.db
    for (const table of TOWN_TABLES) {
      const rows = await inScope({ kind: 'town', townId: townA }, async () =>
        (await sql<{ town_id: number }>`SELECT DISTINCT town_id FROM ${sql.table(table)}`.execute(db)).rows)
      expect(rows.map((row) => Number(row.town_id)).filter((id) => id !== townA), table).toEqual([])
    }
    const cases = await inScope({ kind: 'town', townId: townA }, async () =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases WHERE id IN (${b.hazardId}, ${b.disputeId})`.execute(db)).rows[0].n)
    expect(cases).toBe(0)
    const persons = await inScope({ kind: 'town', townId: townA }, async () =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM key_persons`.execute(db)).rows[0].n)
    const allPersons = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM key_persons WHERE town_id = ${townA}`.execute(db)).rows[0].n
    expect(persons).toBe(allPersons)
    // Town B sees its own: the policy filters, it does not empty the table.
    const own = await inScope({ kind: 'town', townId: b.townId }, async () =>
      (await sql<{ id: number }>`SELECT id FROM cases ORDER BY id`.execute(db)).rows.map((row) => Number(row.id)))
    expect(own).toEqual([b.hazardId, b.disputeId].sort((x, y) => x - y))
  })

  it('an INSERT of a town B row in town A\'s scope is refused by the database, and an UPDATE of B\'s rows touches nothing', async () => {
    const db = t.database.engine.db
    const insert = inScope({ kind: 'town', townId: townA }, () =>
      sql`INSERT INTO joint_cases (title, opened_by, town_id) VALUES ('cross-town', ${b.users.dispatcher!.id}, ${b.townId})`.execute(db))
    await expect(insert).rejects.toThrow(/row-level security/)
    const updated = await inScope({ kind: 'town', townId: townA }, async () =>
      (await sql`UPDATE cases SET description = 'changed by town A' WHERE id = ${b.hazardId}`.execute(db)).numAffectedRows)
    expect(Number(updated)).toBe(0)
    const kept = await sql<{ description: string }>`SELECT description FROM cases WHERE id = ${b.hazardId}`.execute(db)
    expect(kept.rows[0].description).toContain(TOWN_B_MARKER)
    // Moving a row to the other town is refused too (WITH CHECK on the new row).
    const move = inScope({ kind: 'town', townId: townA }, () =>
      sql`INSERT INTO staff (staff_key, name, town_id) VALUES ('cross-town-staff', '乙', ${b.townId})`.execute(db))
    await expect(move).rejects.toThrow(/row-level security/)
  })

  it('no scope established: every town-owned table looks empty and nothing town-owned can be written', async () => {
    const db = t.database.engine.db
    for (const table of TOWN_TABLES) {
      const n = await inScope(NO_SCOPE, async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db)).rows[0].n)
      expect(n, table).toBe(0)
    }
    await expect(inScope(NO_SCOPE, () => sql`INSERT INTO staff (staff_key, name, town_id) VALUES ('nobody-staff', '无', ${townA})`.execute(db))).rejects.toThrow(
      /row-level security/,
    )
  })

  it('the statements run as the non-superuser app role, so row-level security applies even to a superuser connection', async () => {
    const db = t.database.engine.db
    const { rows } = await inScope({ kind: 'town', townId: townA }, () =>
      sql<{ role: string; superuser: string }>`SELECT current_user AS role, current_setting('is_superuser') AS superuser`.execute(db))
    expect(rows[0]).toEqual({ role: 'gridatlas_app', superuser: 'off' })
  })

  it('a county scope reads both towns', async () => {
    const db = t.database.engine.db
    const towns = await inScope({ kind: 'county' }, async () =>
      (await sql<{ town_id: number }>`SELECT DISTINCT town_id FROM area_versions ORDER BY town_id`.execute(db)).rows.map((row) => Number(row.town_id)))
    expect(towns).toContain(b.townId)
    expect(towns).toContain(townA)
  })
})

describe(`isolation in the API (${ENGINE_UNDER_TEST})`, () => {
  it('GET /api/towns lists both towns to county users and only their own to town users', async () => {
    const county = await t.signIn('county_leader')
    const all = (await t.app.inject({ url: '/api/towns', headers: county.headers })).json().towns
    expect(all.map((town: { id: number }) => town.id).sort()).toEqual([townA, b.townId].sort())
    const own = (await t.app.inject({ url: '/api/towns', headers: b.users.leader!.headers })).json().towns
    expect(own).toEqual([expect.objectContaining({ id: b.townId, code: TOWN_B_CODE })])
  })

  it('county users see both towns\' cases', async () => {
    for (const role of ['county_leader', 'county_dispatcher'] as const) {
      const county = await t.signIn(role)
      for (const id of [b.hazardId]) {
        const response = await t.app.inject({ url: `/api/collections/hazards/items/${id}`, headers: county.headers })
        expect(response.statusCode, role).toBe(200)
      }
    }
  })

  it('a town user gets 404 for another town\'s case and key person, like a missing one', async () => {
    const a = await t.signIn('dispatcher', { townId: townA })
    expect((await t.app.inject({ url: `/api/collections/hazards/items/${b.hazardId}`, headers: a.headers })).statusCode).toBe(404)
    expect((await t.app.inject({ url: `/api/key-persons/${b.personId}`, headers: a.headers })).statusCode).toBe(404)
  })

  it('a town user cannot register a case in another town (4xx, nothing written)', async () => {
    const a = await t.signIn('dispatcher', { townId: townA })
    const before = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases`.execute(t.database.engine.db)).rows[0].n
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/collections/hazards/items',
      headers: a.headers,
      payload: { type: 'Feature', geometry: { type: 'Point', coordinates: [b.point.lon, b.point.lat] }, properties: { category: 'fire', description: 'x', severity: 'high', source: 'grid_worker', reporterName: '甲' } },
    })
    expect(response.statusCode).toBeGreaterThanOrEqual(400)
    expect(response.statusCode).toBeLessThan(500)
    const after = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases`.execute(t.database.engine.db)).rows[0].n
    expect(after).toBe(before)
  })

  it('a town administrator cannot create a county user or a user of another town', async () => {
    const admin = await t.signIn('admin', { townId: townA })
    const county = await t.app.inject({
      method: 'POST', url: '/api/users', headers: admin.headers,
      payload: { username: 'county-by-town', password: 'river-lantern-autumn-9', role: 'county_leader' },
    })
    expect(county.statusCode).toBe(403)
    const other = await t.app.inject({
      method: 'POST', url: '/api/users', headers: admin.headers,
      payload: { username: 'other-by-town', password: 'river-lantern-autumn-9', role: 'leader', townId: b.townId },
    })
    expect(other.statusCode).toBe(403)
    const list = (await t.app.inject({ url: '/api/users', headers: admin.headers })).json().users as Array<{ townId: number | null }>
    expect(list.every((user) => user.townId === townA)).toBe(true)
  })
})

/** Sample values for path parameters of the route table, pointing at town B's records. */
function samplePath(url: string): string {
  return url
    .replace(/:(id|caseId|personId)\b/g, (_m, name: string) => String(name === 'personId' ? b.personId : b.hazardId))
    .replace(/:collectionId\b/g, 'hazards')
    .replace(/:featureId\b/g, String(b.hazardId))
    .replace(/:z\b/g, '14').replace(/:x\b/g, '13000').replace(/:y\b/g, '6900')
    .replace(/:(\w+)/g, String(b.hazardId))
}

describe(`every GET route, for each role of town A, leaks nothing of town B (${ENGINE_UNDER_TEST})`, () => {
  it('no answer contains town B\'s names, code or texts', async () => {
    // Left out on purpose: the directory of divisions (/api/towns/villages, migration 0023) names every
    // town's villages to every user, because a dispute's party may live across the town border. It is
    // reference data (published division names and codes, no geometry or content); its own test
    // (tests/api/cross-town-disputes.test.ts) checks that it carries nothing else.
    const REFERENCE_ROUTES = new Set(['/api/towns/villages'])
    const routes = t.app.routeAccess.filter(
      (route) => route.method === 'GET' && route.url.startsWith('/api/') && !route.url.endsWith('/stream') && !REFERENCE_ROUTES.has(route.url),
    )
    expect(routes.length).toBeGreaterThan(20)
    const usersOfA: TestUser[] = []
    for (const role of TOWN_USER_ROLES) usersOfA.push(await t.signIn(role, { townId: townA }))
    const leaks: string[] = []
    // The roles of A ask side by side (the machine is slow; the answers are independent).
    for (const route of routes) {
      const url = samplePath(route.url)
      await Promise.all(
        usersOfA.map(async (user) => {
          const response = await t.app.inject({ url, headers: user.headers })
          const body = Buffer.from(response.rawPayload).toString('utf8')
          if (body.includes(TOWN_B_MARKER) || body.includes(TOWN_B_CODE) || body.includes('TownB ')) leaks.push(`${user.role} ${url} ${response.statusCode}`)
        }),
      )
    }
    expect(leaks).toEqual([])
  }, 900_000)
})

describe(`county administrators write in a county of several towns (${ENGINE_UNDER_TEST})`, () => {
  it('a boundary save by a county administrator belongs to the town of the area it changes', async () => {
    const admin = await t.signIn('admin', { townId: null })
    const url = `/api/collections/fine-grids/items/${b.fineGridId}`
    const current = await t.app.inject({ url, headers: admin.headers })
    expect(current.statusCode, current.body).toBe(200)
    const saved = await t.app.inject({
      method: 'PATCH',
      url,
      headers: { ...admin.headers, 'if-match': String(current.headers.etag), 'x-change-reason': '县级调整' },
      payload: { properties: { name: `${TOWN_B_MARKER}改名网格` } },
    })
    // Before: the database could not tell the change's town (no town session, several towns): 500.
    expect(saved.statusCode, saved.body).toBe(200)
    const { rows } = await sql<{ town_id: number }>`SELECT town_id FROM boundary_changes WHERE reason = '县级调整'`.execute(t.database.engine.db)
    expect(rows.map((row) => Number(row.town_id))).toEqual([b.townId])
  })

  it('a joint case opened by a county administrator belongs to the town of its disputes', async () => {
    const admin = await t.signIn('admin', { townId: null })
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/collections/disputes/items',
      headers: b.users.dispatcher!.headers,
      payload: {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [b.point.lon, b.point.lat] },
        properties: {
          category: 'neighbour', description: '两户因排水沟占地发生争执', tier: 'general', source: 'walk_in', reporterName: '李群众',
          parties: [{ name: '当事人1', homeVillageId: b.villageId, role: 'applicant' }],
        },
      },
    })
    expect(second.statusCode, second.body).toBe(201)
    const opened = await t.app.inject({
      method: 'POST',
      url: '/api/analytics/dispute-clusters/joint-case',
      headers: admin.headers,
      payload: { title: '县级联调', caseIds: [b.disputeId, second.json().id], stationKeys: ['legal-mediation'] },
    })
    expect(opened.statusCode, opened.body).toBe(201)
    const { rows } = await sql<{ town_id: number }>`SELECT town_id FROM joint_cases WHERE id = ${opened.json().id}`.execute(t.database.engine.db)
    expect(rows.map((row) => Number(row.town_id))).toEqual([b.townId])
  })
})
