import { currentDbScope, scopeSettings, type DbScope } from './db-scope.ts'

/** The part of a `pg` client the pool and Kysely use. */
interface ClientLike {
  query(text: string, values?: unknown[]): Promise<unknown>
  release(error?: Error | boolean): void
}

/** The part of a `pg` pool Kysely uses. */
interface PoolLike<C extends ClientLike> {
  connect(): Promise<C>
  end(): Promise<void>
}

/** The role the application's statements run as, so that row-level security applies (migration 0019). */
export const APP_ROLE = 'gridatlas_app'

/**
 * Lends connections with the database scope of the running code (see
 * db-scope.ts) set on them: the role `gridatlas_app` and the settings
 * `app.scope` / `app.town` that the row-level security policies read.
 *
 * The scope is read when a connection is reserved (a statement, or a whole
 * transaction: Kysely keeps one connection for it), and set only when it
 * differs from what that connection already has, so the common case (the same
 * town again) costs no extra round trip. Code outside any scope gets the
 * pool's default: `none` (nothing visible) for the server.
 */
export class ScopedPool<C extends ClientLike> {
  readonly #pool: PoolLike<C>
  readonly #defaultScope: DbScope
  readonly #keyOf: (client: C) => object
  /** What each connection has: `role|scope|town`. */
  readonly #state = new WeakMap<object, string>()
  /** Whether the app role exists and may read the tables (migration 0019 applied). */
  appRole = false

  constructor(pool: PoolLike<C>, options: { defaultScope: DbScope; keyOf?: (client: C) => object }) {
    this.#pool = pool
    this.#defaultScope = options.defaultScope
    this.#keyOf = options.keyOf ?? ((client) => client)
  }

  /** Reserves a connection with the running code's scope on it. */
  async connect(): Promise<C> {
    // Read before waiting: the scope is the caller's, whatever runs while the pool is busy.
    const settings = scopeSettings(currentDbScope() ?? this.#defaultScope)
    const role = this.appRole ? APP_ROLE : 'none'
    const wanted = `${role}|${settings.scope}|${settings.town}`
    const client = await this.#pool.connect()
    const key = this.#keyOf(client)
    if (this.#state.get(key) === wanted) return client
    try {
      await client.query(
        "SELECT set_config('role', $1, false), set_config('app.scope', $2, false), set_config('app.town', $3, false)",
        [role, settings.scope, settings.town],
      )
    } catch (error) {
      this.#state.delete(key)
      client.release(error as Error)
      throw error
    }
    this.#state.set(key, wanted)
    return client
  }

  /** Forgets what a connection has (after something else changed its role or settings). */
  forget(client: C): void {
    this.#state.delete(this.#keyOf(client))
  }

  async end(): Promise<void> {
    await this.#pool.end()
  }
}

/**
 * Whether the app role exists in the cluster and has been granted this
 * database's tables (so SET ROLE to it works and reads succeed).
 */
export const APP_ROLE_READY_SQL = `SELECT CASE
  WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') AND to_regclass('public.cases') IS NOT NULL
  THEN has_table_privilege('${APP_ROLE}', 'public.cases', 'SELECT') ELSE false END AS ready`
