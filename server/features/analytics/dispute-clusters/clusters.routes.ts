import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ANALYTICS_ACCESS, ANALYTICS_ROLES, analyticsAccess } from '../access.ts'
import { collectionText, featureText } from '../../../core/postgis/geojson.ts'
import { METRIC_SRID } from '../../../core/postgis/crs.ts'
import { parseWindow, windowDto, WindowQuery } from '../../../core/time/time-window.ts'
import { GEOJSON } from '../../../core/ogc/links.ts'
import {
  findDisputeArcs,
  findDisputeClusters,
  findVillagePoints,
  HULL_BUFFER_METERS,
  type VillagePointRow,
} from './clusters.repository.ts'
import { openJointCase } from './joint-cases.service.ts'
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

const villageRef = (village: VillagePointRow) => ({ id: village.id, code: village.code, name: village.name, nameEn: village.nameEn })
const round6 = (value: number) => Math.round(value * 1e6) / 1e6

/**
 * Dispute clusters (DBSCAN in metres), arcs between the home villages of
 * cross-village disputes, and opening a joint mediation case (联调) on a cluster.
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
      const clusters = await findDisputeClusters(app.db, { window, distanceMeters, minPoints, windowDays })
      const villageIds = [...new Set(clusters.flatMap((cluster) => [...cluster.villageIds, ...cluster.partyVillageIds]))]
      const villages = new Map((await findVillagePoints(app.db, villageIds)).map((village) => [village.id, villageRef(village)]))
      const refs = (ids: number[]) => ids.flatMap((id) => (villages.has(id) ? [villages.get(id)!] : []))
      const features = clusters.map((cluster) => {
        const crossVillageBy = [
          ...(cluster.villageIds.length >= 2 ? ['location'] : []),
          ...(cluster.partyVillageIds.length >= 2 ? ['parties'] : []),
        ]
        return featureText(`cluster-${cluster.memberIds[0]}`, cluster.hull, {
          memberIds: cluster.memberIds,
          size: cluster.size,
          firstReportedAt: cluster.firstReportedAt.toISOString(),
          lastReportedAt: cluster.lastReportedAt.toISOString(),
          villages: refs(cluster.villageIds),
          partyVillages: refs(cluster.partyVillageIds),
          crossVillage: crossVillageBy.length > 0,
          crossVillageBy,
        })
      })
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
      const arcs = await findDisputeArcs(app.db, window)
      const points = new Map(
        (await findVillagePoints(app.db, [...new Set(arcs.flatMap((arc) => [arc.villageA, arc.villageB]))])).map((village) => [
          village.id,
          { ...villageRef(village), lon: round6(village.lon), lat: round6(village.lat) },
        ]),
      )
      return {
        window: windowDto(window),
        arcs: arcs
          .filter((arc) => points.has(arc.villageA) && points.has(arc.villageB))
          .map((arc) => ({ source: points.get(arc.villageA)!, target: points.get(arc.villageB)!, count: arc.count, caseIds: arc.caseIds })),
      }
    },
  )

  app.post(
    '/dispute-clusters/joint-case',
    {
      config: { access: analyticsAccess(ANALYTICS_ROLES.jointCase) },
      schema: {
        tags: ['Analytics'],
        summary: 'Open a joint mediation case (联调) on the disputes of a cluster, dispatched to several stations at once (dispatcher, admin)',
        description: 'One transaction: the joint case, its links, and a `joint-case` ledger entry on every linked dispute. A dispute belongs to at most one joint case (409).',
        body: Type.Object(
          {
            title: Type.String({ minLength: 1, maxLength: 200 }),
            note: Type.Optional(Type.String({ maxLength: 4000 })),
            caseIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 500, description: 'memberIds of the cluster' }),
            stationKeys: Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: 7, description: 'Stations the joint case is dispatched to' }),
            cluster: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'Parameters the cluster was found with (kept for the record)' })),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            id: Type.Integer(),
            title: Type.String(),
            note: Type.String(),
            status: Type.String(),
            openedAt: Type.String(),
            openedBy: Type.Integer(),
            caseIds: Type.Array(Type.Integer()),
            stationKeys: Type.Array(Type.String()),
            cluster: Type.Object({}, { additionalProperties: true }),
          }),
          ...errorResponses(400, 401, 403, 409),
        },
      },
    },
    async (request, reply) => {
      const row = await openJointCase(app.db, request.user!, { ...request.body, cluster: request.body.cluster as Record<string, unknown> | undefined })
      reply.code(201)
      return { ...row, openedAt: row.openedAt.toISOString() }
    },
  )
}

export default disputeClustersRoutes
