import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { HttpError } from '../../core/http/http-error.ts'
import { parseBbox } from '../../core/ogc/bbox.ts'
import { DatetimeQuery, parseDatetimeFilter } from './filters.ts'
import { countCases } from './cases.repository.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { CaseCountsSchema } from './cases.schemas.ts'
import { STAFF_GRID_SCOPED } from '../../core/auth/access.ts'

/** Legend counts: cases per status and open cases per deadline state, for what the user may read. */
const caseCountsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/counts',
    {
      config: { access: STAFF_GRID_SCOPED },
      schema: {
        tags: ['Cases'],
        summary: 'Hazards and disputes per status, and open ones per deadline state (legend), optionally within a bbox and a reported time (datetime)',
        querystring: Type.Object({ bbox: Type.Optional(Type.String()), datetime: DatetimeQuery }, { additionalProperties: false }),
        response: { 200: CaseCountsSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      let bbox: [number, number, number, number] | undefined
      if (request.query.bbox !== undefined) {
        const parsed = parseBbox(request.query.bbox)
        if (!parsed.valid) throw new HttpError(400, 'bad_bbox', { reason: parsed.reason })
        bbox = parsed.bbox
      }
      const { reportedFrom, reportedTo } = parseDatetimeFilter(request.query.datetime)
      const { byStatus, byDeadline } = await countCases(app.db, request.user!, bbox, { from: reportedFrom, to: reportedTo })
      const result = { hazard: { byStatus: {}, openByDeadlineState: {} }, dispute: { byStatus: {}, openByDeadlineState: {} } } as Record<
        'hazard' | 'dispute',
        { byStatus: Record<string, number>; openByDeadlineState: Record<string, number> }
      >
      for (const row of byStatus) result[row.kind].byStatus[row.status] = Number(row.n)
      for (const row of byDeadline) result[row.kind].openByDeadlineState[row.deadline_state] = Number(row.n)
      return result
    },
  )
}

export default caseCountsRoutes
