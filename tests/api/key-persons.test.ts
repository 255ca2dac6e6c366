import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { auditRows, gridSpots, personBody, registerPerson, type GridSpot } from '../support/key-persons.ts'

const DAY = 24 * 60 * 60 * 1000

let t: TestApp
let admin: TestUser
let dispatcher: TestUser
let worker: TestUser
let spots: GridSpot[]

beforeAll(async () => {
  t = await createTestApp()
  spots = await gridSpots(t, 3)
  admin = await t.signIn('admin')
  dispatcher = await t.signIn('dispatcher')
  worker = await t.signIn('grid_worker', { gridIds: [spots[0].baseGridId] })
})
afterAll(() => t?.close())

function request(user: TestUser, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({ method, url, headers: { ...user.headers, ...headers }, payload: payload as never })
}

async function count(table: 'key_persons' | 'audit_log' | 'key_person_visits'): Promise<number> {
  const row = await t.database.engine.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

describe('key persons: registration', () => {
  it('registers a person at the household, locating village and grids, masked, with Location and ETag', async () => {
    const response = await request(worker, 'POST', '/api/key-persons', personBody(spots[0]))
    expect(response.statusCode, response.body).toBe(201)
    const person = response.json()
    expect(response.headers.location).toMatch(new RegExp(`/api/key-persons/${person.id}$`))
    expect(response.headers.etag).toBe('"1"')
    expect(person).toMatchObject({
      name: '杨某某',
      idNumber: '**************1234',
      phone: '138****5678',
      address: `${spots[0].baseGridName} 附近`,
      category: 'released_prisoner',
      colour: 'red',
      status: 'in_management',
      village: { id: spots[0].villageId, version: 1 },
      baseGrid: { id: spots[0].baseGridId, version: 1 },
      fineGrid: { id: spots[0].fineGridId, version: 1 },
      responsibleUser: { id: worker.id },
      visitState: 'ok',
      lastVisitAt: null,
      version: 1,
    })
    // The fixture's household is its fine grid's point on surface, which is also where a household is shown.
    expect(person.household.lon).toBeCloseTo(spots[0].lon, 6)
    const decade = Math.floor((new Date().getUTCFullYear() - 1975) / 10) * 10
    expect(person).toMatchObject({ householdPrecision: 'fine_grid', ageBand: `${decade}–${decade + 9}` })
    expect(person).not.toHaveProperty('birthYear')
    expect(new Date(person.nextVisitDue).getTime() - new Date(person.createdAt).getTime()).toBe(7 * DAY)
    const english = await request(worker, 'GET', `/api/key-persons/${person.id}`, undefined, { 'accept-language': 'en' })
    expect(english.json().address).toMatch(/^near .+Grid/)
  })

  it('answers 400 for wrong types, a bad identity number, an unknown category or responsible user', async () => {
    const before = await count('key_persons')
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ birthYear: 'nineteen' }, 'validation_failed'],
      [{ household: { lon: '100.1', lat: 25.8 } }, 'validation_failed'],
      [{ colour: 'purple' }, 'validation_failed'],
      [{ idNumber: '12345' }, 'validation_failed'],
      [{ status: 'gone' }, 'validation_failed'],
      [{ extra: 1 }, 'validation_failed'],
      [{ category: 'tourist' }, 'unknown_person_category'],
      [{ responsibleUserId: admin.id }, 'unknown_responsible_user'],
      [{ responsibleStaffId: 99_999_999 }, 'unknown_staff'],
    ]
    for (const [overrides, code] of cases) {
      const response = await request(admin, 'POST', '/api/key-persons', personBody(spots[1], overrides), { 'accept-language': 'en' })
      expect(response.statusCode, JSON.stringify(overrides)).toBe(400)
      expect(response.json().code, JSON.stringify(overrides)).toBe(code)
    }
    const unknown = await request(admin, 'POST', '/api/key-persons', personBody(spots[1], { category: 'tourist' }))
    expect(unknown.json().message).toContain('elderly_alone')
    expect(await count('key_persons')).toBe(before)
  })

  it('refuses a household outside the township with a clear message', async () => {
    const response = await request(admin, 'POST', '/api/key-persons', personBody(spots[1], { household: { lon: 116.4, lat: 39.9 } }))
    expect(response.statusCode).toBe(400)
    expect(response.json().code).toBe('household_outside_township')
    expect(response.json().message).toContain('116.4')
    const lake = await request(admin, 'POST', '/api/key-persons', personBody(spots[1], { household: { lon: 0, lat: 0 } }), { 'accept-language': 'en' })
    expect(lake.json().message).toMatch(/not inside any village/)
  })

  it('lets a dispatcher register anywhere and name a responsible grid worker and staff member, shown in the list too', async () => {
    const staff = await sql<{ id: number; name: string }>`SELECT id, name FROM staff ORDER BY id LIMIT 1`.execute(t.database.engine.db)
    const named = { id: Number(staff.rows[0].id), name: staff.rows[0].name }
    const person = await registerPerson(t, dispatcher, spots[1], { responsibleUserId: worker.id, responsibleStaffId: named.id, category: 'elderly_alone', colour: 'green' })
    expect(person.responsibleUser).toEqual({ id: worker.id, username: worker.username })
    expect(person.responsibleStaff).toEqual(named)
    expect(person.baseGrid.id).toBe(spots[1].baseGridId)
    // The list reads the names by their own lookups (not joins: key-persons.repository.ts).
    const list = await request(dispatcher, 'GET', `/api/key-persons?gridId=${spots[1].baseGridId}&limit=500`)
    expect(list.statusCode).toBe(200)
    const listed = list.json().persons.find((each: { id: number }) => each.id === person.id)
    expect(listed.responsibleUser).toEqual({ id: worker.id, username: worker.username })
    expect(listed.responsibleStaff).toEqual(named)
    expect(listed.village.id).toBe(person.village.id)
  })

  it('answers 404 for unknown ids and 400 for malformed ones', async () => {
    expect((await request(admin, 'GET', '/api/key-persons/99999999')).statusCode).toBe(404)
    expect((await request(admin, 'GET', '/api/key-persons/abc')).statusCode).toBe(400)
    expect((await request(admin, 'PATCH', '/api/key-persons/99999999', { colour: 'red' })).statusCode).toBe(404)
    expect((await request(admin, 'POST', '/api/key-persons/99999999/visits', { kind: 'home' })).statusCode).toBe(404)
    expect((await request(admin, 'POST', '/api/key-persons/99999999/reveal', { fields: ['phone'], reason: '核实身份信息' })).statusCode).toBe(404)
  })
})

