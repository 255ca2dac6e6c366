import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { allowedActions, nextStatus } from '../../server/features/cases/workflow.ts'
import { DISPUTE_ACTIONS, DISPUTE_STATUSES, DISPUTE_WORKFLOW, type DisputeStatus } from '../../server/features/cases/dispute-workflow.ts'
import { HAZARD_ACTIONS, HAZARD_STATUSES, HAZARD_WORKFLOW, type HazardStatus } from '../../server/features/cases/hazard-workflow.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { DISPUTE_BODIES, HAZARD_BODIES, caseClient, disputeFeature, gridPoints, hazardFeature, signInStation, type GridPoint } from '../support/cases.ts'

let t: TestApp
let c: ReturnType<typeof caseClient>
let dispatcher: TestUser
let admin: TestUser
let mediationStation: TestUser
let points: GridPoint[]
const HOUR = 3_600_000

beforeAll(async () => {
  t = await createTestApp()
  c = caseClient(t)
  dispatcher = await t.signIn('dispatcher')
  admin = await t.signIn('admin')
  mediationStation = await signInStation(t, 'legal-mediation')
  points = await gridPoints(t.database.engine.db)
})
afterAll(() => t?.close())

async function newHazard(properties: Record<string, unknown> = {}, point: GridPoint = points[0]) {
  const response = await c.register(dispatcher, 'hazards', hazardFeature(point, properties))
  expect(response.statusCode, response.body).toBe(201)
  return response.json().properties as { id: number; version: number; status: string }
}

async function newDispute(properties: Record<string, unknown> = {}, point: GridPoint = points[1]) {
  const response = await c.register(dispatcher, 'disputes', disputeFeature(point, [point.villageId], properties))
  expect(response.statusCode, response.body).toBe(201)
  return response.json().properties as { id: number; version: number; status: string }
}

const HAZARD_PATH: Record<HazardStatus, string[]> = {
  reported: [],
  verified: ['verify'],
  unfounded: ['reject'],
  rectifying: ['verify', 'start-rectification'],
  rectified: ['verify', 'start-rectification', 'rectify'],
  closed: ['verify', 'start-rectification', 'rectify', 'close'],
}
const DISPUTE_PATH: Record<DisputeStatus, string[]> = {
  registered: [],
  dispatched: ['dispatch'],
  escalated: ['escalate'],
  resolved: ['dispatch', 'resolve'],
  fed_back: ['dispatch', 'resolve', 'feedback'],
  evaluated: ['dispatch', 'resolve', 'feedback', 'evaluate'],
}

async function drive(kind: 'hazards' | 'disputes', id: number, actions: string[]) {
  for (const action of actions) {
    const response = await c.act(dispatcher, kind, id, action, (kind === 'hazards' ? HAZARD_BODIES : DISPUTE_BODIES)[action])
    expect(response.statusCode, `${action}: ${response.body}`).toBe(200)
  }
}

