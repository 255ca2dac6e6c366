import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase, type TestDatabase, ENGINE_UNDER_TEST } from '../support/test-database.ts'

let database: TestDatabase

beforeAll(async () => {
  database = await openTestDatabase()
})
afterAll(() => database?.dispose())

const TOLERANCE_M2 = 1

describe(`sample township topology in PostGIS (${ENGINE_UNDER_TEST})`, () => {
  it('has 1 town, 13 villages, 5–10 base grids per village, 3–6 fine grids per base grid', async () => {
    const { rows } = await sql<{ level: string; n: number }>`
      SELECT level, count(*)::int AS n FROM current_areas GROUP BY level`.execute(database.engine.db)
    const counts = Object.fromEntries(rows.map((row) => [row.level, Number(row.n)]))
    expect(counts.town).toBe(1)
    expect(counts.village).toBe(13)
    const { rows: children } = await sql<{ level: string; min: number; max: number }>`
      SELECT p.level, min(c.n)::int AS min, max(c.n)::int AS max
      FROM current_areas p
      JOIN (SELECT parent_id, count(*) AS n FROM current_areas GROUP BY parent_id) c ON c.parent_id = p.area_id
      GROUP BY p.level`.execute(database.engine.db)
    const byLevel = Object.fromEntries(children.map((row) => [row.level, row]))
    expect(byLevel.village.min).toBeGreaterThanOrEqual(5)
    expect(byLevel.village.max).toBeLessThanOrEqual(10)
    expect(byLevel.base_grid.min).toBeGreaterThanOrEqual(3)
    expect(byLevel.base_grid.max).toBeLessThanOrEqual(6)
  })

  it('stores only valid MultiPolygons in EPSG:4326', async () => {
    const { rows } = await sql<{ code: string; reason: string }>`
      SELECT code, ST_IsValidReason(geom) AS reason FROM current_areas
      WHERE NOT ST_IsValid(geom) OR GeometryType(geom) <> 'MULTIPOLYGON' OR ST_SRID(geom) <> 4326`.execute(database.engine.db)
    expect(rows).toEqual([])
  })

  it('keeps every child inside its parent', async () => {
    const { rows } = await sql<{ code: string; outside: number }>`
      SELECT c.code, ST_Area(ST_Difference(c.geom, p.geom)::geography) AS outside
      FROM current_areas c JOIN current_areas p ON p.area_id = c.parent_id
      WHERE ST_Area(ST_Difference(c.geom, p.geom)::geography) >= ${TOLERANCE_M2}`.execute(database.engine.db)
    expect(rows).toEqual([])
  })

  it('has no overlap between siblings', async () => {
    const { rows } = await sql<{ a: string; b: string; overlap: number }>`
      SELECT a.code AS a, b.code AS b, ST_Area(ST_Intersection(a.geom, b.geom)::geography) AS overlap
      FROM current_areas a JOIN current_areas b
        ON a.parent_id = b.parent_id AND a.area_id < b.area_id AND a.geom && b.geom
      WHERE ST_Intersects(a.geom, b.geom)
        AND ST_Area(ST_Intersection(a.geom, b.geom)::geography) >= ${TOLERANCE_M2}`.execute(database.engine.db)
    expect(rows).toEqual([])
  })

  it('covers each parent with its children, except the water it exempts', async () => {
    const { rows } = await sql<{ code: string; parent: number; children: number }>`
      SELECT p.code,
             ST_Area(ST_Difference(p.geom, coalesce(p.exempt_geom, 'SRID=4326;MULTIPOLYGON EMPTY'::geometry))::geography) AS parent,
             sum(ST_Area(c.geom::geography)) AS children
      FROM current_areas p JOIN current_areas c ON c.parent_id = p.area_id
      GROUP BY p.area_id, p.code, p.geom, p.exempt_geom`.execute(database.engine.db)
    expect(rows.length).toBe(1 + 13 + rows.filter((row) => row.code.length === 15).length)
    for (const row of rows) {
      expect(Math.abs(row.parent - row.children) / row.parent, row.code).toBeLessThan(1e-4)
    }
  })

  it('spans about 199 km² and sums population up the hierarchy', async () => {
    const { rows } = await sql<{ km2: number; population: number }>`
      SELECT ST_Area(geom::geography) / 1e6 AS km2, population FROM current_areas WHERE level = 'town'`.execute(database.engine.db)
    expect(rows[0].km2).toBeGreaterThan(185)
    expect(rows[0].km2).toBeLessThan(215)
    const { rows: mismatched } = await sql<{ code: string }>`
      SELECT p.code FROM current_areas p JOIN current_areas c ON c.parent_id = p.area_id
      GROUP BY p.code, p.population HAVING sum(c.population) <> p.population`.execute(database.engine.db)
    expect(mismatched).toEqual([])
  })
})
