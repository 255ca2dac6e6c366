import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AUDIT_ACTIONS } from '../../core/db/tables/audit.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { toAuditEntryDto } from '../key-persons/index.ts'
import { currentUser } from '../../core/auth/auth.plugin.ts'
import { findAuditEntries, insertAuditEntry } from '../../core/audit/audit.repository.ts'
import { auditActor } from '../../core/audit/audit.service.ts'
import { AuditEntrySchema } from '../key-persons/index.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { roles } from '../../core/auth/access.ts'

/**
 * Which entries each reader sees (三员分立: nobody reads the record of their own duty alone).
 * The audit administrator reviews everyone but the audit administrators; the
 * security administrator reviews the audit administrators (their reads of the log
 * included). Each read of the log is itself an audit entry.
 */
const AUDIT_VIEWS = {
  audit_admin: { exceptRoles: ['audit_admin'] },
  security_admin: { onlyRoles: ['audit_admin'] },
} as const

/** The audit log (audit and security administrators, read only: it is append-only in the database too). */
const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '',
    {
      config: { access: roles('audit_admin', 'security_admin') },
      schema: {
        tags: ['Audit'],
        summary: 'Browse the audit log, newest first (audit administrator: everyone else; security administrator: the audit administrators)',
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
      const user = currentUser(request)
      const view = user.role === 'audit_admin' ? AUDIT_VIEWS.audit_admin : AUDIT_VIEWS.security_admin
      return app.db.transaction().execute(async (trx) => {
        const { rows, total } = await findAuditEntries(trx, { ...filters, ...view, from: fromDate, to: toDate, limit, offset })
        await insertAuditEntry(trx, auditActor(request), {
          action: 'read',
          subjectKind: 'audit_log',
          subjectIds: [],
          detail: { filters: request.query, total },
        })
        return { entries: rows.map(toAuditEntryDto), total, limit, offset }
      })
    },
  )
}

export default auditRoutes
