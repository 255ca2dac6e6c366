import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ANALYTICS_ACCESS, ANALYTICS_ROLES, analyticsAccess } from '../access.ts'
import { listJointCases } from './joint-cases.repository.ts'
import { closeJointCase, openJointCase } from './joint-cases.service.ts'
import { errorResponses } from '../../../core/http/common.schemas.ts'
import { JointCaseSchema, OpenedJointCaseSchema } from '../analytics.schemas.ts'
import { currentUser } from '../../../core/auth/auth.plugin.ts'
import { isCountyUser } from '../../../core/auth/scope.ts'


/**
 * Joint mediation cases (联调): the list, for every analytics reader, and
 * opening one on the disputes of a cluster and closing one with a reason
 * (dispatcher, admin).
 */
const jointCasesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/joint-cases',
    {
      config: { access: ANALYTICS_ACCESS },
      schema: {
        tags: ['Analytics'],
        summary: 'Joint mediation cases (联调), newest first, with their disputes, stations and status',
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Enum(['open', 'closed'])),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ jointCases: Type.Array(JointCaseSchema) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const rows = await listJointCases(app.db, { status: request.query.status, limit: request.query.limit ?? 100 })
      const county = isCountyUser(currentUser(request))
      return {
        jointCases: rows.map((row) => ({
          ...row,
          crossTown: row.townIds.length > 1,
          // The county's record of the cluster names every town's disputes (memberIds, their dates): a town sees its own members only.
          cluster: row.townIds.length > 1 && !county ? {} : row.cluster,
          openedAt: row.openedAt.toISOString(),
          closedAt: row.closedAt?.toISOString() ?? null,
          disputes: row.disputes.map((dispute) => ({ ...dispute, reportedAt: dispute.reportedAt.toISOString() })),
        })),
      }
    },
  )

  app.post(
    '/joint-cases/:id/close',
    {
      config: { access: analyticsAccess(ANALYTICS_ROLES.jointCase) },
      schema: {
        tags: ['Analytics'],
        summary: 'Close a joint mediation case (联调) with a reason (dispatcher, admin)',
        description: 'One transaction: the joint case is marked closed and every linked dispute gets a `joint-case-close` ledger entry (its own status unchanged). 409 when already closed.',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            id: Type.Integer(),
            status: Type.Literal('closed'),
            closedAt: Type.String(),
            closedBy: Type.Integer(),
            closeReason: Type.String(),
            caseIds: Type.Array(Type.Integer()),
          }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => {
      const closed = await closeJointCase(app.db, request.user!, request.params.id, request.body.reason)
      return { ...closed, closedAt: closed.closedAt.toISOString() }
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
          201: OpenedJointCaseSchema,
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

export default jointCasesRoutes
