import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { sql } from 'kysely'
import type { Db } from '../core/db/database.ts'
import { setMeta } from '../core/db/app-meta.repository.ts'
import { multiFromGeoJson } from '../core/postgis/geojson.ts'
import { SAMPLE_VALID_FROM, type SampleSeedReport } from './sample-township.ts'

/**
 * The year of activity loaded with the county: twice Xizhou's alone (spread over
 * the towns by the same draws, so mostly by population), full ledgers, and
 * a start that stays quick.
 */
export const COUNTY_ACTIVITY: { cases: number; keyPersons: number; leads: number } = { cases: 8400, keyPersons: 600, leads: 200 }

/** A town of `geodata/county/county.json`. */
export interface SampleCountyTown {
  /** Folder of its files, relative to the county folder. */
  dir: string
  /** Prefix of its sample usernames. */
  slug: string
  code: string
  name: string
  nameEn: string
  population: number
}

/** `geodata/county/county.json`. */
export interface SampleCountyManifest {
  countyCode: string
  name: string
  nameEn: string
  towns: SampleCountyTown[]
}

/** Figures about a loaded sample county. */
export interface SampleCountySeedReport extends SampleSeedReport {
  towns: SampleCountyTown[]
}

interface FeatureCollection<P> {
  features: Array<{ geometry: unknown; properties: P }>
}

interface AreaProperties {
  code: string
  level: string
  countyCode: string
  townshipSeq: number
  villageSeq: number | null
  gridSeq: number | null
  fineSeq: number | null
  parentCode: string | null
  name: string
  nameEn?: string | null
  kind: string
  households: number
  population: number
  synthetic?: boolean
}

interface StaffEntry {
  key: string
  name: string
  phone?: string
  duties: Array<{ areaCode: string; duty: 'leader' | 'worker' }>
}

const AREA_FILES = ['town.geojson', 'villages.geojson', 'base-grids.geojson', 'fine-grids.geojson']
/** Rows per INSERT: a few hundred geometries of a few kB each. */
const CHUNK = 400

async function readJson<T>(dir: string, file: string): Promise<T> {
  return JSON.parse(await readFile(join(dir, file), 'utf8')) as T
}

/** Reads `county.json` from the county folder. */
export async function readCountyManifest(countyDir: string): Promise<SampleCountyManifest> {
  return readJson<SampleCountyManifest>(countyDir, 'county.json')
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK))
  return out
}

/**
 * Inserts one level of areas in a few statements: ids drawn from the areas'
 * identity sequence first (so each row knows its id without relying on the
 * order RETURNING gives), then `areas` and their first `area_versions` from
 * JSON, exactly the values the one-town loader writes row by row.
 */
async function insertAreas(db: Db, features: FeatureCollection<AreaProperties>['features'], idsByCode: Map<string, number>): Promise<void> {
  for (const part of chunks(features)) {
    const { rows } = await sql<{ id: string }>`
      SELECT nextval(pg_get_serial_sequence('areas', 'id')) AS id FROM generate_series(1, ${part.length})`.execute(db)
    const records = part.map(({ properties: p, geometry }, i) => {
      const parentId = p.parentCode ? idsByCode.get(p.parentCode) : null
      if (parentId === undefined) throw new Error(`Area ${p.code}: parent ${p.parentCode} not loaded before it`)
      idsByCode.set(p.code, Number(rows[i].id))
      return {
        id: Number(rows[i].id),
        level: p.level,
        parent_id: parentId,
        county_code: p.countyCode,
        township_seq: p.townshipSeq,
        village_seq: p.villageSeq,
        grid_seq: p.gridSeq,
        fine_seq: p.fineSeq,
        name: p.name,
        name_en: p.nameEn ?? null,
        kind: p.kind,
        households: p.households,
        population: p.population,
        synthetic: p.synthetic ?? true,
        geometry: JSON.stringify(geometry),
      }
    })
    const json = JSON.stringify(records)
    await sql`
      INSERT INTO areas (id, level) OVERRIDING SYSTEM VALUE
      SELECT r.id, r.level FROM json_to_recordset(${json}::json) AS r(id bigint, level text)`.execute(db)
    await sql`
      INSERT INTO area_versions (area_id, version, valid_from, parent_id, county_code, township_seq, village_seq, grid_seq,
        fine_seq, name, name_en, kind, households, population, geom, synthetic, changed_by, change_reason)
      SELECT r.id, 1, ${SAMPLE_VALID_FROM}::timestamptz, r.parent_id, r.county_code, r.township_seq, r.village_seq, r.grid_seq,
        r.fine_seq, r.name, r.name_en, r.kind, r.households, r.population, ${multiFromGeoJson(sql.ref('r.geometry'))}, r.synthetic,
        'sample-data', 'Sample county loaded (synthetic boundaries)'
      FROM json_to_recordset(${json}::json) AS r(id bigint, parent_id bigint, county_code text, township_seq int, village_seq int,
        grid_seq int, fine_seq int, name text, name_en text, kind text, households int, population int, synthetic boolean, geometry text)
      ORDER BY r.id`.execute(db)
  }
}

