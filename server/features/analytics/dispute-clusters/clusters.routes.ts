import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ANALYTICS_ACCESS } from '../access.ts'
import { collectionText, featureText } from '../../../core/postgis/geojson.ts'
import { METRIC_SRID } from '../../../core/postgis/crs.ts'
import { parseWindow, windowDto, WindowQuery } from '../../../core/time/time-window.ts'
import { GEOJSON } from '../../../core/ogc/links.ts'
import { HULL_BUFFER_METERS } from './clusters.repository.ts'
import { disputeArcs, disputeClusters } from './clusters.service.ts'
import { errorResponses } from '../../../core/http/common.schemas.ts'
import { featureCollectionSchema, WindowSchema } from '../analytics.schemas.ts'

const VillageSchema = Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]) })
const VillagePointSchema = Type.Object({ ...VillageSchema.properties, lon: Type.Number(), lat: Type.Number() })

const ClusterPropertiesSchema = Type.Object({
  memberIds: Type.Array(Type.Integer(), { description: 'Dispute ids, ascending' }),
  size: Type.Integer(),
  firstReportedAt: Type.String(),
  lastReportedAt: Type.String(),
  villages: Type.Array(VillageSchema, { description: 'Villages the members are located in (recorded at registration)' }),
  partyVillages: Type.Array(VillageSchema, { description: 'Home villages of the members’ parties' }),
  crossVillage: Type.Boolean({ description: 'Members located in ≥ 2 villages, or parties from ≥ 2 villages' }),
  crossVillageBy: Type.Array(Type.Enum(['location', 'parties'])),
})

/**
 * Dispute clusters (DBSCAN in metres) and arcs between the home villages of
 * cross-village disputes. Joint cases opened on a cluster: joint-cases.routes.ts.
 */
const disputeClustersRoutes: FastifyPluginAsyncTypebox = async (app) => {

  app.get(
    '/dispute-clusters',
    {
      config: { access: ANALYTICS_ACCESS },
      schema: {
        tags: ['Analytics'],
        summary: 'Clusters of disputes in space (and optionally time) as hulls, with their villages and a cross-village flag (GeoJSON)',
        description:
          `ST_ClusterDBSCAN over the dispute points in EPSG:${METRIC_SRID} (UTM 47N), so eps = distanceMeters is in real metres. ` +
          'With windowDays, each spatial cluster is cut wherever two consecutive members (by reported time) are more than windowDays apart; ' +
          `pieces smaller than minPoints are dropped. Hull: convex hull of the members, buffered by ${HULL_BUFFER_METERS} m when it is a point or a line.`,
        querystring: Type.Object(
          {
            distanceMeters: Type.Optional(Type.Number({ minimum: 1, maximum: 10000, default: 300, description: 'DBSCAN eps in metres' })),
            minPoints: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000, default: 3, description: 'DBSCAN minimum points (a point counts itself)' })),
            windowDays: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3650, description: 'Members must also be chained in time: consecutive members at most this many days apart' })),
            ...WindowQuery,
          },
          { additionalProperties: false },
        ),
        response: {
          200: featureCollectionSchema(ClusterPropertiesSchema, 'one Polygon hull per cluster, largest first', {
            window: WindowSchema,
            distanceMeters: Type.Number(),
            minPoints: Type.Integer(),
            windowDays: Type.Union([Type.Number(), Type.Null()]),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const { distanceMeters = 300, minPoints = 3, windowDays } = request.query
      const window = parseWindow(request.query)
      const clusters = await disputeClusters(app.db, { window, distanceMeters, minPoints, windowDays })
      const features = clusters.map((cluster) =>
        featureText(`cluster-${cluster.memberIds[0]}`, cluster.hull, {
          memberIds: cluster.memberIds,
          size: cluster.size,
          firstReportedAt: cluster.firstReportedAt.toISOString(),
          lastReportedAt: cluster.lastReportedAt.toISOString(),
          villages: cluster.villages,
          partyVillages: cluster.partyVillages,
          crossVillage: cluster.crossVillageBy.length > 0,
          crossVillageBy: cluster.crossVillageBy,
        }),
      )
      const members = { window: windowDto(window), distanceMeters, minPoints, windowDays: windowDays ?? null }
      return reply.type(GEOJSON).send(collectionText(features, members) as never)
    },
  )

  app.get(
    '/dispute-arcs',
    {
      config: { access: ANALYTICS_ACCESS },
      schema: {
        tags: ['Analytics'],
        summary: 'Pairs of home villages of the parties of cross-village disputes, with counts and village points (for an arc layer)',
        querystring: Type.Object(WindowQuery, { additionalProperties: false }),
        response: {
          200: Type.Object({
            window: WindowSchema,
            arcs: Type.Array(
              Type.Object({
                source: VillagePointSchema,
                target: VillagePointSchema,
                count: Type.Integer({ description: 'Disputes with parties from both villages' }),
                caseIds: Type.Array(Type.Integer()),
              }),
              { description: 'Most disputes first; source is the village with the lower id; points are ST_PointOnSurface (inside the village)' },
            ),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const window = parseWindow(request.query)
      return { window: windowDto(window), arcs: await disputeArcs(app.db, window) }
    },
  )
}

export default disputeClustersRoutes
