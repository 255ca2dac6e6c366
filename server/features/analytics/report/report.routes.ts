import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ANALYTICS_ACCESS } from '../access.ts'
import { currentUser } from '../../../core/auth/auth.plugin.ts'
import { errorResponses } from '../../../core/http/common.schemas.ts'
import { protectionNote } from '../../../core/privacy/small-counts.ts'
import { countProtectionFor } from '../../key-persons/index.ts'
import { MonthlyReportSchema } from './report.schemas.ts'
import { composeReport } from './report.service.ts'
import { toReportDto } from './report-dto.ts'

/**
 * The monthly report (月度研判报告) for the township's monthly review meeting
 * (研判会): one answer with everything the printed page shows. Who may read it
 * is who may read the dashboard (leaders, the center, stations, admins; grid
 * workers 403), with the same key-person protection.
 */
const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/report',
    {
      config: { access: ANALYTICS_ACCESS },
      schema: {
        tags: ['Analytics'],
        summary: 'Monthly report (月度研判报告) of a month for one village or the township: KPIs, trend, risk map, rising grids, cross-village clusters, overdue cases',
        description:
          'The month runs from the 1st 00:00 to the next 1st 00:00 township time (UTC+8); the month under way runs to now. ' +
          'Figures come from the same computations as GET /api/analytics/kpis, /trend, /risk/scores, /risk/change and /dispute-clusters.',
        querystring: Type.Object(
          {
            month: Type.String({ maxLength: 20, description: 'YYYY-MM (township time); not a future month' }),
            villageId: Type.Optional(Type.Integer({ minimum: 1, description: 'A current village (area id); absent = the whole township' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: MonthlyReportSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const protection = await countProtectionFor(app.db, user)
      const now = new Date()
      const report = await composeReport(app.db, {
        month: request.query.month,
        villageId: request.query.villageId ?? null,
        lang: request.lang,
        user,
        protection,
        now,
      })
      reply.header('cache-control', 'no-store')
      return toReportDto(report, { lang: request.lang, user, now, protection: protectionNote(protection) })
    },
  )
}

export default reportRoutes
