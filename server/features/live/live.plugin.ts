import type { FastifyPluginAsync } from 'fastify'
import liveRoutes from './live.routes.ts'

/** Options of the live feature. */
export interface LiveFeatureOptions {
  /** How often open streams are re-checked against the database (ms). */
  recheckMs?: number
}

/** The live event stream (`/events/stream`): each listener hears what its role may see. Registered under `/api`. */
const liveFeature: FastifyPluginAsync<LiveFeatureOptions> = async (app, options) => {
  await app.register(liveRoutes, { prefix: '/events', recheckMs: options.recheckMs })
}

export default liveFeature
