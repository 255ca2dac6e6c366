import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Db } from '../core/db/database.ts'
import type { AreaKind, AreaLevel } from '../core/db/tables/area.ts'
import { multiFromGeoJson } from '../core/postgis/geojson.ts'
import { setMeta } from '../core/db/app-meta.repository.ts'

/** Properties of an area feature in `geodata/xizhou/*.geojson`. */
interface AreaProperties {
  code: string
  level: AreaLevel
  countyCode: string
  townshipSeq: number
  villageSeq: number | null
  gridSeq: number | null
  fineSeq: number | null
  parentCode: string | null
  name: string
  nameEn?: string | null
  kind: AreaKind
  households: number
  population: number
  synthetic?: boolean
}

interface FeatureCollection<P> {
  features: Array<{ geometry: unknown; properties: P }>
}

interface StaffEntry {
  key: string
  name: string
  phone?: string
  duties: Array<{ areaCode: string; duty: 'leader' | 'worker' }>
}

/** When the sample boundaries take effect: before any sample activity. */
export const SAMPLE_VALID_FROM = '2025-01-01T00:00:00+08:00'

const AREA_FILES = ['town.geojson', 'villages.geojson', 'base-grids.geojson', 'fine-grids.geojson']

/** Figures about a loaded sample township. */
export interface SampleSeedReport {
  areas: number
  staff: number
  townName: string
  townCode: string
}

async function readJson<T>(dir: string, file: string): Promise<T> {
  return JSON.parse(await readFile(join(dir, file), 'utf8')) as T
}

/**
 * Loads the sample township from `geodataDir` into an empty schema: the area
 * hierarchy (parents before children), the water its children need not cover,
 * staff and their duties. Run it inside a transaction.
 */
export async function seedSampleTownship(db: Db, geodataDir: string): Promise<SampleSeedReport> {
  const idsByCode = new Map<string, number>()
  let town: AreaProperties | undefined
  for (const file of AREA_FILES) {
    const collection = await readJson<FeatureCollection<AreaProperties>>(geodataDir, file)
    for (const feature of collection.features) {
      const id = await insertArea(db, feature.properties, JSON.stringify(feature.geometry), idsByCode)
      idsByCode.set(feature.properties.code, id)
      if (feature.properties.level === 'town') town = feature.properties
    }
  }
  if (!town) throw new Error(`No town in ${geodataDir}/town.geojson`)
  await loadExemptWater(db, geodataDir, idsByCode)
  const staff = await loadStaff(db, geodataDir, idsByCode)
  await setMeta(db, 'sample', { name: town.name, nameEn: town.nameEn, code: town.code, loadedAt: new Date() })
  return { areas: idsByCode.size, staff, townName: town.name, townCode: town.code }
}

async function insertArea(
  db: Db,
  area: AreaProperties,
  geometry: string,
  idsByCode: Map<string, number>,
): Promise<number> {
  const parentId = area.parentCode ? idsByCode.get(area.parentCode) : null
  if (parentId === undefined) throw new Error(`Area ${area.code}: parent ${area.parentCode} not loaded before it`)
  const { id } = await db.insertInto('areas').values({ level: area.level }).returning('id').executeTakeFirstOrThrow()
  await db
    .insertInto('area_versions')
    .values({
      area_id: id,
      version: 1,
      valid_from: SAMPLE_VALID_FROM,
      parent_id: parentId,
      county_code: area.countyCode,
      township_seq: area.townshipSeq,
      village_seq: area.villageSeq,
      grid_seq: area.gridSeq,
      fine_seq: area.fineSeq,
      name: area.name,
      name_en: area.nameEn ?? null,
      kind: area.kind,
      households: area.households,
      population: area.population,
      geom: multiFromGeoJson(geometry),
      synthetic: area.synthetic ?? true,
      changed_by: 'sample-data',
      change_reason: 'Sample township loaded (synthetic boundaries)',
    })
    .execute()
  return id
}

async function loadExemptWater(db: Db, dir: string, idsByCode: Map<string, number>): Promise<void> {
  const exempt = await readJson<FeatureCollection<{ parentCode: string }>>(dir, 'exempt.geojson')
  for (const feature of exempt.features) {
    const areaId = idsByCode.get(feature.properties.parentCode)
    if (areaId === undefined) throw new Error(`exempt.geojson names unknown area ${feature.properties.parentCode}`)
    await db
      .updateTable('area_versions')
      .set({ exempt_geom: multiFromGeoJson(JSON.stringify(feature.geometry)) })
      .where('area_id', '=', areaId)
      .where('valid_to', 'is', null)
      .execute()
  }
}

async function loadStaff(db: Db, dir: string, idsByCode: Map<string, number>): Promise<number> {
  const entries = await readJson<StaffEntry[]>(dir, 'staff.json')
  for (const entry of entries) {
    const { id } = await db
      .insertInto('staff')
      .values({ staff_key: entry.key, name: entry.name, phone: entry.phone ?? null, synthetic: true })
      .returning('id')
      .executeTakeFirstOrThrow()
    const duties = entry.duties.map((duty) => {
      const areaId = idsByCode.get(duty.areaCode)
      if (areaId === undefined) throw new Error(`staff.json: ${entry.key} serves unknown area ${duty.areaCode}`)
      return { area_id: areaId, staff_id: id, duty: duty.duty, valid_from: SAMPLE_VALID_FROM }
    })
    if (duties.length > 0) await db.insertInto('grid_assignments').values(duties).execute()
  }
  return entries.length
}
