import { sql } from 'kysely'
import type { Db } from '../../../core/db/database.ts'

/** Topics with a data revision (migration 0016): `cases` for the case layers, `areas` for the areas layer. */
export type RevisionTopic = 'cases' | 'areas'

/**
 * The current revision of `topic`: the sum of its slots, moved on by every
 * committed statement that writes the topic's tables (triggers of migration
 * 0016). A string: it is compared, never computed with.
 */
export async function readRevision(db: Db, topic: RevisionTopic): Promise<string> {
  const { rows } = await sql<{ revision: string }>`
    SELECT coalesce(sum(revision), 0)::text AS revision FROM data_revisions WHERE topic = ${topic}`.execute(db)
  return rows[0].revision
}
