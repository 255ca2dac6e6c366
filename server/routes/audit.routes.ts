import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AUDIT_ACTIONS } from '../db/tables/audit.table.ts'
import { HttpError } from '../http-error.ts'
import { toAuditEntryDto } from '../mappers/key-person.mapper.ts'
import { requireRole } from '../plugins/auth.plugin.ts'
import { findAuditEntries } from '../repositories/audit.repository.ts'
import { AuditEntrySchema } from './key-persons.schemas.ts'
import { errorResponses } from './schemas.ts'

/** The audit log (admin only, read only: it is append-only in the database too). */
const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/audit',
    {
      preHandler: requireRole('admin'),
      schema: {
        tags: ['Audit'],
        summary: 'Browse the audit log, newest first (admin)',
        querystring: Type.Object(
          {
            userId: Type.Optional(Type.Integer({ minimum: 1 })),
            username: Type.Optional(Type.String({ maxLength: 40 })),
            action: Type.Optional(Type.Union(AUDIT_ACTIONS.map((action) => Type.Literal(action)))),
            subjectKind: Type.Optional(Type.String({ maxLength: 40 })),
            subjectId: Type.Optional(Type.Integer({ minimum: 1, description: 'Entries naming this subject (also within lists)' })),
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
            offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ entries: Type.Array(AuditEntrySchema), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { from, to, limit = 50, offset = 0, ...filters } = request.query
      const fromDate = from === undefined ? undefined : new Date(from)
      const toDate = to === undefined ? undefined : new Date(to)
      if (fromDate && toDate && fromDate > toDate) throw new HttpError(400, 'bad_time_range')
      const { rows, total } = await findAuditEntries(app.db, { ...filters, from: fromDate, to: toDate, limit, offset })
      return { entries: rows.map(toAuditEntryDto), total, limit, offset }
    },
  )
}

export default auditRoutes
