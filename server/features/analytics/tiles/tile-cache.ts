import { LRUCache } from 'lru-cache'

/** How long a cached tile may be served: the tile's `max-age`, as its deadline colours follow the clock (`now()`). */
export const TILE_CACHE_TTL_MS = 60_000
/** Bytes of tiles kept per server process (least recently used dropped first). */
export const TILE_CACHE_MAX_BYTES = 64 * 1024 * 1024

/** A cached answer: the tile (null for an empty tile, 204) and the data revision it was computed at. */
interface CachedTile {
  revision: string
  body: Buffer | null
}

/**
 * Tiles of one server process, keyed by everything the answer depends on
 * (see {@link tileCacheKey}) and stamped with the data revision they were
 * computed at. A lookup hits only at the current revision, so a write on any
 * process (which moves the revision in the database) retires every older tile.
 */
export class TileCache {
  readonly #entries = new LRUCache<string, CachedTile>({
    maxSize: TILE_CACHE_MAX_BYTES,
    // An empty tile still costs its key and bookkeeping.
    sizeCalculation: (value, key) => (value.body?.byteLength ?? 0) + key.length + 64,
    ttl: TILE_CACHE_TTL_MS,
  })

  /** The tile stored under `key` at `revision` (null: an empty tile), or undefined on a miss. */
  get(key: string, revision: string): Buffer | null | undefined {
    const entry = this.#entries.get(key)
    return entry && entry.revision === revision ? entry.body : undefined
  }

  /** Stores a tile computed at `revision`. */
  set(key: string, revision: string, body: Buffer | undefined): void {
    this.#entries.set(key, { revision, body: body ?? null })
  }

  /** Tiles held (for tests and diagnostics). */
  get size(): number {
    return this.#entries.size
  }
}

/** What a tile answer depends on besides the data revision. */
export interface TileCacheKeyParts {
  layer: string
  z: number
  x: number
  y: number
  clustered: boolean
  /** The window and filters as the query gave them (unset = empty). */
  query: { from?: string; to?: string; status?: string; category?: string; grade?: string }
  /**
   * Whose cases the answer may show: `all`, or the user's grids and id for a
   * user who sees only those (a grid worker). Two users with the same scope
   * get the same answer; a user who sees less never gets another's tile.
   */
  scope: string
}

/** The cache key of a tile answer: one field per thing the answer depends on, JSON-encoded so no value can run into the next. */
export function tileCacheKey(parts: TileCacheKeyParts): string {
  const { layer, z, x, y, clustered, query, scope } = parts
  return JSON.stringify([layer, z, x, y, clustered, query.from ?? '', query.to ?? '', query.status ?? null, query.category ?? null, query.grade ?? null, scope])
}
