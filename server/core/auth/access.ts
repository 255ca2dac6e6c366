import type { Role } from '../db/tables/auth.ts'
import type { MessageCode } from '../i18n/messages.ts'

/**
 * Who may call a route, declared in its options as `config: { access }`.
 *
 * - `'public'`: anyone, signed in or not (sign-in, the OGC landing page, the client's files);
 * - `'signed-in'`: any signed-in user, whatever the role;
 * - `{ roles }`: signed-in users with one of `roles` (403 for the others), optionally with
 *   the message a refused role gets instead of the generic one, and `gridScoped` when the
 *   handler narrows what a grid worker sees to their own grids.
 *
 * The access hook checks this on the matched route before the body is parsed or
 * validated; registering a route without a declaration throws at start-up, so
 * a forgotten declaration is an error, never a public route.
 */
export type Access =
  | 'public'
  | 'signed-in'
  | {
      roles: readonly Role[]
      /** Message answered (403) to a refused role instead of the generic `forbidden`, by role. */
      refusals?: Partial<Record<Role, MessageCode>>
      /** The handler narrows a grid worker's answer to their own grids (documentation; shown in OpenAPI). */
      gridScoped?: boolean
      /** Subject kind of the `denied` audit entry a refusal writes (default `route`); the `:id` path parameter becomes its subject. */
      audit?: string
    }

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route; required on every route (see {@link Access}). */
    access?: Access
  }
}

/** `{ roles }` access for the given roles. */
export function roles(...allowed: Role[]): Access {
  return { roles: allowed }
}

/**
 * The roles that work with the township's cases, people and map, and the county roles
 * that read every town's (county leader, county dispatcher; row-level security gives
 * them every town, town users their own). The security and audit administrators are
 * not among them: separation of duties keeps them out of the data.
 */
export const STAFF_ROLES = ['leader', 'dispatcher', 'station', 'grid_worker', 'admin', 'county_leader', 'county_dispatcher'] as const satisfies readonly Role[]

/** Access for every staff role (see {@link STAFF_ROLES}). */
export const STAFF: Access = { roles: STAFF_ROLES }

/** Access for every staff role, where the handler narrows a grid worker's answer to their own grids. */
export const STAFF_GRID_SCOPED: Access = { roles: STAFF_ROLES, gridScoped: true }

/** Whether a signed-in user of `role` passes `access` (object-level checks, such as own grids, come later in the handler). */
export function roleMayCall(access: Access, role: Role): boolean {
  if (access === 'public' || access === 'signed-in') return true
  return access.roles.includes(role)
}

/** Where access is declared on a route (`config.access`), or undefined. */
export function declaredAccess(config: unknown): Access | undefined {
  return (config as { access?: Access } | undefined)?.access
}

/** A readable form of an access declaration (for errors and the OpenAPI description). */
export function describeAccess(access: Access): string {
  if (typeof access === 'string') return access
  return `roles: ${access.roles.join(', ')}${access.gridScoped ? ' (grid workers: own grids)' : ''}`
}
