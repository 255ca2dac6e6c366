import type { FastifyPluginAsync } from 'fastify'
import escalationsRoutes from './escalations.routes.ts'
import townKpisRoutes from './town-kpis.routes.ts'

/**
 * County views: escalation of cases from a town's center to the county
 * (事件上报) and the county's comparison of towns. Registered under `/api`.
 */
const countyFeature: FastifyPluginAsync = async (app) => {
  await app.register(escalationsRoutes, { prefix: '/county/escalations' })
  await app.register(townKpisRoutes, { prefix: '/county' })
}

export default countyFeature