describe('registration (排查登记)', () => {
  it('registers a hazard at a point, located in its village and grids, with Location and ETag', async () => {
    const point = points[0]
    const response = await c.register(dispatcher, 'hazards', hazardFeature(point, { photos: [{ url: 'https://files.example/p1.jpg', caption: '现场' }] }))
    expect(response.statusCode, response.body).toBe(201)
    expect(response.headers['content-type']).toMatch(/application\/geo\+json/)
    const feature = response.json()
    expect(response.headers.location).toMatch(new RegExp(`/api/collections/hazards/items/${feature.id}$`))
    expect(response.headers.etag).toBe('"1"')
    expect(feature.geometry.coordinates[0]).toBeCloseTo(point.lon, 6)
    expect(feature.properties).toMatchObject({
      kind: 'hazard',
      status: 'reported',
      severity: 'high',
      tier: null,
      village: { id: point.villageId, version: 1 },
      baseGrid: { id: point.baseGridId, version: 1 },
      fineGrid: { id: point.fineGridId, version: 1 },
      deadlineState: 'ok',
      allowedActions: ['verify', 'reject'],
      photos: [{ url: 'https://files.example/p1.jpg', caption: '现场' }],
      registeredBy: dispatcher.id,
    })
    const deadline = new Date(feature.properties.deadlineAt).getTime() - new Date(feature.properties.reportedAt).getTime()
    expect(deadline).toBe(72 * HOUR)
    const item = await c.get(dispatcher, `/api/collections/hazards/items/${feature.id}`)
    expect(item.statusCode).toBe(200)
    expect(item.headers.etag).toBe('"1"')
  })

  it('registers a cross-village dispute with its parties and the tier deadline', async () => {
    const [a, b] = [points[0], points.find((p) => p.villageId !== points[0].villageId)!]
    const response = await c.register(dispatcher, 'disputes', disputeFeature(a, [a.villageId, b.villageId], { tier: 'complex' }))
    expect(response.statusCode, response.body).toBe(201)
    const props = response.json().properties
    expect(props).toMatchObject({ kind: 'dispute', status: 'registered', tier: 'complex', crossVillage: true, severity: null })
    expect(props.parties.map((p: { homeVillageId: number }) => p.homeVillageId)).toEqual([a.villageId, b.villageId])
    expect(new Date(props.deadlineAt).getTime() - new Date(props.reportedAt).getTime()).toBe(360 * HOUR)
  })

  it('refuses a point outside the township with 400 and a clear message', async () => {
    const zh = await c.register(dispatcher, 'hazards', hazardFeature({ lon: 101.5, lat: 25.0 }))
    expect(zh.statusCode).toBe(400)
    expect(zh.json().code).toBe('point_outside_township')
    expect(zh.json().message).toContain('不在本镇')
    const en = await c.register(dispatcher, 'disputes', disputeFeature({ lon: 0, lat: 0 }, [points[0].villageId]), { 'accept-language': 'en' })
    expect(en.statusCode).toBe(400)
    expect(en.json().message).toMatch(/in no village of the township/)
  })

  it('refuses wrong types and unknown values with 400', async () => {
    const p = points[0]
    const bad: Array<[string, unknown, string?]> = [
      ['bad severity', hazardFeature(p, { severity: 'huge' })],
      ['string coordinates', { ...hazardFeature(p), geometry: { type: 'Point', coordinates: ['100.1', '25.8'] } }],
      ['polygon', { ...hazardFeature(p), geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] } }],
      ['unknown property', hazardFeature(p, { colour: 'red' })],
      ['tier on a hazard', hazardFeature(p, { tier: 'general' })],
      ['missing description', { ...hazardFeature(p), properties: { category: 'fire', severity: 'low', source: 'hotline', reporterName: 'x' } }],
      ['not a feature', { category: 'fire' }],
      ['bad source', hazardFeature(p, { source: 'rumour' })],
      ['bad reportedAt', hazardFeature(p, { reportedAt: 'yesterday' })],
      ['unknown category', hazardFeature(p, { category: 'ufo' }), 'unknown_category'],
      ['future', hazardFeature(p, { reportedAt: new Date(Date.now() + 86_400_000).toISOString() }), 'reported_in_future'],
    ]
    for (const [name, body, code] of bad) {
      const response = await c.register(dispatcher, 'hazards', body)
      expect(response.statusCode, `${name}: ${response.body}`).toBe(400)
      if (code) expect(response.json().code, name).toBe(code)
    }
    const noParties = await c.register(dispatcher, 'disputes', disputeFeature(p, []))
    expect(noParties.statusCode).toBe(400)
    const gridAsVillage = await c.register(dispatcher, 'disputes', disputeFeature(p, [p.baseGridId]))
    expect(gridAsVillage.statusCode).toBe(400)
    expect(gridAsVillage.json().code).toBe('unknown_villages')
    const disputeCategoryOnHazard = await c.register(dispatcher, 'hazards', hazardFeature(p, { category: 'neighbour' }))
    expect(disputeCategoryOnHazard.json().message).toContain('fire')
  })

  it('accepts application/geo+json bodies', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/collections/hazards/items',
      headers: { ...dispatcher.headers, 'content-type': 'application/geo+json' },
      payload: JSON.stringify(hazardFeature(points[2])),
    })
    expect(response.statusCode, response.body).toBe(201)
  })

  it('records the grid version in force at the reported time', async () => {
    const db = t.database.engine.db
    const point = points[5]
    const cut = new Date(Date.now() - 10 * 86_400_000)
    await sql`UPDATE area_versions SET valid_to = ${cut} WHERE area_id = ${point.fineGridId} AND valid_to IS NULL`.execute(db)
    await sql`INSERT INTO area_versions (area_id, version, valid_from, valid_to, parent_id, county_code, township_seq, village_seq, grid_seq,
                fine_seq, name, name_en, kind, households, population, geom, exempt_geom, synthetic, changed_by, change_reason)
              SELECT area_id, 2, ${cut}, NULL, parent_id, county_code, township_seq, village_seq, grid_seq, fine_seq, name || '（调整后）',
                name_en, kind, households, population, geom, exempt_geom, synthetic, 'test', 'boundary redrawn'
              FROM area_versions WHERE area_id = ${point.fineGridId} AND version = 1`.execute(db)
    const before = await newHazard({ reportedAt: new Date(cut.getTime() - 86_400_000).toISOString() }, point)
    const after = await newHazard({ reportedAt: new Date(cut.getTime() + 86_400_000).toISOString() }, point)
    const read = async (id: number) => (await c.get(dispatcher, `/api/collections/hazards/items/${id}`)).json().properties
    expect((await read(before.id)).fineGrid).toMatchObject({ id: point.fineGridId, version: 1 })
    const later = await read(after.id)
    expect(later.fineGrid).toMatchObject({ id: point.fineGridId, version: 2 })
    expect(later.fineGrid.name).toContain('调整后')
    const row = await db.selectFrom('cases').select(['fine_grid_id', 'fine_grid_version']).where('id', '=', after.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ fine_grid_id: point.fineGridId, fine_grid_version: 2 })
  })
})

