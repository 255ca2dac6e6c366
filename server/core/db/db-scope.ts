import { AsyncLocalStorage } from 'node:async_hooks'

/**
 * Whose rows a database statement may see and write (row-level security,
 * migration 0019): one town, the county (every town), the system (migrations,
 * seed, sweeps, scripts: every town) or nobody (`none`: nothing is visible,
 * nothing town-owned can be written). Carried to the connection as the
 * settings `app.scope` and `app.town`.
 */
export type DbScope = { kind: 'town'; townId: number } | { kind: 'county' } | { kind: 'system' } | { kind: 'none' }

/** The scope of background work: every town. */
export const SYSTEM_SCOPE: DbScope = Object.freeze({ kind: 'system' })

/** No scope: every town-owned table looks empty (fail closed). */
export const NO_SCOPE: DbScope = Object.freeze({ kind: 'none' })

/**
 * A mutable holder, so that a request can enter the store before it knows
 * its user (onRequest) and the auth hook can fill the scope in afterwards.
 */
export interface DbScopeHolder {
  scope: DbScope
}

const storage = new AsyncLocalStorage<DbScopeHolder>()

/** Runs `work` (and everything it starts) with `scope`. */
export function runWithDbScope<T>(scope: DbScope, work: () => T): T {
  return storage.run({ scope }, work)
}

/** Runs `work` with a holder whose scope may change while it runs (one per request). */
export function runWithDbScopeHolder<T>(holder: DbScopeHolder, work: () => T): T {
  return storage.run(holder, work)
}

/** The scope of the running code, or undefined outside {@link runWithDbScope}. */
export function currentDbScope(): DbScope | undefined {
  return storage.getStore()?.scope
}

/** The values of `app.scope` and `app.town` for a scope. */
export function scopeSettings(scope: DbScope): { scope: string; town: string } {
  if (scope.kind === 'town') return { scope: 'town', town: String(scope.townId) }
  if (scope.kind === 'none') return { scope: '', town: '' }
  return { scope: scope.kind, town: '' }
}
