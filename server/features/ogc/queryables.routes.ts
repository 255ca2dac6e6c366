import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { currentUser } from '../../core/auth/auth.plugin.ts'
import { STAFF_GRID_SCOPED } from '../../core/auth/access.ts'
import { queryablesSchema } from '../../core/ogc/cql2/queryables.ts'
import { baseUrl } from '../../core/ogc/links.ts'
import { collectionNotFound, findCollection } from './collections.ts'

/** Media type of a queryables document. */
export const SCHEMA_JSON = 'application/schema+json'

/** Link relation of a collection's queryables (OGC API – Features – Part 3). */
export const QUERYABLES_REL = 'http://www.opengis.net/def/rel/ogc/1.0/queryables'

/**
 * `/collections/{id}/queryables`: the properties the caller may use in a
 * `filter`, as a JSON Schema. Same access as the items: a role that may not
 * read the collection gets the items' refusal, and the list holds only the
 * properties the caller's answer contains.
 */
const queryablesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/:collectionId/queryables',
    {
      config: { access: STAFF_GRID_SCOPED },
      schema: {
        tags: ['OGC API – Features'],
        summary: 'Queryables of a collection: the properties a filter may name (JSON Schema, application/schema+json)',
        params: Type.Object({ collectionId: Type.String() }),
        querystring: Type.Object(
          { f: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('application/schema+json')])) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const collection = findCollection(request.params.collectionId)
      if (!collection) throw collectionNotFound(request.params.collectionId)
      const queryables = collection.queryables(currentUser(request))
      const id = `${baseUrl(request)}/api/collections/${collection.id}/queryables`
      const document = queryablesSchema(id, collection.title[request.lang], queryables, request.lang)
      return reply.type(SCHEMA_JSON).send(JSON.stringify(document))
    },
  )
}

export default queryablesRoutes