describe('key persons: changes with ETag / If-Match', () => {
  it('applies a change with a current If-Match and raises the version', async () => {
    const person = await registerPerson(t, worker, spots[0])
    const response = await request(worker, 'PATCH', `/api/key-persons/${person.id}`, { colour: 'orange', status: 'away' }, { 'if-match': '"1"' })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.headers.etag).toBe('"2"')
    expect(response.json()).toMatchObject({ colour: 'orange', status: 'away', version: 2, idNumber: '**************1234' })
  })

  it('answers 412 with the current masked state for a stale If-Match, 409 for a stale body version', async () => {
    const person = await registerPerson(t, worker, spots[0])
    await request(worker, 'PATCH', `/api/key-persons/${person.id}`, { note: '第一次修改' }, { 'if-match': '"1"' })
    const stale = await request(worker, 'PATCH', `/api/key-persons/${person.id}`, { colour: 'green' }, { 'if-match': '"1"' })
    expect(stale.statusCode).toBe(412)
    expect(stale.json()).toMatchObject({ code: 'key_person_version_mismatch', current: { id: person.id, version: 2, note: '第一次修改', colour: 'red' } })
    expect(stale.json().current.idNumber).toBe('**************1234')
    const conflict = await request(worker, 'PATCH', `/api/key-persons/${person.id}`, { colour: 'green', version: 1 })
    expect(conflict.statusCode).toBe(409)
    expect(conflict.json()).toMatchObject({ code: 'key_person_conflict', current: { version: 2 } })
    const unconditional = await request(worker, 'PATCH', `/api/key-persons/${person.id}`, { colour: 'green' })
    expect(unconditional.statusCode).toBe(200)
    expect(unconditional.json().version).toBe(3)
    const weak = await request(worker, 'PATCH', `/api/key-persons/${person.id}`, { colour: 'yellow' }, { 'if-match': 'W/"3"' })
    expect(weak.statusCode).toBe(200)
    expect((await request(worker, 'PATCH', `/api/key-persons/${person.id}`, { colour: 'red' }, { 'if-match': 'abc' })).statusCode).toBe(400)
  })

  it('rolls back a failing change entirely and keeps the version', async () => {
    const person = await registerPerson(t, admin, spots[1])
    const auditBefore = await count('audit_log')
    for (const body of [
      { name: '改名', category: 'tourist' },
      { name: '改名', household: { lon: 116.4, lat: 39.9 } },
      { name: '改名', responsibleUserId: dispatcher.id },
    ]) {
      const response = await request(admin, 'PATCH', `/api/key-persons/${person.id}`, body, { 'if-match': '"1"' })
      expect(response.statusCode, JSON.stringify(body)).toBe(400)
    }
    const after = (await request(admin, 'GET', `/api/key-persons/${person.id}`)).json()
    expect(after).toMatchObject({ name: '杨某某', version: 1 })
    expect(await count('audit_log')).toBe(auditBefore + 1)
  })

  it('moves a household to another grid, recording the grids in force then', async () => {
    const person = await registerPerson(t, admin, spots[1])
    const moved = await request(admin, 'PATCH', `/api/key-persons/${person.id}`, { household: { lon: spots[2].lon, lat: spots[2].lat } }, { 'if-match': '"1"' })
    expect(moved.statusCode).toBe(200)
    expect(moved.json()).toMatchObject({ baseGrid: { id: spots[2].baseGridId }, fineGrid: { id: spots[2].fineGridId }, version: 2 })
  })

  it('refuses a grid worker moving a household out of their grids', async () => {
    const person = await registerPerson(t, worker, spots[0])
    const response = await request(worker, 'PATCH', `/api/key-persons/${person.id}`, { household: { lon: spots[1].lon, lat: spots[1].lat } })
    expect(response.statusCode).toBe(403)
    expect(response.json().code).toBe('key_person_grid_forbidden')
    expect((await request(worker, 'GET', `/api/key-persons/${person.id}`)).json().version).toBe(1)
  })
})

