import type { Db } from '../../../core/db/database.ts'
import type { UserRecord } from '../../../core/auth/users.repository.ts'
import { HttpError } from '../../../core/http/http-error.ts'
import { allTownIds } from '../towns.repository.ts'

/**
 * The town a boundary import works in. A town administrator imports into
 * their own town (naming another is 400 `unknown_town`, as for a town they
 * cannot see). A county administrator names it with `townId` (400
 * `unknown_town` for one that does not exist), which may be left out only
 * while the county has a single town (400 `import_town_required` otherwise).
 *
 * Why the request names the town rather than the file: a file may hold
 * several towns' grids, or codes that match nothing yet; the import then runs
 * in that town's database scope, so row-level security lets it see and change
 * that town's areas only and refuses the rest feature by feature.
 */
export async function importTownOf(db: Db, user: Pick<UserRecord, 'townId'>, requested: number | undefined): Promise<number> {
  if (user.townId !== null) {
    if (requested !== undefined && requested !== user.townId) throw new HttpError(400, 'unknown_town', { id: requested })
    return user.townId
  }
  const towns = await allTownIds(db)
  if (requested !== undefined) {
    if (!towns.includes(requested)) throw new HttpError(400, 'unknown_town', { id: requested })
    return requested
  }
  if (towns.length === 1) return towns[0]
  throw new HttpError(400, 'import_town_required', { towns: towns.join(', ') })
}
