import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { auditRows, gridSpots, personBody, registerPerson, type GridSpot } from '../support/key-persons.ts'

const FULL_ID = '532901197501011234'
const FULL_PHONE = '13812345678'
const FULL_ADDRESS = '喜洲镇某村某组 18 号'

let t: TestApp
let admin: TestUser
let dispatcher: TestUser
let leader: TestUser
let station: TestUser
let workerA: TestUser
let workerB: TestUser
let workerFine: TestUser
let spots: GridSpot[]
let personA: { id: number }
let personB: { id: number }

beforeAll(async () => {
  t = await createTestApp()
  spots = await gridSpots(t, 2)
  admin = await t.signIn('admin')
  dispatcher = await t.signIn('dispatcher')
  leader = await t.signIn('leader')
  station = await t.signIn('station')
  workerA = await t.signIn('grid_worker', { gridIds: [spots[0].baseGridId] })
  workerB = await t.signIn('grid_worker', { gridIds: [spots[1].baseGridId] })
  workerFine = await t.signIn('grid_worker', { gridIds: [spots[0].fineGridId] })
  personA = await registerPerson(t, admin, spots[0], { name: '赵甲', colour: 'red', category: 'severe_mental_disorder' })
  personB = await registerPerson(t, admin, spots[1], { name: '钱乙', colour: 'green', category: 'elderly_alone' })
})
afterAll(() => t?.close())

function call(user: TestUser, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({ method, url, headers: { ...user.headers, ...headers }, payload: payload as never })
}

const listIds = async (user: TestUser) => {
  const response = await call(user, 'GET', '/api/key-persons?limit=500')
  return response.statusCode === 200 ? response.json().persons.map((p: { id: number }) => p.id) : response.statusCode
}

describe('key persons: who sees whom', () => {
  it('shows admins and dispatchers everyone, grid workers only their own grids (base or fine grid)', async () => {
    expect(await listIds(admin)).toEqual(expect.arrayContaining([personA.id, personB.id]))
    expect(await listIds(dispatcher)).toEqual(expect.arrayContaining([personA.id, personB.id]))
    expect(await listIds(workerA)).toEqual([personA.id])
    expect(await listIds(workerB)).toEqual([personB.id])
    expect(await listIds(workerFine)).toEqual([personA.id])
  })

  it('refuses identities to leaders and station staff, pointing them to the counts', async () => {
    for (const user of [leader, station]) {
      for (const url of ['/api/key-persons', '/api/key-persons/overdue']) {
        const response = await call(user, 'GET', url)
        expect(response.statusCode, `${user.role} ${url}`).toBe(403)
        expect(response.json().code).toBe('key_person_identities_forbidden')
        expect(response.json().message).toContain('/api/key-persons/summary')
      }
      // Counts-only roles are refused every identity route before any lookup: the same 403 for
      // an existing and a missing person, so the answer says nothing about who exists.
      for (const url of [`/api/key-persons/${personA.id}`, `/api/key-persons/${personA.id}/visits`, '/api/key-persons/987654321']) {
        const response = await call(user, 'GET', url)
        expect(response.statusCode, `${user.role} ${url}`).toBe(403)
        expect(response.json().code).toBe('key_person_identities_forbidden')
      }
      expect((await call(user, 'POST', '/api/key-persons', personBody(spots[0]))).statusCode).toBe(403)
      expect((await call(user, 'PATCH', `/api/key-persons/${personA.id}`, { colour: 'green' })).statusCode).toBe(403)
      expect((await call(user, 'POST', `/api/key-persons/${personA.id}/visits`, { kind: 'home' })).statusCode).toBe(403)
      expect((await call(user, 'POST', `/api/key-persons/${personA.id}/reveal`, { fields: ['phone'], reason: '领导需要了解情况' })).statusCode).toBe(403)
    }
  })

  it('lets a grid worker act on their own grid’s person only', async () => {
    expect((await call(workerA, 'GET', `/api/key-persons/${personA.id}`)).statusCode).toBe(200)
    expect((await call(workerFine, 'GET', `/api/key-persons/${personA.id}`)).statusCode).toBe(200)
    const other = await call(workerA, 'GET', `/api/key-persons/${personB.id}`)
    expect(other.statusCode).toBe(404)
    expect(other.json().code).toBe('key_person_not_visible')
    expect(other.body).not.toContain('钱乙')
    expect((await call(workerA, 'PATCH', `/api/key-persons/${personB.id}`, { colour: 'red' })).statusCode).toBe(404)
    expect((await call(workerA, 'POST', `/api/key-persons/${personB.id}/visits`, { kind: 'home' })).statusCode).toBe(404)
    expect((await call(workerA, 'GET', `/api/key-persons/${personB.id}/visits`)).statusCode).toBe(404)
    expect((await call(workerA, 'POST', `/api/key-persons/${personA.id}/visits`, { kind: 'phone' })).statusCode).toBe(201)
    const elsewhere = await call(workerA, 'POST', '/api/key-persons', personBody(spots[1]))
    expect(elsewhere.statusCode).toBe(403)
    expect(elsewhere.json().code).toBe('key_person_grid_forbidden')
    expect((await call(workerA, 'GET', `/api/key-persons?gridId=${spots[1].baseGridId}`)).json().persons).toEqual([])
  })

  it('keeps a grid worker without grids on an empty list', async () => {
    const nobody = await t.signIn('grid_worker')
    expect(await listIds(nobody)).toEqual([])
  })
})

