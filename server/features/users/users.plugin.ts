import type { FastifyPluginAsync } from 'fastify'
import authRoutes from './auth.routes.ts'
import credentialsRoutes from './credentials.routes.ts'
import lockoutsRoutes from './lockouts.routes.ts'
import secondFactorRoutes from './second-factor.routes.ts'
import securityUsersRoutes from './security-users.routes.ts'
import usersRoutes from './users.routes.ts'
import { checkCapabilityRoutes } from './capabilities.ts'

/** Options of the users feature. */
export interface UsersFeatureOptions {
  /** Whether cookies carry the Secure flag (HTTPS deployments). */
  secureCookies: boolean
}

/**
 * Users and sign-in: password and second-factor sign-in, sessions and API
 * tokens (`/auth`), the user list (`/users`) and the security
 * administrator's user, lockout and second-factor resets (`/security`).
 * Registered under `/api`.
 */
const usersFeature: FastifyPluginAsync<UsersFeatureOptions> = async (app, options) => {
  await app.register(authRoutes, { prefix: '/auth' })
  await app.register(credentialsRoutes, { prefix: '/auth' })
  await app.register(secondFactorRoutes, { prefix: '/auth', secureCookies: options.secureCookies })
  await app.register(usersRoutes, { prefix: '/users' })
  await app.register(securityUsersRoutes)
  await app.register(lockoutsRoutes, { prefix: '/security' })
  // Every route is registered by then: a capability naming a missing route stops the start.
  app.addHook('onReady', async () => checkCapabilityRoutes(app))
}

export default usersFeature
