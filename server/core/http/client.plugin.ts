import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fp from 'fastify-plugin'
import fastifyStatic from '@fastify/static'

/** Options of the client plugin. */
export interface ClientPluginOptions {
  /** Folder of the built client (`vite build` output). */
  clientDir: string
  /** Folder holding `basemap.geojson` of the sample township. */
  geodataDir: string
}

/** Whether `path`, with slashes collapsed, case folded and percent-escapes decoded, lies under `/api`. */
function looksLikeApi(path: string): boolean {
  let decoded = path
  try {
    decoded = decodeURIComponent(path)
  } catch {
    // A malformed escape is not a path of the app either way.
  }
  return /^\/api(\/|$)/.test(decoded.replace(/\/{2,}/g, '/').replace(/\/\.(?=\/)/g, '').toLowerCase())
}

/**
 * Serves the built Svelte client (with an index.html fallback for client
 * routes) and the offline basemap at `/basemap/xizhou.geojson`.
 */
export default fp<ClientPluginOptions>(
  async (app, options) => {
    const basemapFile = join(options.geodataDir, 'basemap.geojson')
    app.get('/basemap/xizhou.geojson', { schema: { hide: true }, config: { access: 'public' } }, async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=3600')
      return reply.type('application/geo+json').sendFile('basemap.geojson', options.geodataDir)
    })
    const hasClient = existsSync(join(options.clientDir, 'index.html'))
    // Only `reply.sendFile`: the files are served by the public `/*` route below, so that
    // no route is registered without an access declaration.
    await app.register(fastifyStatic, {
      root: hasClient ? options.clientDir : options.geodataDir,
      serve: false,
    })
    if (!existsSync(basemapFile)) app.log.warn(`basemap missing: ${basemapFile}`)
    app.get('/*', { schema: { hide: true }, config: { access: 'public' } }, async (request, reply) => {
      const path = request.url.split('?')[0]
      // Any spelling of an API path that the router did not match (`//api/…`, `/API/…`,
      // `/%61pi/…`) is a missing API route, not a page of the app.
      if (looksLikeApi(path)) return reply.callNotFound()
      if (!hasClient) {
        return reply
          .type('text/plain; charset=utf-8')
          .send('GridAtlas client is not built. Run `npm run build` (npm start does it for you).')
      }
      if (path.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(path)) {
        return reply.sendFile(path.slice(1), options.clientDir)
      }
      reply.header('cache-control', 'no-cache')
      return reply.sendFile('index.html', options.clientDir)
    })
  },
  { name: 'client' },
)