describe('key persons: masking and reveal', () => {
  it('never answers the full identity number, phone or address outside a reveal', async () => {
    const responses = [
      await call(admin, 'GET', '/api/key-persons?limit=500'),
      await call(dispatcher, 'GET', `/api/key-persons/${personA.id}`),
      await call(workerA, 'GET', `/api/key-persons/${personA.id}`),
      await call(workerA, 'PATCH', `/api/key-persons/${personA.id}`, { note: '家属配合' }),
      await call(admin, 'GET', '/api/key-persons/summary'),
    ]
    for (const response of responses) {
      expect(response.statusCode).toBe(200)
      expect(response.body).not.toContain(FULL_ID)
      expect(response.body).not.toContain(FULL_PHONE)
      expect(response.body).not.toContain(FULL_ADDRESS)
    }
    const person = (await call(workerA, 'GET', `/api/key-persons/${personA.id}`)).json()
    expect(person).toMatchObject({ idNumber: '**************1234', phone: '138****5678', address: `${spots[0].baseGridName} 附近` })
    expect(person).not.toHaveProperty('birthYear')
  })

  it('reveals fields with a reason to the person’s grid worker, a dispatcher and an admin, auditing the reason', async () => {
    const reason = '入户核实身份，需联系家属'
    const own = await call(workerA, 'POST', `/api/key-persons/${personA.id}/reveal`, { fields: ['idNumber', 'phone', 'address'], reason })
    expect(own.statusCode, own.body).toBe(200)
    expect(own.json()).toEqual({ id: personA.id, fields: { idNumber: FULL_ID, phone: FULL_PHONE, address: FULL_ADDRESS } })
    const [entry] = (await auditRows(t)).filter((e) => e.action === 'reveal')
    expect(entry).toMatchObject({ username: workerA.username, subject_ids: [personA.id], reason })
    expect([...entry.fields].sort()).toEqual(['address', 'idNumber', 'phone'])
    expect((await call(dispatcher, 'POST', `/api/key-persons/${personB.id}/reveal`, { fields: ['phone'], reason: '调度核实联系方式' })).json().fields).toEqual({
      phone: FULL_PHONE,
    })
    expect((await call(admin, 'POST', `/api/key-persons/${personB.id}/reveal`, { fields: ['idNumber'], reason: '数据核查需要' })).statusCode).toBe(200)
  })

  it('refuses a reveal without a real reason, to another grid’s worker and to a leader', async () => {
    const before = (await auditRows(t)).filter((e) => e.action === 'reveal').length
    const noReason = await call(workerA, 'POST', `/api/key-persons/${personA.id}/reveal`, { fields: ['phone'] })
    expect(noReason.statusCode).toBe(400)
    expect((await call(workerA, 'POST', `/api/key-persons/${personA.id}/reveal`, { fields: ['phone'], reason: '看看' })).statusCode).toBe(400)
    const blank = await call(workerA, 'POST', `/api/key-persons/${personA.id}/reveal`, { fields: ['phone'], reason: '  。    ' })
    expect(blank.statusCode).toBe(400)
    expect(blank.json().code).toBe('reveal_reason_required')
    expect((await call(workerA, 'POST', `/api/key-persons/${personA.id}/reveal`, { fields: ['name'], reason: '入户核实身份' })).statusCode).toBe(400)
    expect((await call(workerA, 'POST', `/api/key-persons/${personA.id}/reveal`, { fields: [], reason: '入户核实身份' })).statusCode).toBe(400)
    const foreign = await call(workerB, 'POST', `/api/key-persons/${personA.id}/reveal`, { fields: ['phone'], reason: '入户核实身份' })
    expect(foreign.statusCode).toBe(404)
    expect(foreign.body).not.toContain(FULL_PHONE)
    const byLeader = await call(leader, 'POST', `/api/key-persons/${personA.id}/reveal`, { fields: ['phone'], reason: '领导需要了解情况' })
    expect(byLeader.statusCode).toBe(403)
    expect((await auditRows(t)).filter((e) => e.action === 'reveal').length).toBe(before)
    const denied = (await auditRows(t)).filter((e) => e.action === 'denied').map((e) => e.username)
    expect(denied).toEqual(expect.arrayContaining([workerB.username, leader.username]))
  })
})