describe('key persons: visits and overdue', () => {
  async function visit(user: TestUser, id: number, daysAgo: number, kind = 'home') {
    const visitedAt = new Date(Date.now() - daysAgo * DAY).toISOString()
    return request(user, 'POST', `/api/key-persons/${id}/visits`, { visitedAt, kind, note: '入户走访，情况稳定' })
  }

  it('marks a red person overdue 7 days after the last visit, due soon within 3 days of it, ok after a fresh visit', async () => {
    const person = await registerPerson(t, worker, spots[0], { colour: 'red' })
    const old = await visit(worker, person.id, 10)
    expect(old.statusCode, old.body).toBe(201)
    expect(old.json().person).toMatchObject({ visitState: 'overdue' })
    expect(old.json().visit).toMatchObject({ kind: 'home', colour: 'red', visitor: { id: worker.id } })
    expect(new Date(old.json().visit.nextDue).getTime() - new Date(old.json().visit.visitedAt).getTime()).toBe(7 * DAY)
    expect(new Date(old.json().person.nextVisitDue).getTime()).toBe(new Date(old.json().visit.nextDue).getTime())
    expect((await visit(worker, person.id, 5, 'phone')).json().person.visitState).toBe('due_soon')
    const fresh = (await visit(worker, person.id, 0)).json().person
    expect(fresh.visitState).toBe('ok')
    expect(new Date(fresh.lastVisitAt).getTime()).toBeGreaterThan(Date.now() - 60_000)
    const visits = (await request(worker, 'GET', `/api/key-persons/${person.id}/visits`)).json().visits
    expect(visits).toHaveLength(3)
    expect(visits[0].kind).toBe('home')
    expect(visits[1].kind).toBe('phone')
  })

  it('counts from registration when there is no visit, by the colour’s frequency', async () => {
    const red = await registerPerson(t, worker, spots[0], { colour: 'red' })
    const green = await registerPerson(t, worker, spots[0], { colour: 'green' })
    await sql`UPDATE key_persons SET created_at = now() - interval '20 days' WHERE id IN (${red.id}, ${green.id})`.execute(t.database.engine.db)
    expect((await request(worker, 'GET', `/api/key-persons/${red.id}`)).json().visitState).toBe('overdue')
    expect((await request(worker, 'GET', `/api/key-persons/${green.id}`)).json().visitState).toBe('ok')
    const overdue = await request(worker, 'GET', '/api/key-persons?visitState=overdue&limit=500')
    const ids = overdue.json().persons.map((p: { id: number }) => p.id)
    expect(ids).toContain(red.id)
    expect(ids).not.toContain(green.id)
  })

  it('lists a grid worker’s overdue persons per grid', async () => {
    const person = await registerPerson(t, worker, spots[0], { colour: 'orange' })
    await visit(worker, person.id, 20)
    const response = await request(worker, 'GET', '/api/key-persons/overdue')
    expect(response.statusCode).toBe(200)
    const { grids } = response.json()
    expect(grids.length).toBe(1)
    expect(grids[0].grid).toMatchObject({ id: spots[0].baseGridId, name: spots[0].baseGridName })
    expect(grids[0].overdue).toBe(grids[0].persons.length)
    expect(grids[0].persons.map((p: { id: number }) => p.id)).toContain(person.id)
    expect(grids[0].persons.every((p: { visitState: string }) => p.visitState === 'overdue')).toBe(true)
    const withSoon = (await request(worker, 'GET', '/api/key-persons/overdue?includeDueSoon=true')).json()
    expect(withSoon.grids[0].persons.length).toBeGreaterThanOrEqual(grids[0].persons.length)
  })

  it('follows an admin’s change of a colour’s frequency', async () => {
    const person = await registerPerson(t, worker, spots[0], { colour: 'yellow' })
    await visit(worker, person.id, 20)
    expect((await request(worker, 'GET', `/api/key-persons/${person.id}`)).json().visitState).toBe('ok')
    expect((await request(dispatcher, 'PUT', '/api/key-persons/colours/yellow', { visitIntervalDays: 10 })).statusCode).toBe(403)
    const changed = await request(admin, 'PUT', '/api/key-persons/colours/yellow', { visitIntervalDays: 10 })
    expect(changed.statusCode).toBe(200)
    expect(changed.json().colours.find((c: { colour: string }) => c.colour === 'yellow').visitIntervalDays).toBe(10)
    expect((await request(worker, 'GET', `/api/key-persons/${person.id}`)).json().visitState).toBe('overdue')
    await request(admin, 'PUT', '/api/key-persons/colours/yellow', { visitIntervalDays: 30 })
    expect((await request(worker, 'GET', `/api/key-persons/${person.id}`)).json().visitState).toBe('ok')
  })

  it('refuses a visit in the future or of an unknown kind, writing nothing', async () => {
    const person = await registerPerson(t, worker, spots[0])
    const before = await count('key_person_visits')
    expect((await request(worker, 'POST', `/api/key-persons/${person.id}/visits`, { kind: 'home', visitedAt: new Date(Date.now() + 2 * DAY).toISOString() })).json().code).toBe(
      'visit_in_future',
    )
    expect((await request(worker, 'POST', `/api/key-persons/${person.id}/visits`, { kind: 'letter' })).statusCode).toBe(400)
    expect((await request(worker, 'POST', `/api/key-persons/${person.id}/visits`, { kind: 'home', visitedAt: 'yesterday' })).statusCode).toBe(400)
    expect(await count('key_person_visits')).toBe(before)
  })
})

