import { sql } from 'kysely'
import type { TestApp, TestUser } from './test-app.ts'

/** A fine grid with its base grid and village, and a point inside it. */
export interface GridSpot {
  fineGridId: number
  baseGridId: number
  villageId: number
  baseGridName: string
  lon: number
  lat: number
}

/** `count` fine grids from different base grids, each with an interior point. */
export async function gridSpots(t: TestApp, count: number): Promise<GridSpot[]> {
  const { rows } = await sql<{ fine: number; base: number; village: number; base_name: string; lon: number; lat: number }>`
    SELECT DISTINCT ON (b.area_id) f.area_id AS fine, b.area_id AS base, b.parent_id AS village, b.name AS base_name,
      ST_X(ST_PointOnSurface(f.geom)) AS lon, ST_Y(ST_PointOnSurface(f.geom)) AS lat
    FROM current_areas f JOIN current_areas b ON b.area_id = f.parent_id
    WHERE f.level = 'fine_grid'
    ORDER BY b.area_id, f.area_id
    LIMIT ${count}`.execute(t.database.engine.db)
  return rows.map((row) => ({
    fineGridId: Number(row.fine),
    baseGridId: Number(row.base),
    villageId: Number(row.village),
    baseGridName: row.base_name,
    lon: Number(row.lon),
    lat: Number(row.lat),
  }))
}

/** A registration body for a person at `spot`. */
export function personBody(spot: GridSpot, overrides: Record<string, unknown> = {}) {
  return {
    name: '杨某某',
    gender: 'male',
    birthYear: 1975,
    idNumber: '532901197501011234',
    phone: '13812345678',
    address: '喜洲镇某村某组 18 号',
    household: { lon: spot.lon, lat: spot.lat },
    category: 'released_prisoner',
    colour: 'red',
    ...overrides,
  }
}

/** Registers a person through the API as `user`; returns the response body. */
export async function registerPerson(t: TestApp, user: TestUser, spot: GridSpot, overrides: Record<string, unknown> = {}) {
  const response = await t.app.inject({ method: 'POST', url: '/api/key-persons', headers: user.headers, payload: personBody(spot, overrides) })
  if (response.statusCode !== 201) throw new Error(`registration failed: ${response.statusCode} ${response.body}`)
  return response.json()
}

/** Audit entries as the database holds them (newest first). */
export async function auditRows(t: TestApp) {
  const { rows } = await sql<{ id: number; username: string; action: string; subject_ids: Array<number | string>; fields: string[]; reason: string | null }>`
    SELECT id, username, action, subject_ids, fields, reason FROM audit_log ORDER BY id DESC`.execute(t.database.engine.db)
  return rows.map((row) => ({ ...row, subject_ids: row.subject_ids.map(Number) }))
}
