import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { HttpError } from '../../core/http/http-error.ts'
import { currentUser } from '../../core/auth/auth.plugin.ts'
import { COLLECTIONS, collectionNotFound, findCollection, type CollectionProvider } from './collections.ts'
import { parseBbox } from '../../core/ogc/bbox.ts'
import { parseDatetime } from '../../core/ogc/datetime.ts'
import { baseUrl, GEOJSON, GEOJSON_UTF8, type Link } from '../../core/ogc/links.ts'
import { collectionBody } from '../../core/postgis/geojson.ts'
import { utf8Body } from '../../core/http/utf8-body.ts'
import { STAFF_GRID_SCOPED } from '../../core/auth/access.ts'
import { FILTER_QUERY, itemsFilter } from './filter-query.ts'
import { CrsQuery, crsOfItems, crsOfItem } from './crs-query.ts'
import type { Db } from '../../core/db/database.ts'

/** Default page size of an items request. */
export const DEFAULT_LIMIT = 100
/** Largest page size; larger requests are clamped to it, not refused. */
export const MAX_LIMIT = 10_000

const ItemsQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, description: `Page size (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}; larger values are clamped)` })),
    offset: Type.Optional(Type.Integer({ minimum: 0, description: 'Number of features to skip' })),
    bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat in CRS84 (6 numbers with heights also accepted)' })),
    datetime: Type.Optional(
      Type.String({
        description:
          'RFC 3339 instant (a date means that whole UTC day) or interval a/b, ../b, a/.. (ends inclusive). ' +
          'Areas: the versions in force at that time (default: the current ones), each with validFrom/validTo; ' +
          'hazards and disputes: reported time; key persons: period under management',
      }),
    ),
    f: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('geojson'), Type.Literal('application/geo+json')])),
    ...FILTER_QUERY,
    ...CrsQuery,
  },
  { additionalProperties: false },
)

const FeatureCollectionSchema = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(Type.Object({}, { additionalProperties: true }), {
      description:
        'GeoJSON Features. Area features (town, villages, base-grids, fine-grids): id = the area id across versions; ' +
        'properties.version, properties.validFrom (inclusive) and properties.validTo (exclusive, null while in force) give the version and its validity',
    }),
    links: Type.Array(Type.Object({ href: Type.String(), rel: Type.String(), type: Type.Optional(Type.String()) })),
    numberMatched: Type.Integer(),
    numberReturned: Type.Integer(),
    timeStamp: Type.String(),
  },
  { description: 'GeoJSON FeatureCollection (application/geo+json)' },
)

/**
 * Sends GeoJSON text built by PostGIS as is: the response schema documents
 * its shape, but the text is not parsed and serialised again. The parts go
 * out as one UTF-8 buffer, each encoded once: sent as a string (joined from
 * the parts), the page was flattened and measured by `Buffer.byteLength` for
 * Content-Length and then encoded again by the socket write: two passes over
 * 240 KiB of mostly two-byte text (Chinese names). In a CPU profile of 300
 * fine-grid pages on PostgreSQL those two took 3.1 s of the server thread's
 * 5.8 s busy; one encode and a plain buffer write take about 1 s less
 * ({@link utf8Body}: one buffer, measured and written in place).
 */
function sendPrebuilt(reply: FastifyReply, parts: string[]) {
  return reply.type(GEOJSON_UTF8).send(utf8Body(parts))
}

function pageHref(base: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value))
  return `${base}?${params.toString()}`
}

/** Builds and sends one page of a collection's items with its self/next/prev links. */
async function sendItemsPage(
  request: FastifyRequest,
  reply: FastifyReply,
  collection: CollectionProvider,
  query: { limit?: number; offset?: number; bbox?: string; datetime?: string; f?: string } & Record<string, unknown>,
) {
  const { bbox: bboxText, datetime: datetimeText, f, limit: _limit, offset: _offset, filter: _filter, 'filter-lang': _lang, 'filter-crs': _crs, crs: crsText, 'bbox-crs': bboxCrsText, ...rest } =
    query as typeof query & { crs?: string; 'bbox-crs'?: string; datetime?: string }
  const limit = Math.min(query.limit ?? DEFAULT_LIMIT, MAX_LIMIT)
  const offset = query.offset ?? 0
  const crs = await crsOfItems(readerOf(request, collection), { crs: crsText, bbox: bboxText, 'bbox-crs': bboxCrsText })
  let bbox: [number, number, number, number] | undefined = crs.bbox
  if (bboxText !== undefined && bboxCrsText === undefined) {
    const parsed = parseBbox(bboxText)
    if (!parsed.valid) throw new HttpError(400, 'bad_bbox', { reason: parsed.reason })
    bbox = parsed.bbox
  }
  let datetime: { from?: Date; to?: Date } | undefined
  if (datetimeText !== undefined) {
    const parsed = parseDatetime(datetimeText)
    if (!parsed.valid) throw new HttpError(400, 'bad_datetime', { reason: parsed.reason })
    datetime = { from: parsed.from, to: parsed.to }
  }
  const extra = collection.extraQuery ? rest : undefined
  const filtered = itemsFilter(collection, currentUser(request), query, crs.bboxPolygon)
  const page = await collection.items(readerOf(request, collection), currentUser(request), {
    bbox,
    limit,
    offset,
    datetime,
    extra,
    client: { ip: request.ip, lang: request.lang },
    ...filtered.query,
    ...(collection.rendersCrs ? { crs: crs.crs } : {}),
  })
  const base = `${baseUrl(request)}/api/collections/${collection.id}/items`
  const kept = { bbox: bboxText, 'bbox-crs': bboxCrsText, crs: crsText, datetime: datetimeText, f, ...filtered.kept, ...(extra as Record<string, string | undefined>) }
  const links: Link[] = [
    { href: pageHref(base, { ...kept, limit, offset }), rel: 'self', type: GEOJSON, title: 'This page' },
    { href: `${baseUrl(request)}/api/collections/${collection.id}`, rel: 'collection', type: 'application/json' },
  ]
  if (offset + page.numberReturned < page.numberMatched) {
    links.push({ href: pageHref(base, { ...kept, limit, offset: offset + limit }), rel: 'next', type: GEOJSON, title: 'Next page' })
  }
  if (offset > 0) {
    links.push({ href: pageHref(base, { ...kept, limit, offset: Math.max(0, offset - limit) }), rel: 'prev', type: GEOJSON, title: 'Previous page' })
  }
  const members = { numberMatched: page.numberMatched, numberReturned: page.numberReturned, timeStamp: new Date().toISOString(), links }
  reply.header('content-crs', crs.contentCrs)
  const parts = collection.rendersCrs ? page.featureParts : await crs.outputParts(page.featureParts)
  return reply.type(GEOJSON_UTF8).send(collectionBody(parts, members))
}

