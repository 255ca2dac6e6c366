import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ANALYTICS_ACCESS } from '../access.ts'
import { collectionBody, featureText } from '../../../core/postgis/geojson.ts'
import { METRIC_SRID } from '../../../core/postgis/crs.ts'
import { parseWindow, windowDto, WindowQuery } from '../../../core/time/time-window.ts'
import { GEOJSON_UTF8 } from '../../../core/ogc/links.ts'
import { HULL_BUFFER_METERS } from './clusters.repository.ts'
import { disputeArcs, disputeClusters } from './clusters.service.ts'
import { errorResponses } from '../../../core/http/common.schemas.ts'
import { currentUser } from '../../../core/auth/auth.plugin.ts'
import { ClusterCollectionSchema, DisputeArcsSchema } from '../analytics.schemas.ts'
import { requestedTown, TownQuery } from '../town-filter.ts'

/**
 * Dispute clusters (DBSCAN in metres) and arcs between the home villages of
 * cross-village disputes. Joint cases opened on a cluster: joint-cases.routes.ts.
 */
const disputeClustersRoutes: FastifyPluginAsyncTypebox = async (app) => {

  app.get(
    '/dispute-clusters',
    {
      config: { access: ANALYTICS_ACCESS, reads: 'replica' },
      schema: {
        tags: ['Analytics'],
        summary: 'Clusters of disputes in space (and optionally time) as hulls, with their villages and a cross-village flag (GeoJSON)',
        description:
          `ST_ClusterDBSCAN over the dispute points in EPSG:${METRIC_SRID} (UTM 47N), so eps = distanceMeters is in real metres. ` +
          'With windowDays, each spatial cluster is cut wherever two consecutive members (by reported time) are more than windowDays apart; ' +
          `pieces smaller than minPoints are dropped. Hull: convex hull of the members, buffered by ${HULL_BUFFER_METERS} m when it is a point or a line. ` +
          'County users cluster across towns: `towns` names the towns of the members and of the parties, `crossTown` marks a cluster spanning a town border. Town users cluster their own town only.',
        querystring: Type.Object(
          {
            distanceMeters: Type.Optional(Type.Number({ minimum: 1, maximum: 10000, default: 300, description: 'DBSCAN eps in metres' })),
            minPoints: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000, default: 3, description: 'DBSCAN minimum points (a point counts itself)' })),
            windowDays: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3650, description: 'Members must also be chained in time: consecutive members at most this many days apart' })),
            townId: Type.Optional(Type.Integer({ minimum: 1, description: 'County users: only this town (default every town, so clusters may span a town border). Town users always get their own town' })),
            ...WindowQuery,
          },
          { additionalProperties: false },
        ),
        response: {
          200: ClusterCollectionSchema,
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const { distanceMeters = 300, minPoints = 3, windowDays } = request.query
      const window = parseWindow(request.query)
      const townId = await requestedTown(request.readDb, currentUser(request), request.query.townId)
      const clusters = await disputeClusters(request.readDb, { window, distanceMeters, minPoints, windowDays, townId })
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
          towns: cluster.towns,
          crossTown: cluster.crossTownBy.length > 0,
          crossTownBy: cluster.crossTownBy,
        }),
      )
      const members = { window: windowDto(window), distanceMeters, minPoints, windowDays: windowDays ?? null }
      return reply.type(GEOJSON_UTF8).send(collectionBody(features, members) as never)
    },
  )

  app.get(
    '/dispute-arcs',
    {
      config: { access: ANALYTICS_ACCESS, reads: 'replica' },
      schema: {
        tags: ['Analytics'],
        summary: 'Pairs of home villages of the parties of cross-village disputes, with counts and village points (for an arc layer)',
        querystring: Type.Object({ ...TownQuery, ...WindowQuery }, { additionalProperties: false }),
        response: {
          200: DisputeArcsSchema,
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const window = parseWindow(request.query)
      const townId = await requestedTown(request.readDb, currentUser(request), request.query.townId)
      return { window: windowDto(window), arcs: await disputeArcs(request.readDb, window, townId) }
    },
  )
}

export default disputeClustersRoutes
