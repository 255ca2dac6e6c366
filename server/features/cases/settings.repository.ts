import type { Db } from '../../core/db/database.ts'
import type { CaseKind } from '../../core/db/tables/case.ts'

/** A routing rule: a category of a kind, its labels and its default station. */
export interface RoutingRuleRow {
  kind: CaseKind
  category: string
  name_zh: string
  name_en: string
  station_key: string
  sort_order: number
  updated_at: Date
  updated_by: string
}

/** Every routing rule, by kind then display order. */
export async function listRoutingRules(db: Db, kind?: CaseKind): Promise<RoutingRuleRow[]> {
  let q = db.selectFrom('case_routing_rules').selectAll()
  if (kind) q = q.where('kind', '=', kind)
  return q.orderBy('kind').orderBy('sort_order').orderBy('category').execute()
}

/** One routing rule, or undefined. */
export async function findRoutingRule(db: Db, kind: CaseKind, category: string): Promise<RoutingRuleRow | undefined> {
  return db.selectFrom('case_routing_rules').selectAll().where('kind', '=', kind).where('category', '=', category).executeTakeFirst()
}

/** Creates or replaces a routing rule. */
export async function upsertRoutingRule(
  db: Db,
  rule: { kind: CaseKind; category: string; nameZh: string; nameEn: string; stationKey: string; sortOrder?: number; updatedBy: string },
): Promise<RoutingRuleRow> {
  const values = {
    name_zh: rule.nameZh,
    name_en: rule.nameEn,
    station_key: rule.stationKey,
    sort_order: rule.sortOrder ?? 100,
    updated_by: rule.updatedBy,
    updated_at: new Date(),
  }
  return db
    .insertInto('case_routing_rules')
    .values({ kind: rule.kind, category: rule.category, ...values })
    .onConflict((oc) => oc.columns(['kind', 'category']).doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** A deadline setting. */
export interface DeadlineSettingRow {
  kind: CaseKind
  grade: string
  hours: number
  updated_at: Date
  updated_by: string
}

/** Every deadline setting. */
export async function listDeadlineSettings(db: Db): Promise<DeadlineSettingRow[]> {
  return db.selectFrom('case_deadline_settings').selectAll().orderBy('kind').orderBy('hours').execute()
}

/** Hours allowed for a tier or severity. */
export async function findDeadlineHours(db: Db, kind: CaseKind, grade: string): Promise<number> {
  const row = await db
    .selectFrom('case_deadline_settings')
    .select('hours')
    .where('kind', '=', kind)
    .where('grade', '=', grade)
    .executeTakeFirstOrThrow()
  return row.hours
}

/** Changes the hours of a tier or severity; undefined when there is no such grade. */
export async function updateDeadlineHours(
  db: Db,
  kind: CaseKind,
  grade: string,
  hours: number,
  updatedBy: string,
): Promise<DeadlineSettingRow | undefined> {
  return db
    .updateTable('case_deadline_settings')
    .set({ hours, updated_by: updatedBy, updated_at: new Date() })
    .where('kind', '=', kind)
    .where('grade', '=', grade)
    .returningAll()
    .executeTakeFirst()
}

/** Station keys that exist. */
export async function listStationKeys(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('stations').select('key').where('kind', '=', 'station').orderBy('sort_order').execute()
  return rows.map((row) => row.key)
}

/**
 * Ids among `ids` that are not villages in force anywhere in the county: a
 * dispute's party may live in another town's village, so this reads the
 * directory of divisions (names and codes only, readable by every town;
 * migration 0023), not the caller's areas.
 */
export async function findNonCountyVillageIds(db: Db, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return []
  const rows = await db.selectFrom('division_directory').select('id').where('id', 'in', ids).where('level', '=', 'village').execute()
  const found = new Set(rows.map((row) => Number(row.id)))
  return [...new Set(ids)].filter((id) => !found.has(id))
}

/** Ids among `ids` that are not current villages of the caller's town (row-level security) or, at the county, of any town. */
export async function findNonVillageIds(db: Db, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return []
  const rows = await db.selectFrom('current_areas').select('area_id').where('area_id', 'in', ids).where('level', '=', 'village').execute()
  const found = new Set(rows.map((row) => row.area_id))
  return [...new Set(ids)].filter((id) => !found.has(id))
}