/** Where a collection's items are read: the read replica when the route may use one, except for collections that audit their reads. */
function readerOf(request: FastifyRequest, collection: CollectionProvider): Db {
  return collection.auditsReads ? request.server.db : request.readDb
}

/**
 * `/collections/{id}/items` and `/collections/{id}/items/{featureId}` as
 * GeoJSON. A collection with `extraQuery` parameters gets its own items
 * route (a static path, which wins over `:collectionId`) whose query schema
 * adds them; the others share the generic route and refuse any other parameter.
 */
const itemsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const collection of COLLECTIONS) {
    if (!collection.extraQuery) continue
    app.get(
      `/${collection.id}/items`,
      {
        config: { access: STAFF_GRID_SCOPED, reads: 'replica' },
        schema: {
          tags: ['OGC API – Features'],
          summary: `Features of ${collection.title.en} (GeoJSON), paged and filtered`,
          querystring: Type.Object({ ...ItemsQuery.properties, ...collection.extraQuery }, { additionalProperties: false }),
          response: { 200: FeatureCollectionSchema },
        },
      },
      async (request, reply) => sendItemsPage(request, reply, collection, request.query as Record<string, unknown>),
    )
  }

  app.get(
    '/:collectionId/items',
    {
      config: { access: STAFF_GRID_SCOPED, reads: 'replica' },
      schema: {
        tags: ['OGC API – Features'],
        summary: 'Features of a collection (GeoJSON), paged',
        params: Type.Object({ collectionId: Type.String() }),
        querystring: ItemsQuery,
        response: { 200: FeatureCollectionSchema },
      },
    },
    async (request, reply) => {
      const collection = findCollection(request.params.collectionId)
      if (!collection) throw collectionNotFound(request.params.collectionId)
      return sendItemsPage(request, reply, collection, request.query)
    },
  )

  app.get(
    '/:collectionId/items/:featureId',
    {
      config: { access: STAFF_GRID_SCOPED, reads: 'replica' },
      schema: {
        tags: ['OGC API – Features'],
        summary: 'One feature (GeoJSON); the ETag carries its version',
        params: Type.Object({ collectionId: Type.String(), featureId: Type.String() }),
        querystring: Type.Object(
          { f: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('geojson'), Type.Literal('application/geo+json')])), crs: CrsQuery.crs },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ type: Type.Literal('Feature') }, { additionalProperties: true, description: 'GeoJSON Feature' }) },
      },
    },
    async (request, reply) => {
      const { collectionId, featureId } = request.params
      const collection = findCollection(collectionId)
      if (!collection) throw collectionNotFound(collectionId)
      const crs = crsOfItem(readerOf(request, collection), request.query.crs)
      const id = /^\d{1,15}$/.test(featureId) ? Number(featureId) : undefined
      const found = id === undefined ? undefined : await collection.item(readerOf(request, collection), currentUser(request), id, { ip: request.ip, lang: request.lang })
      if (!found) throw new HttpError(404, 'feature_not_found', { collection: collectionId, id: featureId })
      const base = `${baseUrl(request)}/api/collections/${collection.id}`
      const links: Link[] = [
        { href: `${base}/items/${featureId}`, rel: 'self', type: GEOJSON },
        { href: base, rel: 'collection', type: 'application/json' },
      ]
      reply.header('etag', `"${found.version}"`)
      reply.header('content-crs', crs.contentCrs)
      const featureText = await crs.output(found.featureText)
      return sendPrebuilt(reply, [featureText.slice(0, -1), `,"links":${JSON.stringify(links)}}`])
    },
  )
}

export default itemsRoutes
