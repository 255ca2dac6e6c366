import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fp from 'fastify-plugin'
import fastifyStatic from '@fastify/static'
import { compressedFile, pickCoding } from './compressed-file.ts'

/** Options of the client plugin. */
export interface ClientPluginOptions {
  /** Folder of the built client (`vite build` output). */
  clientDir: string
  /** Folder holding `basemap.geojson` of the sample township. */
  geodataDir: string
}

/**
 * A file vite names by its content (`/assets/index-C3IMKCDt.js`): a new build
 * gives a new name, so a browser may keep it for a year without asking again.
 */
const HASHED_ASSET = /[/\\]assets[/\\][^/\\]+-[\w-]{8}\.[a-z0-9]+(?:\.br|\.gz)?$/i

/** The `Cache-Control` of a file of the build, by its path on disk (the `.br` / `.gz` copy's too). */
export function cacheControlFor(filePath: string): string {
  if (HASHED_ASSET.test(filePath)) return 'public, max-age=31536000, immutable'
  // index.html names the current chunks: always revalidated, so a new build is picked up at once.
  if (/[/\\]index\.html(?:\.br|\.gz)?$/.test(filePath)) return 'no-cache'
  // Other files of the build (`favicon.svg`): an hour, then revalidated by ETag.
  return 'public, max-age=3600'
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
 *
 * Files are sent brotli- or gzip-encoded when the browser accepts it: the
 * build writes `.br` / `.gz` copies beside each file (`scripts/vite-precompress.ts`)
 * and `@fastify/static` picks one by `Accept-Encoding` (with `Vary`); the
 * basemap, which is not part of the build, is compressed once in memory.
 * Hashed assets are cached as immutable; `index.html` is `no-cache`, so a new
 * build is seen on the next load.
 */
export default fp<ClientPluginOptions>(
  async (app, options) => {
    const basemapFile = join(options.geodataDir, 'basemap.geojson')
    const basemap = compressedFile(basemapFile)
    app.get('/basemap/xizhou.geojson', { schema: { hide: true }, config: { access: 'public' } }, async (request, reply) => {
      const file = await basemap().catch(() => null)
      if (!file) return reply.callNotFound()
      const coding = pickCoding(request.headers['accept-encoding'])
      const etag = `${file.etag.slice(0, -1)}-${coding}"`
      reply.header('cache-control', 'public, max-age=3600').header('vary', 'accept-encoding').header('etag', etag)
      if (request.headers['if-none-match'] === etag) return reply.code(304).send()
      if (coding !== 'identity') reply.header('content-encoding', coding)
      return reply.type('application/geo+json').send(file.bodies[coding])
    })
    const hasClient = existsSync(join(options.clientDir, 'index.html'))
    // Only `reply.sendFile`: the files are served by the public `/*` route below, so that
    // no route is registered without an access declaration.
    await app.register(fastifyStatic, {
      root: hasClient ? options.clientDir : options.geodataDir,
      serve: false,
      preCompressed: true,
      // Set on the file actually sent, so that a 404 never carries a year-long cache.
      cacheControl: false,
      setHeaders: (reply, filePath) => reply.header('cache-control', cacheControlFor(filePath)),
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
      return reply.sendFile('index.html', options.clientDir)
    })
  },
  { name: 'client' },
)
