import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { currentUser } from '../../core/auth/auth.plugin.ts'
import { STAFF_GRID_SCOPED } from '../../core/auth/access.ts'
import { queryablesList, queryablesSchema } from '../../core/ogc/cql2/queryables.ts'
import { baseUrl } from '../../core/ogc/links.ts'
import { collectionNotFound, findCollection } from './collections.ts'

/** Media type of a queryables document. */
export const SCHEMA_JSON = 'application/schema+json'

/** Link relation of a collection's queryables (OGC API – Features – Part 3). */
export const QUERYABLES_REL = 'http://www.opengis.net/def/rel/ogc/1.0/queryables'

/**
 * Link relation and `f` value of the same queryables as the list the 2020
 * drafts of Part 3 defined (`{"queryables": [{"id", "type", "title"}]}`):
 * GDAL up to 3.7 reads only that shape, from a link with rel `queryables`, to
 * decide which attribute filters it may send as CQL.
 */
export const DRAFT_QUERYABLES_REL = 'queryables'
export const DRAFT_QUERYABLES_FORMAT = 'draft'

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
          {
            f: Type.Optional(
              Type.Union([Type.Literal('json'), Type.Literal('application/schema+json'), Type.Literal(DRAFT_QUERYABLES_FORMAT)], {
                description: `json (default): JSON Schema; ${DRAFT_QUERYABLES_FORMAT}: the list of the 2020 Part 3 drafts, for GDAL ≤ 3.7`,
              }),
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const collection = findCollection(request.params.collectionId)
      if (!collection) throw collectionNotFound(request.params.collectionId)
      const queryables = collection.queryables(currentUser(request))
      if (request.query.f === DRAFT_QUERYABLES_FORMAT) return { queryables: queryablesList(queryables, request.lang) }
      const id = `${baseUrl(request)}/api/collections/${collection.id}/queryables`
      const document = queryablesSchema(id, collection.title[request.lang], queryables, request.lang)
      return reply.type(SCHEMA_JSON).send(JSON.stringify(document))
    },
  )
}

export default queryablesRoutes
