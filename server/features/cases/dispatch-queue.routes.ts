import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CASE_ROLES } from './access.ts'
import { toCaseDto } from './case-dto.ts'
import { listRoutingRules } from './settings.repository.ts'
import { selectCases, type CaseRow } from './cases.repository.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { QueueItemSchema } from './cases.schemas.ts'

/** The dispatch queue (任务分流): registered disputes, most urgent first, each with a suggested station. */
const dispatchQueueRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/queue',
    {
      config: { access: { roles: CASE_ROLES.queue } },
      schema: {
        tags: ['Cases'],
        summary: 'Registered disputes awaiting dispatch, nearest deadline first, with the station suggested by the routing rules (dispatcher, admin)',
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })), offset: Type.Optional(Type.Integer({ minimum: 0 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(QueueItemSchema),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const rules = new Map((await listRoutingRules(app.db, 'dispute')).map((rule) => [rule.category, rule.station_key]))
      const rows = (await selectCases(app.db)
        .where('c.kind', '=', 'dispute')
        .where('c.status', '=', 'registered')
        .orderBy('c.deadline_at')
        .orderBy('c.id')
        .limit(request.query.limit ?? 200)
        .offset(request.query.offset ?? 0)
        .execute()) as CaseRow[]
      return {
        items: rows.map((row) => ({ case: toCaseDto(row, request.user!), suggestedStation: rules.get(row.category) ?? null, mustEscalate: row.tier === 'major' })),
      }
    },
  )
}

export default dispatchQueueRoutes
