import type { Db } from '../../core/db/database.ts'
import type { UserScope } from '../../core/auth/scope.ts'

/** A town of the county as listed to its users. */
export interface TownRow {
  id: number
  code: string
  name: string
  nameEn: string | null
}

/**
 * The towns the session may see, by code: every town for county users, their
 * own for town users (the scope, and row-level security on area_versions).
 */
export async function listTowns(db: Db, scope: UserScope = { kind: 'county' }): Promise<TownRow[]> {
  let query = db.selectFrom('current_areas').select(['area_id', 'code', 'name', 'name_en']).where('level', '=', 'town')
  if (scope.kind === 'town') query = query.where('area_id', '=', scope.townId)
  const rows = await query.orderBy('code').execute()
  return rows.map((row) => ({ id: row.area_id, code: row.code, name: row.name, nameEn: row.name_en }))
}

/** The ids of every town (areas of level town; identities only, no content). */
export async function allTownIds(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('areas').select('id').where('level', '=', 'town').orderBy('id').execute()
  return rows.map((row) => row.id)
}

/** Of `gridIds`, those whose current version is not in `townId`. */
export async function gridsOutsideTown(db: Db, gridIds: number[], townId: number): Promise<number[]> {
  if (gridIds.length === 0) return []
  const inside = await db
    .selectFrom('area_versions')
    .select('area_id')
    .where('area_id', 'in', gridIds)
    .where('valid_to', 'is', null)
    .where('town_id', '=', townId)
    .execute()
  const found = new Set(inside.map((row) => row.area_id))
  return gridIds.filter((id) => !found.has(id))
}

/** A village of the directory of divisions. */
export interface DirectoryVillage {
  id: number
  code: string
  name: string
  nameEn: string | null
}

/** A town of the directory of divisions with its villages, by code. */
export interface DirectoryTown extends TownRow {
  villages: DirectoryVillage[]
}

/**
 * Every town of the county with its villages in force, by code, from the
 * directory of divisions (migration 0023): names and codes only, the same for
 * every reader. A town user names a party's home village in a neighbouring
 * town with it, without seeing anything else of that town.
 */
export async function listDivisions(db: Db): Promise<DirectoryTown[]> {
  const rows = await db
    .selectFrom('division_directory')
    .select(['id', 'level', 'code', 'name', 'name_en', 'town_id'])
    .orderBy('code')
    .execute()
  const towns = new Map<number, DirectoryTown>()
  for (const row of rows) {
    if (row.level !== 'town') continue
    towns.set(Number(row.id), { id: Number(row.id), code: row.code, name: row.name, nameEn: row.name_en, villages: [] })
  }
  for (const row of rows) {
    if (row.level !== 'village') continue
    towns.get(Number(row.town_id))?.villages.push({ id: Number(row.id), code: row.code, name: row.name, nameEn: row.name_en })
  }
  return [...towns.values()]
}
