import type { Role } from '../db/tables/auth.table.ts'
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
      /** Message code answered (403) to a signed-in user whose role is not in `roles`. */
      refusal?: MessageCode
      /** The handler narrows a grid worker's answer to their own grids (documentation; shown in OpenAPI). */
      gridScoped?: boolean
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