describe('key persons: audit log', () => {
  it('writes an entry for every read: detail, list (with the ids), visits', async () => {
    const before = (await auditRows(t)).length
    await call(dispatcher, 'GET', `/api/key-persons/${personA.id}`)
    await call(dispatcher, 'GET', '/api/key-persons?limit=500')
    await call(dispatcher, 'GET', `/api/key-persons/${personA.id}/visits`)
    const entries = (await auditRows(t)).slice(0, (await auditRows(t)).length - before)
    expect(entries.map((e) => e.action)).toEqual(['read', 'list', 'read'])
    expect(entries.every((e) => e.username === dispatcher.username)).toBe(true)
    expect(entries[1].subject_ids).toEqual(expect.arrayContaining([personA.id, personB.id]))
    expect(entries[2].subject_ids).toEqual([personA.id])
  })

  it('lets the audit administrator browse and filter the log, and nobody else', async () => {
    const auditor = await t.signIn('audit_admin')
    const reveals = await call(auditor, 'GET', `/api/audit?action=reveal&subjectId=${personA.id}`)
    expect(reveals.statusCode).toBe(200)
    const body = reveals.json()
    expect(body.total).toBeGreaterThanOrEqual(1)
    expect(body.entries[0]).toMatchObject({ action: 'reveal', subjectKind: 'key_person', subjectIds: [personA.id], username: workerA.username })
    expect(body.entries[0].reason).toBe('入户核实身份，需联系家属')
    expect(body.entries[0].requestIp).toBeTruthy()
    const lists = (await call(auditor, 'GET', `/api/audit?action=list&subjectId=${personB.id}&userId=${dispatcher.id}`)).json()
    expect(lists.total).toBeGreaterThanOrEqual(1)
    expect(lists.entries.every((e: { userId: number; subjectIds: number[] }) => e.userId === dispatcher.id && e.subjectIds.includes(personB.id))).toBe(true)
    const paged = (await call(auditor, 'GET', '/api/audit?limit=2&offset=1')).json()
    expect(paged.entries).toHaveLength(2)
    expect(paged.total).toBeGreaterThan(3)
    const future = (await call(auditor, 'GET', `/api/audit?from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`)).json()
    expect(future.total).toBe(0)
    const byName = (await call(auditor, 'GET', `/api/audit?username=${workerB.username}`)).json()
    expect(byName.entries.every((e: { username: string }) => e.username === workerB.username)).toBe(true)
    expect((await call(auditor, 'GET', '/api/audit?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z')).statusCode).toBe(400)
    expect((await call(auditor, 'GET', '/api/audit?action=delete')).statusCode).toBe(400)
    for (const user of [admin, dispatcher, leader, station, workerA]) expect((await call(user, 'GET', '/api/audit')).statusCode).toBe(403)
  })

  it('is append-only in the database itself', async () => {
    const db = t.database.engine.db
    await expect(sql`UPDATE audit_log SET reason = 'tampered'`.execute(db)).rejects.toThrow(/append-only/)
    await expect(sql`DELETE FROM audit_log`.execute(db)).rejects.toThrow(/append-only/)
    await expect(sql`TRUNCATE audit_log`.execute(db)).rejects.toThrow(/append-only/)
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM audit_log WHERE reason = 'tampered'`.execute(db)
    expect(Number(rows[0].n)).toBe(0)
  })
})

describe('key persons: counts for everyone', () => {
  it('gives counts per grid and village with colours and overdue, and no identities (exact for a dispatcher)', async () => {
    const response = await call(dispatcher, 'GET', '/api/key-persons/summary?groupBy=grid')
    expect(response.statusCode).toBe(200)
    const summary = response.json()
    expect(summary.total).toBe(2)
    expect(summary.protection).toBeNull()
    const gridA = summary.groups.find((g: { key: number }) => g.key === spots[0].baseGridId)
    expect(gridA).toMatchObject({ total: 1, byColour: { red: 1, orange: 0, yellow: 0, green: 0 }, area: { id: spots[0].baseGridId, level: 'base_grid' } })
    expect(gridA.label).toBe(spots[0].baseGridName)
    for (const text of ['赵甲', '钱乙', 'household', 'idNumber', '138', '**']) expect(response.body).not.toContain(text)
    const villages = (await call(dispatcher, 'GET', '/api/key-persons/summary?groupBy=village')).json()
    expect(villages.groups.map((g: { area: { level: string } }) => g.area.level)).toContain('village')
    expect(villages.total).toBe(2)
    const red = (await call(dispatcher, 'GET', '/api/key-persons/summary?groupBy=village&colour=red')).json()
    expect(red.total).toBe(1)
    const byCategory = (await call(dispatcher, 'GET', '/api/key-persons/summary?groupBy=category&category=elderly_alone', undefined, { 'accept-language': 'en' })).json()
    expect(byCategory.groups).toEqual([expect.objectContaining({ key: 'elderly_alone', label: 'Elderly living alone', total: 1 })])
    expect((await call(leader, 'GET', '/api/key-persons/summary?groupBy=person')).statusCode).toBe(400)
  })

  it('gives leaders and stations the same groups with counts below k suppressed (null and flagged, never 0)', async () => {
    const response = await call(leader, 'GET', '/api/key-persons/summary?groupBy=grid')
    expect(response.statusCode).toBe(200)
    const summary = response.json()
    expect(summary).toMatchObject({ total: null, protection: { minCount: 5, roundedTo: 5 } })
    const gridA = summary.groups.find((g: { key: number }) => g.key === spots[0].baseGridId)
    expect(gridA).toMatchObject({ total: null, suppressed: true, byColour: { red: null, orange: null, yellow: null, green: null }, area: { id: spots[0].baseGridId } })
    for (const text of ['赵甲', '钱乙', 'household', 'idNumber', '138', '**']) expect(response.body).not.toContain(text)
    const byCategory = (await call(station, 'GET', '/api/key-persons/summary?groupBy=category&category=elderly_alone')).json()
    expect(byCategory.groups.length).toBeGreaterThan(1)
    expect(byCategory.groups.every((g: { total: number | null }) => g.total === null)).toBe(true)
  })

  it('counts an overdue person in the summary', async () => {
    const overdue = await registerPerson(t, admin, spots[0], { name: '孙丙', colour: 'red' })
    await sql`UPDATE key_persons SET created_at = now() - interval '30 days' WHERE id = ${overdue.id}`.execute(t.database.engine.db)
    const summary = (await call(dispatcher, 'GET', '/api/key-persons/summary?groupBy=grid')).json()
    const gridA = summary.groups.find((g: { key: number }) => g.key === spots[0].baseGridId)
    expect(gridA.total).toBe(2)
    expect(gridA.overdue).toBeGreaterThanOrEqual(1)
  })

  it('serves a heat layer of grid outlines with counts and a colour-weighted score', async () => {
    const response = await call(dispatcher, 'GET', '/api/key-persons/heat')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/geo\+json/)
    const heat = response.json()
    expect(heat.type).toBe('FeatureCollection')
    const gridA = heat.features.find((f: { id: number }) => f.id === spots[0].baseGridId)
    expect(gridA.geometry.type).toBe('MultiPolygon')
    expect(gridA.properties).toMatchObject({ level: 'base_grid', total: 2, red: 2, weight: 8 })
    expect(response.body).not.toContain('赵甲')
    // A leader gets every grid, the one with two persons suppressed like an empty one.
    const protectedHeat = (await call(leader, 'GET', '/api/key-persons/heat')).json()
    const protectedA = protectedHeat.features.find((f: { id: number }) => f.id === spots[0].baseGridId)
    expect(protectedA.properties).toMatchObject({ level: 'base_grid', total: null, red: null, suppressed: true, weight: null })
    expect(protectedHeat.features.length).toBeGreaterThan(heat.features.length)
    const villages = (await call(leader, 'GET', '/api/key-persons/heat?level=village')).json()
    expect(villages.features.every((f: { properties: { level: string } }) => f.properties.level === 'village')).toBe(true)
  })
})

describe('key persons: OGC collection permissions', () => {
  it('refuses the features to leaders and station staff, pointing to the aggregates', async () => {
    for (const user of [leader, station]) {
      const response = await call(user, 'GET', '/api/collections/key-persons/items')
      expect(response.statusCode, `${user.role} items`).toBe(403)
      expect(response.json().message).toContain('/api/key-persons/heat')
      // One feature answers 404 as for an id that does not exist (no existence oracle).
      expect((await call(user, 'GET', `/api/collections/key-persons/items/${personA.id}`)).statusCode).toBe(404)
      const feature = { type: 'Feature', geometry: { type: 'Point', coordinates: [spots[0].lon, spots[0].lat] }, properties: { name: '领导', category: 'hardship', colour: 'green' } }
      expect((await call(user, 'POST', '/api/collections/key-persons/items', feature)).statusCode).toBe(403)
    }
  })

  it('shows a grid worker only their own grid’s features and refuses others’', async () => {
    const page = (await call(workerB, 'GET', '/api/collections/key-persons/items')).json()
    expect(page.features.map((f: { id: number }) => f.id)).toEqual([personB.id])
    expect((await call(workerB, 'GET', `/api/collections/key-persons/items/${personB.id}`)).statusCode).toBe(200)
    const other = await call(workerB, 'GET', `/api/collections/key-persons/items/${personA.id}`)
    expect(other.statusCode).toBe(404)
    expect(other.body).not.toContain('赵甲')
    expect((await call(workerB, 'PUT', `/api/collections/key-persons/items/${personA.id}`, {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [spots[1].lon, spots[1].lat] },
      properties: { name: '抢走', category: 'hardship', colour: 'green' },
    })).statusCode).toBe(404)
    const [denied] = (await auditRows(t)).filter((e) => e.action === 'denied')
    expect(denied).toMatchObject({ username: workerB.username, subject_ids: [personA.id] })
  })
})
