import { sql } from 'kysely'
import type { Db } from '../../core/db/database.ts'
import type { PointLocation } from './locate.repository.ts'
import { pointFromLonLat } from '../../core/postgis/point.ts'

/** A point to locate and the moment whose boundary versions apply. */
export interface PointAt {
  lon: number
  lat: number
  at: Date
}

interface LocatedRow {
  i: number
  area_id: number
  version: number
  code: string
  name: string
  level: 'village' | 'base_grid' | 'fine_grid'
}

/**
 * {@link locatePoint} for many points in one statement: a spatial join of the
 * points (sent as one JSON array) with the area versions in force at each
 * point's own moment. Returns one location per point, in order; undefined
 * for a point in no village. Where a point lies on a shared edge, the area
 * with the lowest id wins.
 */
export async function locatePoints(db: Db, points: readonly PointAt[]): Promise<Array<PointLocation | undefined>> {
  if (points.length === 0) return []
  const payload = JSON.stringify(points.map((point, i) => ({ i, lon: point.lon, lat: point.lat, at: point.at.toISOString() })))
  const { rows } = await sql<LocatedRow>`
    WITH p AS (
      SELECT r.i, r.at, ${pointFromLonLat(sql.ref('r.lon'), sql.ref('r.lat'))} AS geom
      FROM json_to_recordset(${payload}::json) AS r(i integer, lon float8, lat float8, at timestamptz)
    )
    SELECT DISTINCT ON (p.i, a.level) p.i, v.area_id, v.version, v.code, v.name, a.level
    FROM p
    JOIN area_versions v ON ST_Intersects(v.geom, p.geom) AND v.valid_from <= p.at AND (v.valid_to IS NULL OR v.valid_to > p.at)
    JOIN areas a ON a.id = v.area_id AND a.level IN ('village', 'base_grid', 'fine_grid')
    ORDER BY p.i, a.level, v.area_id`.execute(db)
  const located: Array<PointLocation | undefined> = new Array(points.length).fill(undefined)
  const partial = new Map<number, Partial<Record<LocatedRow['level'], PointLocation['village']>>>()
  for (const row of rows) {
    const entry = partial.get(row.i) ?? {}
    entry[row.level] = { areaId: Number(row.area_id), version: row.version, code: row.code, name: row.name }
    partial.set(row.i, entry)
  }
  for (const [i, entry] of partial) {
    if (entry.village) located[i] = { village: entry.village, baseGrid: entry.base_grid ?? null, fineGrid: entry.fine_grid ?? null }
  }
  return located
}
