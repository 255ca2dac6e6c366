import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Db } from '../../core/db/database.ts'
import { COLLECTIONS, findCollection, type CollectionProvider, collectionNotFound } from './collections.ts'
import { baseUrl, GEOJSON } from '../../core/ogc/links.ts'

const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'
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
    crs: [CRS84],
    ...(bbox || temporal ? { extent: { ...spatialExtent, ...temporalExtent } } : {}),
    links: [
      { href: base, rel: 'self', type: 'application/json', title: 'This collection' },
      { href: `${base}/items`, rel: 'items', type: GEOJSON, title: 'Items as GeoJSON' },
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
