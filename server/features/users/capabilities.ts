import { Type, type Static } from 'typebox'
import type { FastifyInstance } from 'fastify'
import { roleMayCall } from '../../core/auth/access.ts'
import type { RouteAccess } from '../../core/auth/auth.plugin.ts'
import type { Role } from '../../core/db/tables/auth.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'
import { UserSchema } from '../../core/http/common.schemas.ts'
import { toUserDto } from './user-dto.ts'

/**
 * What the client may offer a user, each named after the route that does it.
 * A capability is granted exactly when that route's access declaration lets
 * the user's role call it, so the client shows what the server will allow
 * and no role list is written twice. Object-level rules (own grids, own
 * station) still decide per record, on the server.
 */
const CAPABILITY_ROUTES = {
  /** The map view (一张图) and its case layers. */
  viewMap: ['GET', '/api/cases/counts'],
  /** The leadership dashboard (态势看板). */
  viewDashboard: ['GET', '/api/analytics/kpis'],
  /** The boundary editor. */
  editBoundaries: ['POST', '/api/boundaries/validate'],
  /** The risk map and its explanations. */
  readRisk: ['GET', '/api/analytics/risk'],
  /** Key persons with identities (others see aggregates only). */
  seeIdentities: ['POST', '/api/key-persons/:id/reveal'],
  /** Registering hazards and disputes. */
  registerCases: ['POST', '/api/collections/hazards/items'],
  /** Registering and handling leads (线索). */
  writeLeads: ['POST', '/api/leads'],
  /** The dispatch queue of the center. */
  dispatchQueue: ['GET', '/api/dispatch/queue'],
  /** Opening a joint case from a cross-village dispute cluster. */
  openJointCase: ['POST', '/api/analytics/dispute-clusters/joint-case'],
  /** Closing a joint case. */
  closeJointCase: ['POST', '/api/analytics/joint-cases/:id/close'],
  /** The audit log (each administrator sees their share). */
  readAudit: ['GET', '/api/audit'],
  /** The security administrator's user management. */
  manageUsers: ['GET', '/api/security/users'],
  /** The county view (县级视图): KPI table by town, towns compared, escalation queue. */
  viewCounty: ['GET', '/api/county/kpis'],
  /** Accepting, returning and closing escalated cases (county dispatcher). */
  actOnEscalations: ['POST', '/api/county/escalations/:id/accept'],
} as const satisfies Record<string, readonly [string, string]>

/** A capability name. */
export type Capability = keyof typeof CAPABILITY_ROUTES

/** Every capability, granted or not, for the signed-in user. */
export const CapabilitiesSchema = Type.Object(
  Object.fromEntries(Object.keys(CAPABILITY_ROUTES).map((name) => [name, Type.Boolean()])) as Record<Capability, ReturnType<typeof Type.Boolean>>,
  { description: 'What this user may do, computed from the access declarations of the routes that do it' },
)

/** {@link CapabilitiesSchema} as a type. */
export type Capabilities = Static<typeof CapabilitiesSchema>

/** The capabilities of `role`, read from the routes' access declarations. */
export function capabilitiesOf(routeAccess: readonly RouteAccess[], role: Role): Capabilities {
  return Object.fromEntries(
    (Object.entries(CAPABILITY_ROUTES) as Array<[Capability, readonly [string, string]]>).map(([name, [method, url]]) => {
      const route = routeAccess.find((entry) => entry.method === method && entry.url === url)
      return [name, route !== undefined && roleMayCall(route.access, role)]
    }),
  ) as Capabilities
}

/** Throws at start when a capability names a route that does not exist (so a renamed route cannot silently revoke it). */
export function checkCapabilityRoutes(app: FastifyInstance): void {
  for (const [name, [method, url]] of Object.entries(CAPABILITY_ROUTES)) {
    if (!app.routeAccess.some((entry) => entry.method === method && entry.url === url)) {
      throw new Error(`Capability ${name} names ${method} ${url}, which is not a route`)
    }
  }
}

/** The answer of a completed sign-in and of `GET /api/auth/me`: the user and what they may do. */
export const SignedInSchema = Type.Object({ user: UserSchema, capabilities: CapabilitiesSchema })

/** {@link SignedInSchema} for `user`. */
export function signedInAnswer(app: FastifyInstance, user: UserRecord): Static<typeof SignedInSchema> {
  return { user: toUserDto(user), capabilities: capabilitiesOf(app.routeAccess, user.role) }
}
