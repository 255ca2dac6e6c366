import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Db } from '../../core/db/database.ts'
import { COLLECTIONS, findCollection, type CollectionProvider, collectionNotFound } from './collections.ts'
import { baseUrl, GEOJSON } from '../../core/ogc/links.ts'
import { DRAFT_QUERYABLES_FORMAT, DRAFT_QUERYABLES_REL, QUERYABLES_REL, SCHEMA_JSON } from './queryables.routes.ts'
import { CRS84_URI as CRS84, SUPPORTED_CRS_URIS } from '../../core/ogc/crs.ts'

const GREGORIAN = 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian'

const FormatQuery = Type.Object(
  { f: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('application/json')])) },
  { additionalProperties: false },
)

const CollectionSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  itemType: Type.String(),
  crs: Type.Array(Type.String()),
  storageCrs: Type.String(),
  extent: Type.Optional(
    Type.Object({
      spatial: Type.Optional(Type.Object({ bbox: Type.Array(Type.Array(Type.Number())), crs: Type.String() })),
      temporal: Type.Optional(
        Type.Object(
          { interval: Type.Array(Type.Array(Type.Union([Type.String(), Type.Null()]))), trs: Type.String() },
          { description: 'First and last instant of the data over its history (null: still in force); datetime selects within it' },
        ),
      ),
    }),
  ),
  links: Type.Array(Type.Object({ href: Type.String(), rel: Type.String(), type: Type.Optional(Type.String()), title: Type.Optional(Type.String()) })),
})

async function describeCollection(db: Db, request: FastifyRequest, collection: CollectionProvider) {
  const base = `${baseUrl(request)}/api/collections/${collection.id}`
  const bbox = await collection.extent(db)
  const temporal = await collection.temporalExtent?.(db)
  const spatialExtent = bbox ? { spatial: { bbox: [bbox], crs: CRS84 } } : {}
  const temporalExtent = temporal ? { temporal: { interval: [temporal.map((end) => end?.toISOString() ?? null)], trs: GREGORIAN } } : {}
  return {
    id: collection.id,
    title: collection.title[request.lang],
    description: collection.description[request.lang],
    itemType: 'feature',
    // Part 2: every collection answers in each supported CRS; geometries are stored as lon/lat WGS 84 (EPSG:4326 in PostGIS, i.e. CRS84 order).
    crs: SUPPORTED_CRS_URIS,
    storageCrs: CRS84,
    ...(bbox || temporal ? { extent: { ...spatialExtent, ...temporalExtent } } : {}),
    links: [
      { href: base, rel: 'self', type: 'application/json', title: 'This collection' },
      { href: `${base}/items`, rel: 'items', type: GEOJSON, title: 'Items as GeoJSON' },
      { href: `${base}/queryables`, rel: QUERYABLES_REL, type: SCHEMA_JSON, title: 'Queryables (properties a filter may name)' },
      { href: `${base}/queryables?f=${DRAFT_QUERYABLES_FORMAT}`, rel: DRAFT_QUERYABLES_REL, type: 'application/json', title: 'Queryables as the list of the Part 3 drafts (GDAL 3.6)' },
    ],
  }
}

/** The collections list and each collection's metadata. */
const collectionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['OGC API – Features'],
        summary: 'Feature collections',
        querystring: FormatQuery,
        response: {
          200: Type.Object({
            links: Type.Array(Type.Object({ href: Type.String(), rel: Type.String(), type: Type.Optional(Type.String()) })),
            crs: Type.Array(Type.String()),
            collections: Type.Array(CollectionSchema),
          }),
        },
      },
    },
    async (request) => {
      const collections = []
      for (const collection of COLLECTIONS) collections.push(await describeCollection(app.db, request, collection))
      return {
        links: [{ href: `${baseUrl(request)}/api/collections`, rel: 'self', type: 'application/json' }],
        crs: SUPPORTED_CRS_URIS,
        collections,
      }
    },
  )

  app.get(
    '/:collectionId',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['OGC API – Features'],
        summary: 'One feature collection',
        params: Type.Object({ collectionId: Type.String() }),
        querystring: FormatQuery,
        response: { 200: CollectionSchema },
      },
    },
    async (request) => {
      const collection = findCollection(request.params.collectionId)
      if (!collection) throw collectionNotFound(request.params.collectionId)
      return describeCollection(app.db, request, collection)
    },
  )
}

export default collectionsRoutes