describe('state machines', () => {
  it('transition tables: every status × action of the modules', () => {
    for (const status of HAZARD_STATUSES) {
      for (const action of HAZARD_ACTIONS) {
        const expected = HAZARD_WORKFLOW.transitions[action].from.includes(status) ? HAZARD_WORKFLOW.transitions[action].to : undefined
        expect(nextStatus(HAZARD_WORKFLOW, status, action)).toBe(expected)
      }
    }
    expect(allowedActions(HAZARD_WORKFLOW, 'reported')).toEqual(['verify', 'reject'])
    expect(allowedActions(HAZARD_WORKFLOW, 'closed')).toEqual([])
    expect(allowedActions(DISPUTE_WORKFLOW, 'registered')).toEqual(['dispatch', 'escalate'])
    expect(allowedActions(DISPUTE_WORKFLOW, 'fed_back')).toEqual(['evaluate'])
    expect(nextStatus(DISPUTE_WORKFLOW, 'registered', 'evaluate')).toBeUndefined()
  })

  it('hazards: the API allows exactly the transitions of the table (200) and refuses the others (409)', async () => {
    for (const status of HAZARD_STATUSES) {
      for (const action of HAZARD_ACTIONS) {
        const hazard = await newHazard()
        await drive('hazards', hazard.id, HAZARD_PATH[status])
        const response = await c.act(dispatcher, 'hazards', hazard.id, action, HAZARD_BODIES[action])
        const to = nextStatus(HAZARD_WORKFLOW, status, action)
        if (to) {
          expect(response.statusCode, `${status} → ${action}: ${response.body}`).toBe(200)
          expect(response.json().status).toBe(to)
        } else {
          expect(response.statusCode, `${status} → ${action}`).toBe(409)
          expect(response.json()).toMatchObject({ code: 'illegal_transition', status, allowedActions: allowedActions(HAZARD_WORKFLOW, status) })
        }
      }
    }
  })

  it('disputes: the API allows exactly the transitions of the table (200) and refuses the others (409)', async () => {
    for (const status of DISPUTE_STATUSES) {
      for (const action of DISPUTE_ACTIONS) {
        const dispute = await newDispute()
        await drive('disputes', dispute.id, DISPUTE_PATH[status])
        const response = await c.act(dispatcher, 'disputes', dispute.id, action, DISPUTE_BODIES[action])
        const to = nextStatus(DISPUTE_WORKFLOW, status, action)
        if (to) {
          expect(response.statusCode, `${status} → ${action}: ${response.body}`).toBe(200)
          expect(response.json().status).toBe(to)
        } else {
          expect(response.statusCode, `${status} → ${action}`).toBe(409)
          expect(response.json().allowedActions).toEqual(allowedActions(DISPUTE_WORKFLOW, status))
        }
      }
    }
  })
})

