import { sql } from 'kysely'
import type { Db } from './database.ts'

/** Reads one `app_meta` value, or undefined. */
export async function getMeta<T>(db: Db, key: string): Promise<T | undefined> {
  const row = await db.selectFrom('app_meta').select('value').where('key', '=', key).executeTakeFirst()
  return row?.value as T | undefined
}

/** Writes one `app_meta` value (insert or replace). */
export async function setMeta(db: Db, key: string, value: unknown): Promise<void> {
  await db
    .insertInto('app_meta')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql`excluded.value` }))
    .execute()
}