describe('key persons: settings and categories', () => {
  it('publishes the eight categories, the colour frequencies and the retention period', async () => {
    const settings = (await request(worker, 'GET', '/api/key-persons/settings')).json()
    expect(settings.categories.map((c: { key: string }) => c.key)).toEqual([
      'community_corrections',
      'released_prisoner',
      'severe_mental_disorder',
      'drug_rehabilitation',
      'at_risk_youth',
      'elderly_alone',
      'left_behind_child',
      'hardship',
    ])
    expect(settings.categories[0]).toMatchObject({ labelZh: '社区矫正对象', active: true })
    expect(Object.fromEntries(settings.colours.map((c: { colour: string; visitIntervalDays: number }) => [c.colour, c.visitIntervalDays]))).toEqual({
      red: 7,
      orange: 14,
      yellow: 30,
      green: 90,
    })
    expect(settings.retentionDays).toBe(365)
  })

  it('lets an admin add and deactivate a category', async () => {
    const added = await request(admin, 'POST', '/api/key-persons/categories', { key: 'disabled_person', labelZh: '残疾人', labelEn: 'Person with a disability' })
    expect(added.statusCode).toBe(201)
    expect((await request(admin, 'POST', '/api/key-persons/categories', { key: 'disabled_person', labelZh: '残疾人', labelEn: 'x' })).statusCode).toBe(409)
    expect((await request(worker, 'POST', '/api/key-persons/categories', { key: 'other_kind', labelZh: '其他', labelEn: 'Other' })).statusCode).toBe(403)
    const person = await registerPerson(t, worker, spots[0], { category: 'disabled_person' })
    expect(person.category).toBe('disabled_person')
    const off = await request(admin, 'PATCH', '/api/key-persons/categories/disabled_person', { active: false })
    expect(off.json()).toMatchObject({ key: 'disabled_person', active: false })
    expect((await request(worker, 'POST', '/api/key-persons', personBody(spots[0], { category: 'disabled_person' }))).statusCode).toBe(400)
    expect((await request(admin, 'PATCH', '/api/key-persons/categories/nothing_here', { active: false })).statusCode).toBe(404)
  })
})

