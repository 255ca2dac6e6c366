import type { FastifyPluginAsync } from 'fastify'
import areasRoutes from './areas.routes.ts'
import metaRoutes from './meta.routes.ts'
import boundariesRoutes from './boundaries/boundaries.routes.ts'
import areaItemsEditRoutes from './boundaries/items-edit.routes.ts'
import historyRoutes from './history/history.routes.ts'
import ioRoutes from './io/io.routes.ts'
import townsRoutes from './towns.routes.ts'

/**
 * Areas: town, villages, base and fine grids with their staff (`/areas`),
 * boundary editing, import and export (`/boundaries`), version history, the
 * OGC Part 4 edits of area features and the township facts (`/meta`).
 * Registered under `/api`.
 */
const areasFeature: FastifyPluginAsync = async (app) => {
  await app.register(areasRoutes, { prefix: '/areas' })
  await app.register(historyRoutes, { prefix: '/areas' })
  await app.register(boundariesRoutes, { prefix: '/boundaries' })
  await app.register(ioRoutes, { prefix: '/boundaries' })
  await app.register(areaItemsEditRoutes, { prefix: '/collections' })
  await app.register(metaRoutes, { prefix: '/meta' })
  await app.register(townsRoutes, { prefix: '/towns' })
}

export default areasFeature
