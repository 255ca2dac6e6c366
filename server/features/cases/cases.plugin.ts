import type { FastifyPluginAsync } from 'fastify'
import countsRoutes from './counts.routes.ts'
import dispatchQueueRoutes from './dispatch-queue.routes.ts'
import disputesRoutes from './disputes.routes.ts'
import exportsRoutes from './exports.routes.ts'
import hazardsRoutes from './hazards.routes.ts'
import itemsRoutes from './items.routes.ts'
import leadsRoutes from './leads.routes.ts'
import photosRoutes from './photos.routes.ts'
import revealRoutes from './reveal.routes.ts'
import settingsRoutes from './settings.routes.ts'
import stationsRoutes from './stations.routes.ts'
import timelineRoutes from './timeline.routes.ts'

/** Options of the cases feature. */
export interface CasesFeatureOptions {
  /** Folder of uploaded case photos. */
  photoDir: string
}

/**
 * Cases: hazard and dispute registration (OGC items), the six-step workflow,
 * leads, photos, phone reveal, the dispatch queue, deadline and routing
 * settings, the "1+7" stations and the monthly exports. Registered under `/api`.
 */
const casesFeature: FastifyPluginAsync<CasesFeatureOptions> = async (app, options) => {
  await app.register(itemsRoutes, { prefix: '/collections' })
  await app.register(hazardsRoutes, { prefix: '/hazards' })
  await app.register(disputesRoutes, { prefix: '/disputes' })
  await app.register(leadsRoutes, { prefix: '/leads' })
  await app.register(timelineRoutes, { prefix: '/cases' })
  await app.register(countsRoutes, { prefix: '/cases' })
  await app.register(photosRoutes, { prefix: '/cases', photoDir: options.photoDir })
  await app.register(revealRoutes, { prefix: '/cases' })
  await app.register(dispatchQueueRoutes, { prefix: '/dispatch' })
  await app.register(settingsRoutes)
  await app.register(exportsRoutes, { prefix: '/exports' })
  await app.register(stationsRoutes, { prefix: '/stations' })
}

export default casesFeature
