import type { Db } from '../../core/db/database.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'
import type { CountProtection } from '../../core/privacy/small-counts.ts'
import { personScope } from './access.ts'
import { getKeyPersonSettings } from './settings.repository.ts'

/** The protection that applies to `user` (reads k from the key-person settings). */
export async function countProtectionFor(db: Db, user: UserRecord): Promise<CountProtection> {
  if (personScope(user)?.kind === 'all') return undefined
  const { minAggregateCount } = await getKeyPersonSettings(db)
  return { k: minAggregateCount }
}
