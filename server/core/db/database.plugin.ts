import fp from 'fastify-plugin'
import type { Db } from './database.ts'
import type { DbEngine } from './engine.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Kysely handle on the GridAtlas database. */
    db: Db
    /** The open engine (kind, raw access). */
    engine: DbEngine
  }
}

/** Makes an already-open {@link DbEngine} available as `app.db` / `app.engine`. */
export default fp<{ engine: DbEngine }>(
  async (app, options) => {
    app.decorate('db', options.engine.db)
    app.decorate('engine', options.engine)
  },
  { name: 'database' },
)
