import type { FastifyPluginAsync } from 'fastify'
import itemsRoutes from './items.routes.ts'
import keyPersonsRoutes from './key-persons.routes.ts'
import retentionPlugin from './retention.plugin.ts'
import settingsRoutes from './settings.routes.ts'
import summaryRoutes from './summary.routes.ts'

/**
 * Key persons (重点人员): the register, visits, identity reveal, privacy-safe
 * summaries and heat, categories and colours, the OGC collection, and the
 * retention job that archives records past their term. Registered under `/api`.
 */
const keyPersonsFeature: FastifyPluginAsync = async (app) => {
  await app.register(keyPersonsRoutes, { prefix: '/key-persons' })
  await app.register(summaryRoutes, { prefix: '/key-persons' })
  await app.register(settingsRoutes, { prefix: '/key-persons' })
  await app.register(itemsRoutes, { prefix: '/collections' })
  await app.register(retentionPlugin)
}

export default keyPersonsFeature
