import type { Db } from '../../../core/db/database.ts'
import type { UserRecord } from '../../../core/auth/users.repository.ts'
import { seesAllCases } from '../../cases/index.ts'
import { readRevision, type RevisionTopic } from './revisions.repository.ts'
import type { TileCache } from './tile-cache.ts'
import type { TileLayer } from './tiles.repository.ts'

/** Whether a tile came from the cache. */
export type TileCacheOutcome = 'hit' | 'miss'

/**
 * Whose data a tile of `layer` shows for `user`, as a cache-key part: the
 * town (or the county), then: areas are the same for everyone of it; cases are `all` for roles that see every case,
 * else the user's grids and id (visibleCases: own grids or registered by them).
 */
export function tileScope(layer: TileLayer, user: UserRecord): string {
  // A tile shows the rows of the user's town, or of every town (county users): row-level security (migration 0019).
  const town = user.townId === null ? 'county' : `town:${user.townId}`
  if (layer === 'areas') return `${town};everyone`
  if (seesAllCases(user)) return `${town};all`
  return `${town};grids:${[...user.gridIds].sort((a, b) => a - b).join(',')};user:${user.id}`
}

/**
 * The tile under `key` from `cache` when it was computed at the current data
 * revision of the layer's topic; else computes it and stores it.
 *
 * It is stored only when the revision read after computing equals the one
 * read before: every committed write moves the revision, and what a snapshot
 * sees only grows, so equal readings mean the tile's snapshot saw exactly the
 * writes of that revision (a write committed meanwhile leaves it uncached
 * rather than cached under the wrong revision).
 */
export async function cachedTile(
  db: Db,
  cache: TileCache,
  layer: TileLayer,
  key: string,
  compute: () => Promise<Buffer | undefined>,
): Promise<{ body: Buffer | undefined; cache: TileCacheOutcome }> {
  const topic: RevisionTopic = layer === 'areas' ? 'areas' : 'cases'
  const revision = await readRevision(db, topic)
  const cached = cache.get(key, revision)
  if (cached !== undefined) return { body: cached ?? undefined, cache: 'hit' }
  const body = await compute()
  if ((await readRevision(db, topic)) === revision) cache.set(key, revision, body)
  return { body, cache: 'miss' }
}