async function loadExemptWater(db: Db, dir: string, idsByCode: Map<string, number>): Promise<void> {
  const exempt = await readJson<FeatureCollection<{ parentCode: string }>>(dir, 'exempt.geojson')
  for (const feature of exempt.features) {
    const areaId = idsByCode.get(feature.properties.parentCode)
    if (areaId === undefined) throw new Error(`${dir}/exempt.geojson names unknown area ${feature.properties.parentCode}`)
    await db
      .updateTable('area_versions')
      .set({ exempt_geom: multiFromGeoJson(JSON.stringify(feature.geometry)) })
      .where('area_id', '=', areaId)
      .where('valid_to', 'is', null)
      .execute()
  }
}

/**
 * Inserts a town's staff and their duties in a few statements; staff keys are unique, so they
 * map rows back to ids. Staff name their town: with several towns the database cannot guess it.
 */
async function loadStaff(db: Db, dir: string, idsByCode: Map<string, number>, townId: number): Promise<number> {
  const entries = await readJson<StaffEntry[]>(dir, 'staff.json')
  for (const part of chunks(entries)) {
    const staff = part.map((entry) => ({ key: entry.key, name: entry.name, phone: entry.phone ?? null }))
    const { rows } = await sql<{ id: string; staff_key: string }>`
      INSERT INTO staff (staff_key, name, phone, synthetic, town_id)
      SELECT r.key, r.name, r.phone, true, ${townId}::bigint FROM json_to_recordset(${JSON.stringify(staff)}::json) AS r(key text, name text, phone text)
      RETURNING id, staff_key`.execute(db)
    const staffIds = new Map(rows.map((row) => [row.staff_key, Number(row.id)]))
    const duties = part.flatMap((entry) =>
      entry.duties.map((duty) => {
        const areaId = idsByCode.get(duty.areaCode)
        if (areaId === undefined) throw new Error(`${dir}/staff.json: ${entry.key} serves unknown area ${duty.areaCode}`)
        return { area_id: areaId, staff_id: staffIds.get(entry.key)!, duty: duty.duty }
      }),
    )
    await sql`
      INSERT INTO grid_assignments (area_id, staff_id, duty, valid_from)
      SELECT r.area_id, r.staff_id, r.duty, ${SAMPLE_VALID_FROM}::timestamptz
      FROM json_to_recordset(${JSON.stringify(duties)}::json) AS r(area_id bigint, staff_id bigint, duty text)`.execute(db)
  }
  return entries.length
}

/**
 * Loads the sample county from `countyDir` (`county.json` lists its towns, Xizhou's
 * folder among them) into an empty schema: each town's areas level by level in
 * bulk, its exempt water and its staff. Records carry no town of their own: the
 * database derives it from the area. Run it inside a transaction.
 */
export async function seedSampleCounty(db: Db, countyDir: string): Promise<SampleCountySeedReport> {
  const manifest = await readCountyManifest(countyDir)
  const idsByCode = new Map<string, number>()
  let staff = 0
  for (const town of manifest.towns) {
    const dir = resolve(countyDir, town.dir)
    for (const file of AREA_FILES) {
      await insertAreas(db, (await readJson<FeatureCollection<AreaProperties>>(dir, file)).features, idsByCode)
    }
    if (!idsByCode.has(town.code)) throw new Error(`${dir}/town.geojson does not hold town ${town.code}`)
    await loadExemptWater(db, dir, idsByCode)
    staff += await loadStaff(db, dir, idsByCode, idsByCode.get(town.code)!)
  }
  const code = `${manifest.countyCode}000000`
  await setMeta(db, 'sample', {
    name: manifest.name,
    nameEn: manifest.nameEn,
    code,
    county: true,
    towns: manifest.towns.map(({ code, slug, name }) => ({ code, slug, name })),
    loadedAt: new Date(),
  })
  return { areas: idsByCode.size, staff, townName: manifest.name, townCode: code, towns: manifest.towns }
}
