import type { Db } from '../../core/db/database.ts'
import type { Colour } from '../../core/db/tables/key-person.ts'

/** A key-person category. */
export interface CategoryRow {
  key: string
  labelZh: string
  labelEn: string
  sortOrder: number
  active: boolean
}

/** A colour and its visit frequency. */
export interface ColourRow {
  colour: Colour
  labelZh: string
  labelEn: string
  visitIntervalDays: number
  sortOrder: number
}

/** The module's settings. */
export interface KeyPersonSettingsRow {
  retentionDays: number
  dueSoonDays: number
  /** Smallest key-person count shown to roles that see counts only (k); also the rounding base. */
  minAggregateCount: number
}

/** All categories, active or not, in display order. */
export async function listCategories(db: Db): Promise<CategoryRow[]> {
  return db
    .selectFrom('key_person_categories')
    .select(['key', 'label_zh as labelZh', 'label_en as labelEn', 'sort_order as sortOrder', 'active'])
    .orderBy('sort_order')
    .orderBy('key')
    .execute()
}

/** One category, or undefined. */
export async function findCategory(db: Db, key: string): Promise<CategoryRow | undefined> {
  return db
    .selectFrom('key_person_categories')
    .select(['key', 'label_zh as labelZh', 'label_en as labelEn', 'sort_order as sortOrder', 'active'])
    .where('key', '=', key)
    .executeTakeFirst()
}

/** Adds a category. */
export async function insertCategory(db: Db, category: CategoryRow): Promise<void> {
  await db
    .insertInto('key_person_categories')
    .values({
      key: category.key,
      label_zh: category.labelZh,
      label_en: category.labelEn,
      sort_order: category.sortOrder,
      active: category.active,
    })
    .execute()
}

/** Changes a category's labels, order or active flag; false when it does not exist. */
export async function updateCategory(
  db: Db,
  key: string,
  changes: Partial<Omit<CategoryRow, 'key'>>,
): Promise<boolean> {
  const values = {
    ...(changes.labelZh !== undefined ? { label_zh: changes.labelZh } : {}),
    ...(changes.labelEn !== undefined ? { label_en: changes.labelEn } : {}),
    ...(changes.sortOrder !== undefined ? { sort_order: changes.sortOrder } : {}),
    ...(changes.active !== undefined ? { active: changes.active } : {}),
  }
  if (Object.keys(values).length === 0) return (await findCategory(db, key)) !== undefined
  const result = await db.updateTable('key_person_categories').set(values).where('key', '=', key).executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** The four colours in order, with their visit frequencies. */
export async function listColours(db: Db): Promise<ColourRow[]> {
  return db
    .selectFrom('key_person_colours')
    .select(['colour', 'label_zh as labelZh', 'label_en as labelEn', 'visit_interval_days as visitIntervalDays', 'sort_order as sortOrder'])
    .orderBy('sort_order')
    .execute()
}

/** Sets a colour's visit frequency. */
export async function updateColourInterval(db: Db, colour: Colour, days: number, userId: number): Promise<void> {
  await db
    .updateTable('key_person_colours')
    .set({ visit_interval_days: days, updated_at: new Date(), updated_by: userId })
    .where('colour', '=', colour)
    .execute()
}

/** The module settings. */
export async function getKeyPersonSettings(db: Db): Promise<KeyPersonSettingsRow> {
  return db
    .selectFrom('key_person_settings')
    .select(['retention_days as retentionDays', 'due_soon_days as dueSoonDays', 'min_aggregate_count as minAggregateCount'])
    .executeTakeFirstOrThrow()
}

/** Changes the module settings. */
export async function updateKeyPersonSettings(db: Db, changes: Partial<KeyPersonSettingsRow>, userId: number): Promise<void> {
  await db
    .updateTable('key_person_settings')
    .set({
      ...(changes.retentionDays !== undefined ? { retention_days: changes.retentionDays } : {}),
      ...(changes.dueSoonDays !== undefined ? { due_soon_days: changes.dueSoonDays } : {}),
      ...(changes.minAggregateCount !== undefined ? { min_aggregate_count: changes.minAggregateCount } : {}),
      updated_at: new Date(),
      updated_by: userId,
    })
    .execute()
}
