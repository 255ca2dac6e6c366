import { sql } from 'kysely'
import type { Db } from '../../server/core/db/database.ts'
import type { TestApp, TestUser } from './test-app.ts'
import { caseClient, disputeFeature, hazardFeature } from './cases.ts'

const DAY_MS = 86_400_000

/** An instant `days` before `at`. */
export function daysBefore(at: Date, days: number): Date {
  return new Date(at.getTime() - days * DAY_MS)
}

/** `point` moved `east`/`north` metres in UTM 47N (EPSG:32647), as lon/lat. */
export async function offsetMetres(db: Db, point: { lon: number; lat: number }, east: number, north: number): Promise<{ lon: number; lat: number }> {
  const { rows } = await sql<{ lon: number; lat: number }>`
    SELECT ST_X(q) AS lon, ST_Y(q) AS lat FROM (SELECT ST_Transform(ST_Translate(ST_Transform(
      ST_SetSRID(ST_MakePoint(${point.lon}::float8, ${point.lat}::float8), 4326), 32647), ${east}::float8, ${north}::float8), 4326) AS q) s`.execute(db)
  return { lon: Number(rows[0].lon), lat: Number(rows[0].lat) }
}

/** The current village containing a point, or undefined. */
export async function villageAt(db: Db, point: { lon: number; lat: number }): Promise<number | undefined> {
  const { rows } = await sql<{ id: number }>`
    SELECT area_id AS id FROM current_areas WHERE level = 'village'
      AND ST_Contains(geom, ST_SetSRID(ST_MakePoint(${point.lon}::float8, ${point.lat}::float8), 4326))`.execute(db)
  return rows[0] ? Number(rows[0].id) : undefined
}

/**
 * Two points `metres` apart (east–west) on either side of a boundary between
 * two villages; the west one still in its village `marginMeters` north, the
 * east one `marginMeters` south. The margin matters: tests move these points
 * up to 50 m that way to make clusters, and a crossing taken where the shared
 * boundary meets the township's outer border put them outside the township
 * (a 400 in CI). Ordered,
 * so that every database copy gives the same pair (a hash order spreads the tries over every pair of villages).
 */
export async function pointsAcrossVillageBoundary(db: Db, metres: number, marginMeters = 80) {
  const { rows } = await sql<{ lon: number; lat: number }>`
    SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
      SELECT (ST_DumpPoints(ST_Intersection(ST_Boundary(a.geom), ST_Boundary(b.geom)))).geom AS p, a.code AS a_code, b.code AS b_code
      FROM current_areas a JOIN current_areas b ON a.level = 'village' AND b.level = 'village' AND a.area_id < b.area_id
        AND ST_Intersects(a.geom, b.geom)
    ) s ORDER BY md5(a_code || b_code || ST_AsText(p)) LIMIT 2000`.execute(db)
  /** Whether `point` stays in `village` moved `northMeters` north. */
  const staysIn = async (point: { lon: number; lat: number }, village: number, northMeters: number) =>
    (await villageAt(db, await offsetMetres(db, point, 0, northMeters))) === village
  for (const row of rows) {
    const west = await offsetMetres(db, row, -metres / 2, 0)
    const east = await offsetMetres(db, row, metres / 2, 0)
    const [vw, ve] = [await villageAt(db, west), await villageAt(db, east)]
    if (vw === undefined || ve === undefined || vw === ve) continue
    if (!(await staysIn(west, vw, marginMeters)) || !(await staysIn(east, ve, -marginMeters))) continue
    return { west: { ...west, villageId: vw }, east: { ...east, villageId: ve } }
  }
  throw new Error('no village boundary crossing east–west found')
}

/** Registers a hazard or dispute as `user` and returns its id (throws on failure). */
export async function registerCase(
  t: TestApp,
  user: TestUser,
  kind: 'hazards' | 'disputes',
  point: { lon: number; lat: number },
  properties: Record<string, unknown>,
  partyVillages: number[] = [],
): Promise<number> {
  const feature = kind === 'hazards' ? hazardFeature(point, properties) : disputeFeature(point, partyVillages, properties)
  const response = await caseClient(t).register(user, kind, feature)
  if (response.statusCode !== 201) throw new Error(`registration failed: ${response.statusCode} ${response.body}`)
  return response.json().id as number
}
