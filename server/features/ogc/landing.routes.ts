import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { baseUrl, GEOJSON, OPENAPI_JSON } from '../../core/ogc/links.ts'
import { FILTER_CONFORMANCE } from '../../core/ogc/cql2/conformance.ts'

const LinkSchema = Type.Object({
  href: Type.String(),
  rel: Type.String(),
  type: Type.Optional(Type.String()),
  title: Type.Optional(Type.String()),
})

/** OGC API – Features conformance classes this service implements. */
export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  ...FILTER_CONFORMANCE,
  'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
]

const FormatQuery = Type.Object(
  { f: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('application/json')])) },
  { additionalProperties: false },
)

/** Landing page, conformance declaration and the OpenAPI document: the public part of the API. */
const landingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '',
    {
      config: { access: 'public' },
      schema: {
        tags: ['OGC API – Features'],
        summary: 'Landing page',
        security: [],
        querystring: FormatQuery,
        response: {
          200: Type.Object({ title: Type.String(), description: Type.String(), links: Type.Array(LinkSchema) }),
        },
      },
    },
    async (request) => {
      const base = baseUrl(request)
      const zh = request.lang === 'zh'
      return {
        title: zh ? '网格治理一张图 · GridAtlas' : 'GridAtlas (网格治理一张图)',
        description: zh
          ? '乡镇网格治理地理信息服务：镇、村（社区）、基础网格与精细网格（OGC API – Features）'
          : 'Township grid-governance geodata: town, villages, base grids and fine grids (OGC API – Features)',
        links: [
          { href: `${base}/api`, rel: 'self', type: 'application/json', title: 'This document' },
          { href: `${base}/api/openapi.json`, rel: 'service-desc', type: OPENAPI_JSON, title: 'OpenAPI 3.0 definition' },
          { href: `${base}/api/conformance`, rel: 'conformance', type: 'application/json', title: 'Conformance classes' },
          { href: `${base}/api/collections`, rel: 'data', type: 'application/json', title: 'Collections' },
          { href: `${base}/api/collections/villages/items`, rel: 'item', type: GEOJSON, title: 'Villages' },
        ],
      }
    },
  )

  app.get(
    '/conformance',
    {
      config: { access: 'public' },
      schema: {
        tags: ['OGC API – Features'],
        summary: 'Conformance classes',
        security: [],
        querystring: FormatQuery,
        response: { 200: Type.Object({ conformsTo: Type.Array(Type.String()) }) },
      },
    },
    async () => ({ conformsTo: CONFORMANCE }),
  )

  app.get(
    '/openapi.json',
    {
      config: { access: 'public' },
      schema: { tags: ['OGC API – Features'], summary: 'OpenAPI 3.0 document of this service', security: [], querystring: FormatQuery },
    },
    async (_request, reply) => {
      // With the charset given, Fastify keeps the type as written; otherwise it re-serialises it as
      // `version="3.0"`, which GDAL's OAPIF driver refuses ("Unexpected Content-Type"), losing the document.
      return reply.type(`${OPENAPI_JSON}; charset=utf-8`).send(JSON.stringify(app.swagger()))
    },
  )
}

export default landingRoutes
