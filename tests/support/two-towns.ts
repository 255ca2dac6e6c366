import { sql } from 'kysely'
import type { Db } from '../../server/core/db/database.ts'

/** Two towns of one county: the sample town (A) and a small town (B) drawn along A's eastern border. */
export interface TwoTowns {
  townA: number
  townB: number
  /** A village of A touching B, and B's only village. */
  villageA: number
  villageB: number
  /** Two points about 100–200 m apart on either side of the border: `a` in villageA, `b` in villageB. */
  border: { a: { lon: number; lat: number }; b: { lon: number; lat: number } }
  /** A point deep inside B. */
  insideB: { lon: number; lat: number }
}

/**
 * Adds town B to the sample: one village covering what lies outside A's
 * villages in a 0.03° box around the easternmost point of A's villages, so
 * the two towns share a border and a point is never in both. Codes continue
 * the national scheme (A's county, the next township segment).
 */
export async function addSecondTown(db: Db): Promise<TwoTowns> {
  const a = await sql<{ area_id: number; county_code: string; township_seq: number }>`
    SELECT area_id, county_code, township_seq FROM current_areas WHERE level = 'town' ORDER BY code LIMIT 1`.execute(db)
  const townA = Number(a.rows[0].area_id)
  const { county_code: countyCode, township_seq: townshipSeq } = a.rows[0]
  const shape = await sql<{ geom: string; qx: number; qy: number }>`
    WITH u AS (SELECT ST_Union(geom) AS g FROM current_areas WHERE level = 'village'),
         e AS (SELECT g, ST_XMax(g) AS x, (ST_YMin(g) + ST_YMax(g)) / 2 AS y FROM u),
         q AS (SELECT g, ST_ClosestPoint(g, ST_SetSRID(ST_MakePoint(x + 1, y), 4326)) AS p FROM e)
    SELECT ST_AsText(ST_Multi(ST_CollectionExtract(ST_Difference(ST_Expand(p, 0.015), g), 3))) AS geom, ST_X(p) AS qx, ST_Y(p) AS qy FROM q`.execute(db)
  const { geom, qx, qy } = shape.rows[0]
  const insert = async (level: 'town' | 'village', parentId: number | null, villageSeq: number | null, name: string, nameEn: string) => {
    const { id } = await db.insertInto('areas').values({ level }).returning('id').executeTakeFirstOrThrow()
    await db
      .insertInto('area_versions')
      .values({
        area_id: id,
        version: 1,
        valid_from: '2000-01-01T00:00:00Z',
        parent_id: parentId,
        county_code: countyCode,
        township_seq: townshipSeq + 1,
        village_seq: villageSeq,
        grid_seq: null,
        fine_seq: null,
        name,
        name_en: nameEn,
        kind: 'standard',
        households: 0,
        population: 0,
        geom: sql`ST_GeomFromText(${geom}, 4326)`,
        synthetic: true,
        changed_by: 'test',
        change_reason: 'second town of the county views tests',
      })
      .execute()
    return Number(id)
  }
  const townB = await insert('town', null, null, '东岸镇', 'Dong’an')
  const villageB = await insert('village', townB, 201, '东岸村', 'Dong’an village')
  const points = await sql<{ village_a: number; ax: number; ay: number; bx: number; by: number; ix: number; iy: number }>`
    WITH q AS (SELECT ST_SetSRID(ST_MakePoint(${qx}::float8, ${qy}::float8), 4326) AS p),
         va AS (SELECT v.area_id, ST_PointOnSurface(ST_Intersection(v.geom, ST_Buffer(q.p, 0.001))) AS pt
                FROM current_areas v, q WHERE v.level = 'village' AND v.parent_id = ${townA} AND ST_Intersects(v.geom, ST_Buffer(q.p, 0.001))
                ORDER BY ST_Area(ST_Intersection(v.geom, ST_Buffer(q.p, 0.001))) DESC LIMIT 1),
         vb AS (SELECT ST_PointOnSurface(ST_Intersection(v.geom, ST_Buffer(q.p, 0.001))) AS pt, ST_PointOnSurface(v.geom) AS inside
                FROM current_areas v, q WHERE v.area_id = ${villageB})
    SELECT va.area_id AS village_a, ST_X(va.pt) AS ax, ST_Y(va.pt) AS ay, ST_X(vb.pt) AS bx, ST_Y(vb.pt) AS by, ST_X(vb.inside) AS ix, ST_Y(vb.inside) AS iy
    FROM va, vb`.execute(db)
  const p = points.rows[0]
  return {
    townA,
    townB,
    villageA: Number(p.village_a),
    villageB,
    border: { a: { lon: Number(p.ax), lat: Number(p.ay) }, b: { lon: Number(p.bx), lat: Number(p.by) } },
    insideB: { lon: Number(p.ix), lat: Number(p.iy) },
  }
}