describe('key persons: retention', () => {
  it('archives persons released longer than the retention period, clearing identifying fields', async () => {
    const kept = await registerPerson(t, admin, spots[1], { name: '李保留' })
    const old = await registerPerson(t, admin, spots[1], { name: '王归档' })
    for (const person of [kept, old]) {
      const released = await request(admin, 'PATCH', `/api/key-persons/${person.id}`, { status: 'released' }, { 'if-match': '"1"' })
      expect(released.json()).toMatchObject({ status: 'released', visitState: null, nextVisitDue: null })
      expect(released.json().releasedAt).not.toBeNull()
    }
    await sql`UPDATE key_persons SET released_at = now() - interval '400 days' WHERE id = ${old.id}`.execute(t.database.engine.db)
    await sql`UPDATE key_persons SET released_at = now() - interval '100 days' WHERE id = ${kept.id}`.execute(t.database.engine.db)
    expect((await request(dispatcher, 'POST', '/api/key-persons/archive-run')).statusCode).toBe(403)
    const run = await request(admin, 'POST', '/api/key-persons/archive-run')
    expect(run.statusCode).toBe(200)
    expect(run.json()).toMatchObject({ archived: 1, ids: [old.id], retentionDays: 365 })
    expect((await request(admin, 'GET', `/api/key-persons/${old.id}`)).statusCode).toBe(404)
    expect((await request(admin, 'GET', `/api/key-persons/${kept.id}`)).statusCode).toBe(200)
    const released = (await request(admin, 'GET', '/api/key-persons?status=released&limit=500')).json().persons.map((p: { id: number }) => p.id)
    expect(released).toContain(kept.id)
    expect(released).not.toContain(old.id)
    const row = await t.database.engine.db.selectFrom('key_persons').selectAll().where('id', '=', old.id).executeTakeFirstOrThrow()
    expect(row).toMatchObject({ name: '王*', id_number: null, phone: null, address: null, household_geom: null, category: 'released_prisoner' })
    expect(row.archived_at).not.toBeNull()
    const [entry] = (await auditRows(t)).filter((e) => e.action === 'archive')
    expect(entry).toMatchObject({ username: admin.username, subject_ids: [old.id] })

    expect((await request(admin, 'PUT', '/api/key-persons/settings', { retentionDays: 30 })).json().retentionDays).toBe(30)
    const second = (await request(admin, 'POST', '/api/key-persons/archive-run')).json()
    expect(second).toMatchObject({ archived: 1, ids: [kept.id], retentionDays: 30 })
    expect((await request(admin, 'PATCH', `/api/key-persons/${kept.id}`, { status: 'in_management' })).statusCode).toBe(404)
    await request(admin, 'PUT', '/api/key-persons/settings', { retentionDays: 365 })
  })
})