describe('dispute six steps', () => {
  it('dispatches, resolves at the station, feeds back and evaluates, with the ledger and closing', async () => {
    const dispute = await newDispute()
    const dispatched = await c.act(dispatcher, 'disputes', dispute.id, 'dispatch', { stationKey: 'legal-mediation', reason: '邻里纠纷按规则分流' })
    expect(dispatched.statusCode, dispatched.body).toBe(200)
    expect(dispatched.headers.etag).toBe('"2"')
    expect(dispatched.json()).toMatchObject({ status: 'dispatched', stationKey: 'legal-mediation', allowedActions: ['dispatch', 'escalate', 'resolve'] })
    const resolved = await c.act(mediationStation, 'disputes', dispute.id, 'resolve', DISPUTE_BODIES.resolve, { 'if-match': '"2"' })
    expect(resolved.statusCode, resolved.body).toBe(200)
    expect(resolved.json()).toMatchObject({ status: 'resolved', mediationMode: 'jinhua', outcome: 'agreement', deadlineState: 'done' })
    const fedBack = await c.act(mediationStation, 'disputes', dispute.id, 'feedback', DISPUTE_BODIES.feedback, { 'if-match': 'W/"3"' })
    expect(fedBack.statusCode, fedBack.body).toBe(200)
    const evaluated = await c.act(dispatcher, 'disputes', dispute.id, 'evaluate', { satisfaction: 4 })
    expect(evaluated.statusCode, evaluated.body).toBe(200)
    expect(evaluated.json()).toMatchObject({ status: 'evaluated', satisfaction: 4, timely: true, allowedActions: [], version: 5 })
    expect(evaluated.json().closedAt).not.toBeNull()

    const timeline = await c.get(dispatcher, `/api/cases/dispute/${dispute.id}/timeline`)
    expect(timeline.statusCode).toBe(200)
    expect(timeline.headers.etag).toBe('"5"')
    const events = timeline.json().events
    expect(events.map((e: { action: string }) => e.action)).toEqual(['register', 'dispatch', 'resolve', 'feedback', 'evaluate'])
    expect(events[1]).toMatchObject({
      username: dispatcher.username,
      role: 'dispatcher',
      statusFrom: 'registered',
      statusTo: 'dispatched',
      version: 2,
      reason: '邻里纠纷按规则分流',
      changes: { status: { before: 'registered', after: 'dispatched' }, stationKey: { before: null, after: 'legal-mediation' } },
    })
    expect(events[2]).toMatchObject({ username: mediationStation.username, role: 'station', changes: { outcome: { before: null, after: 'agreement' } } })
    expect(events.every((e: { at: string }) => !Number.isNaN(Date.parse(e.at)))).toBe(true)
  })

  it('needs a mediator for complex disputes, one dispatch target, and a known station; re-tiering moves the deadline', async () => {
    const dispute = await newDispute()
    const noMediator = await c.act(dispatcher, 'disputes', dispute.id, 'dispatch', { stationKey: 'petition', tier: 'complex' })
    expect(noMediator.statusCode).toBe(400)
    expect(noMediator.json().code).toBe('mediator_required')
    const both = await c.act(dispatcher, 'disputes', dispute.id, 'dispatch', { stationKey: 'petition', villageCenterId: points[0].villageId })
    expect(both.json().code).toBe('dispatch_target_required')
    expect((await c.act(dispatcher, 'disputes', dispute.id, 'dispatch', {})).json().code).toBe('dispatch_target_required')
    expect((await c.act(dispatcher, 'disputes', dispute.id, 'dispatch', { stationKey: 'mars' })).json().code).toBe('unknown_station')
    expect((await c.act(dispatcher, 'disputes', dispute.id, 'dispatch', { villageCenterId: points[0].baseGridId })).statusCode).toBe(400)
    const ok = await c.act(dispatcher, 'disputes', dispute.id, 'dispatch', { stationKey: 'petition', tier: 'complex', mediatorName: '王调解' })
    expect(ok.statusCode, ok.body).toBe(200)
    const props = ok.json()
    expect(props).toMatchObject({ tier: 'complex', mediatorName: '王调解', version: 2 })
    expect(new Date(props.deadlineAt).getTime() - new Date(props.reportedAt).getTime()).toBe(360 * HOUR)
    const toVillage = await c.act(dispatcher, 'disputes', dispute.id, 'dispatch', { villageCenterId: points[0].villageId })
    expect(toVillage.json()).toMatchObject({ stationKey: null, villageCenterId: points[0].villageId, mediatorName: '王调解' })
  })

  it('escalates major disputes to a city department; escalation meets the 24 h deadline', async () => {
    const dispute = await newDispute({ tier: 'major', reportedAt: new Date(Date.now() - 20 * HOUR).toISOString() })
    const before = (await c.get(dispatcher, `/api/collections/disputes/items/${dispute.id}`)).json().properties
    expect(before.deadlineState).toBe('near')
    const escalated = await c.act(dispatcher, 'disputes', dispute.id, 'escalate', { department: '大理市矛盾纠纷多元化解中心', reason: '跨区域重大纠纷' })
    expect(escalated.statusCode, escalated.body).toBe(200)
    expect(escalated.json()).toMatchObject({ status: 'escalated', escalationDepartment: '大理市矛盾纠纷多元化解中心', deadlineState: 'done' })
    expect((await c.act(dispatcher, 'disputes', dispute.id, 'escalate', { department: 'x', reason: 'y' })).statusCode).toBe(409)
    expect((await c.act(dispatcher, 'disputes', dispute.id, 'escalate', { department: 'x' })).statusCode).toBe(400)
  })

  it('names the current status and the allowed actions on an illegal transition', async () => {
    const dispute = await newDispute()
    const zh = await c.act(dispatcher, 'disputes', dispute.id, 'evaluate', { satisfaction: 5 })
    expect(zh.statusCode).toBe(409)
    expect(zh.json().message).toContain('已登记')
    expect(zh.json().message).toContain('分流、上报')
    const en = await c.act(dispatcher, 'disputes', dispute.id, 'resolve', DISPUTE_BODIES.resolve, { 'accept-language': 'en' })
    expect(en.statusCode).toBe(409)
    expect(en.json().message).toMatch(/"registered".*"resolve".*dispatch, escalate/)
  })
})

