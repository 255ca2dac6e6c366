import fp from 'fastify-plugin'
import { ADMIN_ROLES, type Role } from '../../core/db/tables/auth.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { hasSecondFactor } from './second-factor.service.ts'

/** What an administrator without a second factor may still do with a session: enrol, look, leave. */
const ENROLMENT_ROUTES = new Set([
  '/api/auth/me',
  '/api/auth/logout',
  '/api/auth/second-factor',
  '/api/auth/second-factor/enrol',
  '/api/auth/second-factor/confirm',
])

/**
 * Limits an administrator's browser session to the enrolment routes until they
 * have a second factor (when the policy requires one). The login never opens
 * such a session; this covers sessions from before the requirement (an upgrade,
 * or ADMIN_SECOND_FACTOR switched back on). API tokens stay usable for scripts
 * and GIS clients. Runs after the auth plugin has resolved `request.user`.
 */
export default fp(
  async (app) => {
    app.addHook('onRequest', async (request) => {
      const user = request.user
      if (!user || app.loginPolicy.adminSecondFactor !== 'required') return
      if (!(ADMIN_ROLES as readonly Role[]).includes(user.role)) return
      if (request.headers.authorization !== undefined) return
      if (ENROLMENT_ROUTES.has(request.routeOptions.url ?? '')) return
      if (await hasSecondFactor(app.db, user.id)) return
      throw new HttpError(403, 'second_factor_enrolment_required')
    })
  },
  { name: 'second-factor-gate', dependencies: ['auth'] },
)