describe('key persons: OGC API collection', () => {
  function feature(spot: GridSpot, properties: Record<string, unknown> = {}) {
    const { household, ...rest } = personBody(spot, properties)
    return { type: 'Feature', geometry: { type: 'Point', coordinates: [household.lon, household.lat] }, properties: rest }
  }

  it('registers with POST of a GeoJSON Feature: 201, Location, ETag', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/collections/key-persons/items',
      headers: { ...worker.headers, 'content-type': 'application/geo+json' },
      payload: JSON.stringify(feature(spots[0], { name: '周要素' })),
    })
    expect(response.statusCode, response.body).toBe(201)
    expect(response.headers['content-type']).toMatch(/application\/geo\+json/)
    const created = response.json()
    expect(response.headers.location).toMatch(new RegExp(`/api/collections/key-persons/items/${created.id}$`))
    expect(response.headers.etag).toBe('"1"')
    expect(created).toMatchObject({ type: 'Feature', geometry: { type: 'Point' }, properties: { name: '周要素', idNumber: '**************1234', version: 1 } })
    const location = new URL(response.headers.location as string)
    const read = await request(worker, 'GET', location.pathname)
    expect(read.statusCode).toBe(200)
    expect(read.headers.etag).toBe('"1"')
    expect(read.json().properties.baseGrid.id).toBe(spots[0].baseGridId)
  })

  it('refuses a Feature that is not a Point, lies outside the township or has a bad property', async () => {
    const polygon = { ...feature(spots[0]), geometry: { type: 'Polygon', coordinates: [[[100, 25], [100.1, 25], [100, 25.1], [100, 25]]] } }
    const outside = { ...feature(spots[0]), geometry: { type: 'Point', coordinates: [116.4, 39.9] } }
    const badCategory = feature(spots[0], { category: 'tourist' })
    const swapped = { ...feature(spots[0]), geometry: { type: 'Point', coordinates: [spots[0].lat, 200] } }
    for (const [body, code] of [
      [polygon, 'validation_failed'],
      [outside, 'household_outside_township'],
      [badCategory, 'unknown_person_category'],
      [swapped, 'bad_feature'],
      [{ type: 'FeatureCollection', features: [] }, 'validation_failed'],
    ] as const) {
      const response = await request(worker, 'POST', '/api/collections/key-persons/items', body)
      expect(response.statusCode, code).toBe(400)
      expect(response.json().code).toBe(code)
    }
  })

  it('serves the grid worker’s persons as masked household points, filtered and audited', async () => {
    const response = await request(worker, 'GET', '/api/collections/key-persons/items?limit=1000&colour=red')
    expect(response.statusCode, response.body).toBe(200)
    const body = response.json()
    expect(body.numberMatched).toBeGreaterThan(0)
    for (const f of body.features) {
      expect(f.geometry.type).toBe('Point')
      expect(f.properties.colour).toBe('red')
      expect(f.properties.baseGrid.id).toBe(spots[0].baseGridId)
      expect(f.properties.idNumber).toMatch(/^\*{14}\d{3}[\dX]$/)
    }
    expect(response.body).not.toContain('532901197501011234')
    const [entry] = await auditRows(t)
    expect(entry).toMatchObject({ action: 'list', username: worker.username })
    expect(entry.subject_ids).toEqual(body.features.map((f: { id: number }) => f.id))
    const far = (await request(worker, 'GET', '/api/collections/key-persons/items?bbox=0,0,1,1')).json()
    expect(far.numberMatched).toBe(0)
    expect((await request(worker, 'GET', '/api/collections/key-persons/items?colour=pink')).statusCode).toBe(400)
  })

  it('replaces with PUT under If-Match: stale 412 with the current state; masked values sent back are kept', async () => {
    const created = (await request(admin, 'POST', '/api/collections/key-persons/items', feature(spots[1], { name: '吴替换' }))).json()
    const url = `/api/collections/key-persons/items/${created.id}`
    const current = (await request(admin, 'GET', url)).json()
    const replaced = await request(admin, 'PUT', url, { ...current, properties: { ...current.properties, colour: 'yellow' } }, { 'if-match': '"1"' })
    expect(replaced.statusCode, replaced.body).toBe(200)
    expect(replaced.headers.etag).toBe('"2"')
    expect(replaced.json().properties).toMatchObject({ colour: 'yellow', idNumber: '**************1234', version: 2 })
    const revealed = (await request(admin, 'POST', `/api/key-persons/${created.id}/reveal`, { fields: ['idNumber', 'phone', 'address'], reason: '核对替换结果' })).json()
    expect(revealed.fields).toEqual({ idNumber: '532901197501011234', phone: '13812345678', address: '喜洲镇某村某组 18 号' })
    const stale = await request(admin, 'PUT', url, { ...current, properties: { ...current.properties, colour: 'green' } }, { 'if-match': '"1"' })
    expect(stale.statusCode).toBe(412)
    expect(stale.json().current).toMatchObject({ id: created.id, version: 2, colour: 'yellow' })
    expect((await request(admin, 'PUT', '/api/collections/key-persons/items/99999999', current, { 'if-match': '"1"' })).statusCode).toBe(404)
  })

  it('is listed among the collections with the township extent', async () => {
    const { collections } = (await request(worker, 'GET', '/api/collections')).json()
    const keyPersons = collections.find((c: { id: string }) => c.id === 'key-persons')
    expect(keyPersons.title).toBe('重点人员')
    expect(keyPersons.extent.spatial.bbox[0]).toHaveLength(4)
  })
})
