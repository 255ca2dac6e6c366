import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readConfig } from '../../server/config.ts'
import { openEngine, type DbEngine } from '../../server/core/db/engine.ts'
import { SYSTEM_SCOPE } from '../../server/core/db/db-scope.ts'
import { prepareDatabase, type PrepareReport } from '../../server/bootstrap.ts'
import { readCountyManifest, type SampleCountyManifest } from '../../server/seed/sample-county.ts'
import { adminQuery, withDatabase } from '../setup/template.ts'
import { ENGINE_UNDER_TEST } from '../support/test-database.ts'
import { openBlankEngine } from '../support/blank-database.ts'

/** A small year, so the test stays quick on PGlite; `npm start` loads 8,400 cases. (The hook allows 10 min: opening and migrating a fresh PGlite took 5 min on a machine loaded 12× its cores.) */
const CASES = 800

let engine: DbEngine
let report: PrepareReport
let manifest: SampleCountyManifest
let dispose: () => Promise<void>

beforeAll(async () => {
  const config = readConfig({ SAMPLE_COUNTY: 'on' })
  manifest = await readCountyManifest(config.countyDir)
  // An empty database: the test template already holds Xizhou.
  const url = process.env.TEST_DATABASE_URL
  if (url) {
    const name = `gridatlas_county_${randomBytes(6).toString('hex')}`
    await adminQuery(url, `CREATE DATABASE ${name}`)
    engine = await openEngine({ databaseUrl: withDatabase(url, name), poolSize: 2, defaultScope: SYSTEM_SCOPE })
    dispose = async () => {
      await engine.close()
      await adminQuery(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    }
  } else {
    engine = await openBlankEngine({ defaultScope: SYSTEM_SCOPE })
    dispose = () => engine.close()
  }
  report = await prepareDatabase(engine, { ...config, loadSample: true, adminPassword: 'county-test-password-1', countyActivity: { cases: CASES, keyPersons: 80, leads: 20 } })
}, 600_000)
afterAll(() => dispose?.())

describe(`SAMPLE_COUNTY=on (${ENGINE_UNDER_TEST})`, () => {
  it('is off by default and refuses a value that is neither on nor off', () => {
    expect(readConfig({}).sampleCounty).toBe(false)
    expect(readConfig({ SAMPLE_COUNTY: 'ON' }).sampleCounty).toBe(true)
    expect(() => readConfig({ SAMPLE_COUNTY: 'county' })).toThrow(/SAMPLE_COUNTY must be "on" or "off"/)
  })

  it('loads every town of the county with its areas, staff and a year of activity in each town', async () => {
    const db = engine.db
    expect(manifest.towns.length).toBeGreaterThanOrEqual(8)
    const { rows: towns } = await sql<{ code: string; name: string; areas: number; cases: number; staff: number }>`
      SELECT t.code, t.name,
        (SELECT count(*)::int FROM current_areas a WHERE a.code LIKE left(t.code, 9) || '%') AS areas,
        (SELECT count(*)::int FROM cases c JOIN current_areas v ON v.area_id = c.village_id WHERE v.parent_id = t.area_id) AS cases,
        (SELECT count(DISTINCT g.staff_id)::int FROM grid_assignments g JOIN current_areas a ON a.area_id = g.area_id
          WHERE a.code LIKE left(t.code, 9) || '%') AS staff
      FROM current_areas t WHERE t.level = 'town' ORDER BY t.code`.execute(db)
    expect(towns.map((t) => t.code)).toEqual(manifest.towns.map((t) => t.code).sort())
    expect(towns.find((t) => t.code === '532901101000')?.name).toBe('喜洲镇')
    expect(towns.reduce((sum, t) => sum + t.areas, 0)).toBe(report.sample!.areas)
    for (const town of towns) {
      expect(town.areas, town.code).toBeGreaterThan(100)
      expect(town.staff, town.code).toBeGreaterThan(100)
      expect(town.cases, town.code).toBeGreaterThan(0)
    }
    expect(report.activity!.hazards + report.activity!.disputes).toBe(CASES)
    const { rows: users } = await sql<{ username: string }>`SELECT username FROM users WHERE username LIKE '%-dispatcher' ORDER BY username`.execute(db)
    expect(users.map((u) => u.username)).toEqual(manifest.towns.map((t) => `${t.slug}-dispatcher`).sort())
  })

  it('records each case’s ledger by the sample users of its own town', async () => {
    const { rows } = await sql<{ town: string; username: string }>`
      SELECT DISTINCT left(t.code, 9) AS town, e.username
      FROM cases c
      JOIN current_areas v ON v.area_id = c.village_id
      JOIN current_areas t ON t.area_id = v.parent_id
      JOIN case_events e ON e.case_id = c.id
      WHERE c.lead_id IS NULL`.execute(engine.db)
    const slugByTown = new Map(manifest.towns.map((t) => [t.code.slice(0, 9), t.slug]))
    expect(rows.length).toBeGreaterThan(manifest.towns.length)
    for (const row of rows) expect(row.username, row.town).toMatch(new RegExp(`^${slugByTown.get(row.town)}-`))
  })

  it('stores towns that tile the county in PostGIS: valid, no overlap, areas adding up to the county', async () => {
    const { rows } = await sql<{ invalid: number; overlap_m2: number; towns_km2: number }>`
      WITH t AS (SELECT area_id, geom FROM current_areas WHERE level = 'town')
      SELECT (SELECT count(*)::int FROM t WHERE NOT ST_IsValid(geom)) AS invalid,
        (SELECT coalesce(max(ST_Area(ST_Intersection(a.geom, b.geom)::geography)), 0)
           FROM t a JOIN t b ON a.area_id < b.area_id AND a.geom && b.geom) AS overlap_m2,
        (SELECT sum(ST_Area(geom::geography)) / 1e6 FROM t) AS towns_km2`.execute(engine.db)
    expect(rows[0].invalid).toBe(0)
    expect(Number(rows[0].overlap_m2)).toBeLessThan(1)
    // county.geojson: 1341.1 km² (turf's spherical area; PostGIS's spheroid differs by a fraction of a per cent).
    expect(Number(rows[0].towns_km2)).toBeGreaterThan(1330)
    expect(Number(rows[0].towns_km2)).toBeLessThan(1352)
  })
})