describe('deadlines (督办)', () => {
  it('computes ok / near (< 25 % left) / overdue / done', async () => {
    const near = await newDispute({ reportedAt: new Date(Date.now() - 60 * HOUR).toISOString() })
    const overdue = await newDispute({ reportedAt: new Date(Date.now() - 80 * HOUR).toISOString() })
    const ok = await newDispute({ reportedAt: new Date(Date.now() - 50 * HOUR).toISOString() })
    const state = async (id: number) => (await c.get(dispatcher, `/api/collections/disputes/items/${id}`)).json().properties.deadlineState
    expect(await state(near.id)).toBe('near')
    expect(await state(overdue.id)).toBe('overdue')
    expect(await state(ok.id)).toBe('ok')
    await drive('disputes', overdue.id, ['dispatch', 'resolve'])
    expect(await state(overdue.id)).toBe('done')
    const hazard = await newHazard({ severity: 'critical', reportedAt: new Date(Date.now() - 30 * HOUR).toISOString() })
    expect((await c.get(dispatcher, `/api/collections/hazards/items/${hazard.id}`)).json().properties.deadlineState).toBe('overdue')
  })

  it('lets admins change deadline settings, applied to new cases', async () => {
    const settings = await c.get(dispatcher, '/api/deadline-settings')
    expect(settings.json().settings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'dispute', grade: 'general', hours: 72 })]))
    expect((await t.app.inject({ method: 'PUT', url: '/api/deadline-settings/dispute/general', headers: dispatcher.headers, payload: { hours: 48 } })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'PUT', url: '/api/deadline-settings/dispute/huge', headers: admin.headers, payload: { hours: 48 } })).statusCode).toBe(404)
    const changed = await t.app.inject({ method: 'PUT', url: '/api/deadline-settings/dispute/general', headers: admin.headers, payload: { hours: 48 } })
    expect(changed.statusCode, changed.body).toBe(200)
    const dispute = (await c.register(dispatcher, 'disputes', disputeFeature(points[1], [points[1].villageId]))).json().properties
    expect(new Date(dispute.deadlineAt).getTime() - new Date(dispute.reportedAt).getTime()).toBe(48 * HOUR)
    await t.app.inject({ method: 'PUT', url: '/api/deadline-settings/dispute/general', headers: admin.headers, payload: { hours: 72 } })
  })
})

