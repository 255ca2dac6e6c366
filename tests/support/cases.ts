import { sql } from 'kysely'
import type { Db } from '../../server/core/db/database.ts'
import { createUser } from '../../server/features/users/users.service.ts'
import { sessionHeaders, TEST_PASSWORD, type TestApp, type TestUser } from './test-app.ts'

/** A point inside a fine grid, with the grid, its base grid and its village. */
export interface GridPoint {
  lon: number
  lat: number
  fineGridId: number
  baseGridId: number
  villageId: number
}

/** One interior point per fine grid of the sample township, ordered by code. */
export async function gridPoints(db: Db): Promise<GridPoint[]> {
  const { rows } = await sql<GridPoint>`
    SELECT ST_X(ST_PointOnSurface(f.geom)) AS lon, ST_Y(ST_PointOnSurface(f.geom)) AS lat,
           f.area_id AS "fineGridId", b.area_id AS "baseGridId", b.parent_id AS "villageId"
    FROM current_areas f JOIN current_areas b ON b.area_id = f.parent_id
    WHERE f.level = 'fine_grid' ORDER BY f.code`.execute(db)
  return rows.map((row) => ({ ...row, fineGridId: Number(row.fineGridId), baseGridId: Number(row.baseGridId), villageId: Number(row.villageId) }))
}

/** Signs in a station user of `stationKey`. */
export async function signInStation(t: TestApp, stationKey: string): Promise<TestUser> {
  const username = `station-${stationKey}-${Math.random().toString(36).slice(2, 8)}`
  const user = await t.database.engine.db
    .transaction()
    .execute((trx) => createUser(trx, { username, password: TEST_PASSWORD, role: 'station', stationKey }, null))
  const response = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: TEST_PASSWORD } })
  const cookie = String(response.headers['set-cookie']).split(';')[0]
  return { id: user.id, username, role: 'station', cookie, headers: sessionHeaders(cookie) }
}

/** A GeoJSON Feature registering a hazard at `point`. */
export function hazardFeature(point: { lon: number; lat: number }, properties: Record<string, unknown> = {}) {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [point.lon, point.lat] },
    properties: {
      category: 'fire',
      description: '村口柴草堆靠近电线',
      severity: 'high',
      source: 'grid_worker',
      reporterName: '张网格',
      ...properties,
    },
  }
}

/** A GeoJSON Feature registering a dispute at `point` between parties of `villages`. */
export function disputeFeature(point: { lon: number; lat: number }, villages: number[], properties: Record<string, unknown> = {}) {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [point.lon, point.lat] },
    properties: {
      category: 'neighbour',
      description: '两户因排水沟占地发生争执',
      tier: 'general',
      source: 'walk_in',
      reporterName: '李群众',
      parties: villages.map((homeVillageId, index) => ({ name: `当事人${index + 1}`, homeVillageId, role: index === 0 ? 'applicant' : 'respondent' })),
      ...properties,
    },
  }
}

/** Thin request helpers bound to a test app. */
export function caseClient(t: TestApp) {
  return {
    register(user: TestUser, kind: 'hazards' | 'disputes', feature: unknown, headers: Record<string, string> = {}) {
      return t.app.inject({ method: 'POST', url: `/api/collections/${kind}/items`, headers: { ...user.headers, ...headers }, payload: feature as object })
    },
    act(user: TestUser, kind: 'hazards' | 'disputes' | 'leads', id: number, action: string, body: object = {}, headers: Record<string, string> = {}) {
      return t.app.inject({ method: 'POST', url: `/api/${kind}/${id}/${action}`, headers: { ...user.headers, ...headers }, payload: body })
    },
    get(user: TestUser, url: string, headers: Record<string, string> = {}) {
      return t.app.inject({ url, headers: { ...user.headers, ...headers } })
    },
  }
}

/** A valid body for each hazard workflow action. */
export const HAZARD_BODIES: Record<string, object> = {
  verify: { note: '现场核实属实' },
  reject: { reason: '现场无此情况' },
  'start-rectification': { plan: '三日内清理柴草堆' },
  rectify: { note: '已清理完毕' },
  close: { reason: '复查合格' },
}

/** A valid body for each dispute workflow action. */
export const DISPUTE_BODIES: Record<string, object> = {
  dispatch: { stationKey: 'legal-mediation' },
  escalate: { department: '市信访局', reason: '涉及多部门' },
  resolve: { mode: 'jinhua', outcome: 'agreement', note: '双方签订调解协议' },
  feedback: { note: '已电话告知双方及报告人' },
  evaluate: { satisfaction: 5, note: '满意' },
}
