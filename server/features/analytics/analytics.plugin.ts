import type { FastifyPluginAsync } from 'fastify'
import settingsRoutes from './settings.routes.ts'
import binsRoutes from './bins/bins.routes.ts'
import clustersRoutes from './dispute-clusters/clusters.routes.ts'
import jointCasesRoutes from './dispute-clusters/joint-cases.routes.ts'
import kpisRoutes from './kpis/kpis.routes.ts'
import riskRoutes from './risk/risk.routes.ts'
import tilesRoutes from './tiles/tiles.routes.ts'
import reportRoutes from './report/report.routes.ts'

/**
 * Analytics: risk scores, bins and heat, dispute clusters and the joint
 * cases made from them, KPIs and trends, the monthly report (`/analytics`), and the case vector
 * tiles (`/tiles`). Registered under `/api`.
 */
const analyticsFeature: FastifyPluginAsync = async (app) => {
  await app.register(settingsRoutes, { prefix: '/analytics' })
  await app.register(riskRoutes, { prefix: '/analytics' })
  await app.register(binsRoutes, { prefix: '/analytics' })
  await app.register(clustersRoutes, { prefix: '/analytics' })
  await app.register(jointCasesRoutes, { prefix: '/analytics' })
  await app.register(kpisRoutes, { prefix: '/analytics' })
  await app.register(reportRoutes, { prefix: '/analytics' })
  await app.register(tilesRoutes, { prefix: '/tiles' })
}

export default analyticsFeature
