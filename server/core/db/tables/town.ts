import type { ColumnType } from 'kysely'

/**
 * `town_id` of a town-owned row: the id of its town area. The database fills it on
 * insert (from the row's area, its parent row or the session's town: migration
 * 0018), so inserts may leave it out, and it is never updated by the application.
 */
export type TownColumn = ColumnType<number, number | undefined, never>