describe('concurrency', () => {
  it('answers 412 with the current state for a stale If-Match, and loses nothing', async () => {
    const dispute = await newDispute()
    const first = await c.act(dispatcher, 'disputes', dispute.id, 'dispatch', { stationKey: 'legal-mediation' }, { 'if-match': '"1"' })
    expect(first.statusCode).toBe(200)
    const stale = await c.act(admin, 'disputes', dispute.id, 'escalate', { department: '市司法局', reason: '升级' }, { 'if-match': '"1"' })
    expect(stale.statusCode).toBe(412)
    expect(stale.json()).toMatchObject({ code: 'version_mismatch', currentVersion: 2, current: { id: dispute.id, status: 'dispatched', version: 2, stationKey: 'legal-mediation' } })
    const now = (await c.get(dispatcher, `/api/collections/disputes/items/${dispute.id}`))
    expect(now.headers.etag).toBe('"2"')
    expect(now.json().properties.status).toBe('dispatched')
    const events = (await c.get(dispatcher, `/api/cases/dispute/${dispute.id}/timeline`)).json().events
    expect(events.map((e: { action: string }) => e.action)).toEqual(['register', 'dispatch'])
    expect((await c.act(dispatcher, 'disputes', dispute.id, 'resolve', DISPUTE_BODIES.resolve, { 'if-match': 'banana' })).statusCode).toBe(400)
  })

  it('lets exactly one of two simultaneous changes win', async () => {
    const dispute = await newDispute()
    await drive('disputes', dispute.id, ['dispatch'])
    const [a, b] = await Promise.all([
      c.act(dispatcher, 'disputes', dispute.id, 'resolve', DISPUTE_BODIES.resolve, { 'if-match': '"2"' }),
      c.act(admin, 'disputes', dispute.id, 'resolve', { ...DISPUTE_BODIES.resolve, mode: 'apeng' }, { 'if-match': '"2"' }),
    ])
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412])
    const [x, y] = await Promise.all([
      c.act(dispatcher, 'disputes', dispute.id, 'feedback', DISPUTE_BODIES.feedback),
      c.act(admin, 'disputes', dispute.id, 'feedback', DISPUTE_BODIES.feedback),
    ])
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409])
    const events = (await c.get(dispatcher, `/api/cases/dispute/${dispute.id}/timeline`)).json().events
    expect(events.map((e: { action: string }) => e.action)).toEqual(['register', 'dispatch', 'resolve', 'feedback'])
    expect(events.map((e: { version: number }) => e.version)).toEqual([1, 2, 3, 4])
  })
})

describe('ledger (台账)', () => {
  it('refuses UPDATE, DELETE and TRUNCATE at the database level', async () => {
    const db = t.database.engine.db
    const hazard = await newHazard()
    await expect(sql`UPDATE case_events SET reason = 'tampered' WHERE case_id = ${hazard.id}`.execute(db)).rejects.toThrow(/append-only/)
    await expect(sql`DELETE FROM case_events WHERE case_id = ${hazard.id}`.execute(db)).rejects.toThrow(/append-only/)
    await expect(sql`TRUNCATE case_events`.execute(db)).rejects.toThrow(/append-only/)
    const rows = await db.selectFrom('case_events').select('reason').where('case_id', '=', hazard.id).execute()
    expect(rows).toEqual([{ reason: null }])
  })

  it('writes one entry per hazard step with before/after of the changed fields', async () => {
    const hazard = await newHazard()
    await drive('hazards', hazard.id, ['verify', 'start-rectification', 'rectify', 'close'])
    const { events, status } = (await c.get(dispatcher, `/api/cases/hazard/${hazard.id}/timeline`)).json()
    expect(status).toBe('closed')
    expect(events.map((e: { statusTo: string }) => e.statusTo)).toEqual(['reported', 'verified', 'rectifying', 'rectified', 'closed'])
    expect(events[2].changes.rectificationPlan).toEqual({ before: null, after: '三日内清理柴草堆' })
    expect(events[4].reason).toBe('复查合格')
    expect(events[4].changes.closedAt.before).toBeNull()
  })
})

