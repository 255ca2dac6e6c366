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
  /** County sample: the dispatcher and station users of each village's town, by village area id. */
  towns?: Map<number, { dispatcher: SampleActor; stations: Map<string, SampleActor> }>
}

/** A town of the county sample: its username prefix and its villages. */
export interface SampleTown {
  slug: string
  name: string
  /** The town's area id (its users belong to it); null only if the town is missing. */
  townId: number | null
  villageIds: number[]
}

async function ensureUser(
  db: Db,
  user: { username: string; displayName: string; role: Role; stationKey?: string; gridIds?: number[]; townId?: number | null },
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
    townId: user.townId,
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
  towns?: ReadonlyArray<SampleTown>,
): Promise<SampleActors> {
  if (towns) return ensureTownUsers(db, villages, towns)
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

/**
 * County sample: per town `<slug>-dispatcher`, `<slug>-station-<key>` and
 * `<slug>-gridworker-NN` for each of its villages (in id order), all unable to
 * sign in like the one-town sample users. The first town's dispatcher also
 * receives the department leads.
 */
async function ensureTownUsers(
  db: Db,
  villages: ReadonlyArray<{ id: number; name: string; baseGridIds: number[] }>,
  towns: ReadonlyArray<SampleTown>,
): Promise<SampleActors> {
  if (towns.length === 0) throw new Error('sample activity: no towns given')
  const stationRows = await db.selectFrom('stations').select(['key', 'name_zh']).where('kind', '=', 'station').orderBy('sort_order').execute()
  const byId = new Map(villages.map((village) => [village.id, village]))
  const perVillage: NonNullable<SampleActors['towns']> = new Map()
  const gridWorkers = new Map<number, SampleActor>()
  let first: { dispatcher: SampleActor; stations: Map<string, SampleActor> } | undefined
  for (const town of towns) {
    const dispatcher = await ensureUser(db, { username: `${town.slug}-dispatcher`, displayName: `示例调度员（${town.name}综治中心）`, role: 'dispatcher', townId: town.townId })
    const stations = new Map<string, SampleActor>()
    for (const station of stationRows) {
      stations.set(
        station.key,
        await ensureUser(db, {
          username: `${town.slug}-station-${station.key}`,
          displayName: `示例站点人员（${town.name}${station.name_zh}）`,
          role: 'station',
          stationKey: station.key,
          townId: town.townId,
        }),
      )
    }
    first ??= { dispatcher, stations }
    const own = town.villageIds.map((id) => byId.get(id)).filter((v) => v !== undefined).sort((a, b) => a.id - b.id)
    for (const [index, village] of own.entries()) {
      perVillage.set(village.id, { dispatcher, stations })
      gridWorkers.set(
        village.id,
        await ensureUser(db, {
          username: `${town.slug}-gridworker-${String(index + 1).padStart(2, '0')}`,
          displayName: `示例网格员（${town.name}${village.name}）`,
          role: 'grid_worker',
          gridIds: village.baseGridIds,
          townId: town.townId,
        }),
      )
    }
  }
  return { dispatcher: first!.dispatcher, stations: first!.stations, gridWorkers, towns: perVillage }
}
