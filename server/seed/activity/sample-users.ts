import type { Db } from '../../core/db/database.ts'
import type { Role } from '../../core/db/tables/auth.ts'
import { insertUser } from '../../core/auth/users.repository.ts'

/**
 * Password hash of the sample users: not a scrypt hash, so `verifyPassword`
 * refuses every password and nobody can sign in as them. They exist only to
 * be the actors of the sample ledger.
 */
export const NO_SIGN_IN_HASH = '!'

/** A user the sample ledger names as actor. */
export interface SampleActor {
  id: number
  username: string
  role: Role
}

/** The sample actors: a dispatcher, one user per station, one grid worker per village. */
export interface SampleActors {
  dispatcher: SampleActor
  stations: Map<string, SampleActor>
  /** By village area id; each is responsible for the village's base grids. */
  gridWorkers: Map<number, SampleActor>
}

async function ensureUser(
  db: Db,
  user: { username: string; displayName: string; role: Role; stationKey?: string; gridIds?: number[] },
): Promise<SampleActor> {
  const found = await db.selectFrom('users').select(['id', 'role']).where('username', '=', user.username).executeTakeFirst()
  if (found) return { id: found.id, username: user.username, role: found.role }
  const id = await insertUser(db, {
    username: user.username,
    displayName: user.displayName,
    passwordHash: NO_SIGN_IN_HASH,
    role: user.role,
    stationKey: user.stationKey ?? null,
    gridIds: user.gridIds,
  })
  return { id, username: user.username, role: user.role }
}

/**
 * Finds or creates the sample users (示例, unable to sign in):
 * `sample-dispatcher`, `sample-station-<key>` for each station and
 * `sample-gridworker-NN` for each village (in id order) with its base grids.
 */
export async function ensureSampleUsers(
  db: Db,
  villages: ReadonlyArray<{ id: number; name: string; baseGridIds: number[] }>,
): Promise<SampleActors> {
  const dispatcher = await ensureUser(db, { username: 'sample-dispatcher', displayName: '示例调度员（综治服务中心）', role: 'dispatcher' })
  const stationRows = await db.selectFrom('stations').select(['key', 'name_zh']).where('kind', '=', 'station').orderBy('sort_order').execute()
  const stations = new Map<string, SampleActor>()
  for (const station of stationRows) {
    stations.set(
      station.key,
      await ensureUser(db, { username: `sample-station-${station.key}`, displayName: `示例站点人员（${station.name_zh}）`, role: 'station', stationKey: station.key }),
    )
  }
  const gridWorkers = new Map<number, SampleActor>()
  const ordered = [...villages].sort((a, b) => a.id - b.id)
  for (const [index, village] of ordered.entries()) {
    gridWorkers.set(
      village.id,
      await ensureUser(db, {
        username: `sample-gridworker-${String(index + 1).padStart(2, '0')}`,
        displayName: `示例网格员（${village.name}）`,
        role: 'grid_worker',
        gridIds: village.baseGridIds,
      }),
    )
  }
  return { dispatcher, stations, gridWorkers }
}
