import type { FastifyPluginAsync } from 'fastify'
import collectionsRoutes from './collections.routes.ts'
import itemsRoutes from './items.routes.ts'
import landingRoutes from './landing.routes.ts'
import queryablesRoutes from './queryables.routes.ts'

/**
 * OGC API – Features: the landing page, conformance, the OpenAPI document
 * (at the API root) and the read-only collections and items every feature
 * provides (`/collections`). Registered under `/api`.
 */
const ogcFeature: FastifyPluginAsync = async (app) => {
  await app.register(landingRoutes)
  await app.register(collectionsRoutes, { prefix: '/collections' })
  await app.register(itemsRoutes, { prefix: '/collections' })
  await app.register(queryablesRoutes, { prefix: '/collections' })
}

export default ogcFeature