describe('unknown ids', () => {
  it('answers 404 for unknown cases and leads, 400 for malformed ids', async () => {
    expect((await c.act(dispatcher, 'disputes', 999999, 'dispatch', { stationKey: 'police' })).statusCode).toBe(404)
    expect((await c.act(dispatcher, 'hazards', 999999, 'verify', {})).statusCode).toBe(404)
    expect((await c.get(dispatcher, '/api/collections/hazards/items/999999')).statusCode).toBe(404)
    expect((await c.get(dispatcher, '/api/cases/dispute/999999/timeline')).json().code).toBe('case_not_found')
    expect((await c.get(dispatcher, '/api/cases/lead/999999/timeline')).statusCode).toBe(404)
    expect((await c.get(dispatcher, '/api/cases/robbery/1/timeline')).statusCode).toBe(400)
    expect((await c.act(dispatcher, 'hazards', 0, 'verify', {})).statusCode).toBe(400)
    expect((await c.act(dispatcher, 'leads', 999999, 'verify', {})).statusCode).toBe(404)
    const hazard = await newHazard()
    expect((await c.act(dispatcher, 'disputes', hazard.id, 'dispatch', { stationKey: 'police' })).statusCode).toBe(404)
  })
})

describe('lead list (线索清单)', () => {
  it('registers, verifies and converts a lead into a dispute in one step', async () => {
    const p = points[3]
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/leads',
      headers: dispatcher.headers,
      payload: { department: '市场监管所', category: 'contract', description: '商户反映租赁合同纠纷', lon: p.lon, lat: p.lat },
    })
    expect(created.statusCode, created.body).toBe(201)
    const lead = created.json()
    expect(lead).toMatchObject({ status: 'pending', villageId: p.villageId, allowedActions: ['verify', 'dismiss'] })
    expect((await c.act(dispatcher, 'leads', lead.id, 'convert', { kind: 'dispute', category: 'contract', tier: 'general', parties: [{ name: 'A', homeVillageId: p.villageId }] })).statusCode).toBe(409)
    const verified = await c.act(dispatcher, 'leads', lead.id, 'verify', { note: '电话核实' }, { 'if-match': '"1"' })
    expect(verified.statusCode, verified.body).toBe(200)
    expect(verified.headers.etag).toBe('"2"')
    const noTier = await c.act(dispatcher, 'leads', lead.id, 'convert', { kind: 'dispute', category: 'contract' })
    expect(noTier.statusCode).toBe(400)
    const converted = await c.act(dispatcher, 'leads', lead.id, 'convert', {
      kind: 'dispute',
      category: 'contract',
      tier: 'general',
      parties: [{ name: '商户甲', homeVillageId: p.villageId }],
    })
    expect(converted.statusCode, converted.body).toBe(200)
    const { lead: after, case: newCase } = converted.json()
    expect(after).toMatchObject({ status: 'converted', convertedCase: { id: newCase.id, kind: 'dispute' } })
    expect(after.closedAt).not.toBeNull()
    expect(newCase).toMatchObject({ kind: 'dispute', source: 'lead', leadId: lead.id, description: '商户反映租赁合同纠纷', reporterName: '市场监管所' })
    const dismissed = await c.act(dispatcher, 'leads', lead.id, 'dismiss', { reason: '重复' })
    expect(dismissed.statusCode).toBe(409)
    const timeline = (await c.get(dispatcher, `/api/cases/lead/${lead.id}/timeline`)).json()
    expect(timeline.events.map((e: { action: string }) => e.action)).toEqual(['register', 'verify', 'convert'])
    expect(timeline.events[2].changes.convertedCase.after).toEqual({ kind: 'dispute', id: newCase.id })
  })

  it('dismisses a lead with a reason; a lead without a point needs one to convert', async () => {
    const make = async () =>
      (await t.app.inject({ method: 'POST', url: '/api/leads', headers: dispatcher.headers, payload: { department: '派出所', description: '群众来电反映' } })).json()
    const a = await make()
    expect(a.lon).toBeNull()
    expect((await c.act(dispatcher, 'leads', a.id, 'dismiss', {})).statusCode).toBe(400)
    const dismissed = await c.act(dispatcher, 'leads', a.id, 'dismiss', { reason: '经核查不存在' })
    expect(dismissed.json()).toMatchObject({ status: 'dismissed', dismissedReason: '经核查不存在' })
    const b = await make()
    await c.act(dispatcher, 'leads', b.id, 'verify', {})
    const noPoint = await c.act(dispatcher, 'leads', b.id, 'convert', { kind: 'hazard', category: 'fire', severity: 'low' })
    expect(noPoint.json().code).toBe('lead_location_required')
    const withPoint = await c.act(dispatcher, 'leads', b.id, 'convert', { kind: 'hazard', category: 'fire', severity: 'low', lon: points[4].lon, lat: points[4].lat })
    expect(withPoint.statusCode, withPoint.body).toBe(200)
    expect(withPoint.json().case).toMatchObject({ kind: 'hazard', status: 'reported', source: 'lead' })
    const outside = await t.app.inject({ method: 'POST', url: '/api/leads', headers: dispatcher.headers, payload: { department: 'x', description: 'y', lon: 0, lat: 0 } })
    expect(outside.statusCode).toBe(400)
    const list = (await c.get(dispatcher, '/api/leads?status=dismissed')).json().leads
    expect(list.map((l: { id: number }) => l.id)).toContain(a.id)
  })
})

