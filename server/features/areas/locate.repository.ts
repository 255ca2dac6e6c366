import { sql } from 'kysely'
import type { Db } from '../../core/db/database.ts'
import { pointFromLonLat } from '../../core/postgis/point.ts'

/** The areas a point lies in, each with the version in force at the moment asked. */
export interface PointLocation {
  village: { areaId: number; version: number; code: string; name: string }
  baseGrid: { areaId: number; version: number; code: string; name: string } | null
  fineGrid: { areaId: number; version: number; code: string; name: string } | null
}

interface VersionRow {
  area_id: number
  version: number
  code: string
  name: string
  level: string
}

/**
 * Finds the village, base grid and fine grid containing (lon, lat) using the
 * boundary versions in force at `at` (default now). Undefined when the point
 * is in no village (outside the township, or in exempt water).
 */
export async function locatePoint(db: Db, lon: number, lat: number, at: Date = new Date()): Promise<PointLocation | undefined> {
  const { rows } = await sql<VersionRow>`
    SELECT v.area_id, v.version, v.code, v.name, a.level
    FROM area_versions v JOIN areas a ON a.id = v.area_id
    WHERE a.level IN ('village', 'base_grid', 'fine_grid')
      AND v.valid_from <= ${at} AND (v.valid_to IS NULL OR v.valid_to > ${at})
      AND ST_Intersects(v.geom, ${pointFromLonLat(lon, lat)})`.execute(db)
  const pick = (level: string) => {
    const row = rows.find((candidate) => candidate.level === level)
    return row ? { areaId: row.area_id, version: row.version, code: row.code, name: row.name } : null
  }
  const village = pick('village')
  if (!village) return undefined
  return { village, baseGrid: pick('base_grid'), fineGrid: pick('fine_grid') }
}
