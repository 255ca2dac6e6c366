import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { MVT_BUFFER, MVT_EXTENT, mvtEncoderFor } from '../../../core/postgis/mvt.ts'
import { parseWindow, WindowQuery } from '../../../core/time/time-window.ts'
import { HttpError } from '../../../core/http/http-error.ts'
import { findTile, TILE_PROPERTIES } from './tiles.repository.ts'
import { CaseTileQuery, parseCaseTileFilter } from './tile-query.ts'
import { CLUSTER_PROPERTIES, findClusterTile } from './cluster-tiles.repository.ts'
import { errorResponses } from '../../../core/http/common.schemas.ts'
import { STAFF_GRID_SCOPED } from '../../../core/auth/access.ts'
import { TileCache, tileCacheKey } from './tile-cache.ts'
import { cachedTile, tileScope } from './tiles.service.ts'

/**
 * Below this zoom case tiles are always clustered, whatever `cluster` asks:
 * an unclustered z0–z15 tile would carry every case of the township (each with
 * its properties) in one answer.
 */
export const MIN_UNCLUSTERED_ZOOM = 16

/** Media type of a Mapbox Vector Tile. */
export const MVT = 'application/vnd.mapbox-vector-tile'

/**
 * Vector tiles of hazards, disputes and areas, encoded by the one MVT encoder
 * (`encodeMvt` in core/postgis/mvt.ts): by PostGIS on PostgreSQL; on PGlite,
 * whose PostGIS lacks protobuf, the same rows in the server (geojson-vt +
 * vt-pbf) — same layer name, extent, buffer, feature ids and properties. 204 when the tile
 * is empty. Cases follow the case-read rule (grid workers: own grids).
 * Answers are cached per server process at the data revision (tiles.service.ts);
 * `x-tile-cache: hit|miss` says which.
 */
const tilesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cache = new TileCache()
  app.get(
    '/:layer/:z/:x/:y.mvt',
    {
      config: { access: STAFF_GRID_SCOPED, reads: 'replica' },
      schema: {
        tags: ['Analytics'],
        summary: 'Mapbox Vector Tile of hazards, disputes or areas (one layer named like the path; 204 when empty)',
        description:
          `Extent ${MVT_EXTENT}, buffer ${MVT_BUFFER}, EPSG:3857 tile grid. Feature id = case or area id. Properties: ` +
          `cases ${TILE_PROPERTIES.hazards.join(', ')}; areas ${TILE_PROPERTIES.areas.join(', ')}. ` +
          `Case layers take status/category/grade filters and cluster=<zoom> (clustered below that zoom, and always below z${MIN_UNCLUSTERED_ZOOM}; properties ${CLUSTER_PROPERTIES.join(', ')}).`,
        produces: [MVT],
        params: Type.Object({
          layer: Type.Enum(['hazards', 'disputes', 'areas']),
          z: Type.Integer({ minimum: 0, maximum: 22 }),
          x: Type.Integer({ minimum: 0 }),
          y: Type.Integer({ minimum: 0 }),
        }),
        querystring: Type.Object({ ...WindowQuery, ...CaseTileQuery }, { additionalProperties: false }),
        response: { 200: Type.String({ description: 'Mapbox Vector Tile (protobuf)' }), 204: Type.Null({ description: 'Nothing in this tile' }), ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const { layer, z, x, y } = request.params
      const max = 2 ** z - 1
      if (x > max || y > max) throw new HttpError(400, 'bad_tile', { z, max })
      const window = request.query.from || request.query.to ? parseWindow(request.query) : undefined
      const tile = { z, x, y }
      const filter = parseCaseTileFilter(request.query)
      const encoder = mvtEncoderFor(app.engine.kind)
      const clusterBelow = Math.max(request.query.cluster ?? 0, MIN_UNCLUSTERED_ZOOM)
      const clustered = layer !== 'areas' && z < clusterBelow
      const user = request.user!
      const key = tileCacheKey({ layer, z, x, y, clustered, query: request.query, scope: tileScope(layer, user) })
      const { body, cache: outcome } = await cachedTile(request.readDb, cache, layer, key, () =>
        layer !== 'areas' && clustered
          ? findClusterTile(request.readDb, encoder, layer, tile, user, window, filter)
          : findTile(request.readDb, encoder, layer, tile, user, window, filter),
      )
      reply.header('cache-control', 'private, max-age=60')
      reply.header('x-tile-cache', outcome)
      if (!body) return reply.code(204).send(null)
      return reply.type(MVT).send(body as never)
    },
  )
}

export default tilesRoutes