describe('dispatch queue and routing rules', () => {
  it('lists registered disputes, nearest deadline first, with the station the rules suggest; admins edit the rules', async () => {
    const dispute = await newDispute({ category: 'marriage-family', reportedAt: new Date(Date.now() - 70 * HOUR).toISOString() })
    const queue = (await c.get(dispatcher, '/api/dispatch/queue')).json().items
    const entry = queue.find((item: { case: { id: number } }) => item.case.id === dispute.id)
    expect(entry).toMatchObject({ suggestedStation: 'women-children', mustEscalate: false })
    const deadlines = queue.map((item: { case: { deadlineAt: string } }) => Date.parse(item.case.deadlineAt))
    expect(deadlines).toEqual([...deadlines].sort((x, y) => x - y))
    expect(queue.every((item: { case: { status: string } }) => item.case.status === 'registered')).toBe(true)
    const rule = { stationKey: 'social-work', nameZh: '婚姻家庭纠纷', nameEn: 'Marriage and family dispute' }
    expect((await t.app.inject({ method: 'PUT', url: '/api/routing-rules/dispute/marriage-family', headers: dispatcher.headers, payload: rule })).statusCode).toBe(403)
    expect((await t.app.inject({ method: 'PUT', url: '/api/routing-rules/dispute/marriage-family', headers: admin.headers, payload: { ...rule, stationKey: 'moon' } })).statusCode).toBe(400)
    const changed = await t.app.inject({ method: 'PUT', url: '/api/routing-rules/dispute/marriage-family', headers: admin.headers, payload: rule })
    expect(changed.statusCode, changed.body).toBe(200)
    expect(changed.json()).toMatchObject({ stationKey: 'social-work', updatedBy: admin.username })
    const again = (await c.get(dispatcher, '/api/dispatch/queue')).json().items.find((item: { case: { id: number } }) => item.case.id === dispute.id)
    expect(again.suggestedStation).toBe('social-work')
    const added = await t.app.inject({ method: 'PUT', url: '/api/routing-rules/dispute/water', headers: admin.headers, payload: { stationKey: 'legal-mediation', nameZh: '用水纠纷', nameEn: 'Water dispute' } })
    expect(added.statusCode).toBe(200)
    expect((await c.register(dispatcher, 'disputes', disputeFeature(points[1], [points[1].villageId], { category: 'water' }))).statusCode).toBe(201)
    const rules = (await c.get(dispatcher, '/api/routing-rules?kind=dispute')).json().rules
    expect(rules.map((r: { category: string }) => r.category)).toContain('water')
  })

  it('counts cases per status and open ones per deadline state for the legend', async () => {
    const counts = (await c.get(dispatcher, '/api/cases/counts')).json()
    expect(counts.hazard.byStatus.reported).toBeGreaterThan(0)
    expect(counts.dispute.byStatus.evaluated).toBeGreaterThan(0)
    expect(counts.dispute.openByDeadlineState.ok).toBeGreaterThan(0)
    expect(counts.hazard.openByDeadlineState.overdue).toBeGreaterThan(0)
    expect((await c.get(dispatcher, '/api/cases/counts?bbox=0,0,1,1')).json().hazard.byStatus).toEqual({})
  })
})
