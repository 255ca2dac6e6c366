import type { FastifyPluginAsync } from 'fastify'
import auditRoutes from './audit.routes.ts'

/** The audit log viewer (`/audit`), split between the audit and security administrators. Registered under `/api`. */
const auditFeature: FastifyPluginAsync = async (app) => {
  await app.register(auditRoutes, { prefix: '/audit' })
}

export default auditFeature
