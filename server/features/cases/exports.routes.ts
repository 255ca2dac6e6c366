import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { Type, type Static } from 'typebox'
import type { Lang } from '../../core/i18n/messages.ts'
import { leadTable, monthRange, problemTable } from './monthly-lists.ts'
import { toCsv, toXlsx, type ExportCell, type ExportColumn } from '../../core/export/table-export.ts'
import { findMonthlyLeads, findMonthlyProblems, type MonthlyFilter } from './exports.repository.ts'
import { listRoutingRules } from './settings.repository.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { STAFF_GRID_SCOPED } from '../../core/auth/access.ts'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const CSV = 'text/csv; charset=utf-8'

const MonthlyQuery = Type.Object(
  {
    month: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM, in the township time zone (UTC+8)' }),
    villageId: Type.Optional(Type.Integer({ minimum: 1 })),
    gridId: Type.Optional(Type.Integer({ minimum: 1, description: 'Base or fine grid area id' })),
    station: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
)
type MonthlyQueryValue = Static<typeof MonthlyQuery>

const NAMES = {
  problems: { zh: '问题清单', en: 'problem-list' },
  leads: { zh: '线索清单', en: 'lead-list' },
} as const

function filterOf(query: MonthlyQueryValue): MonthlyFilter {
  return { ...monthRange(query.month), villageId: query.villageId, gridId: query.gridId, station: query.station }
}

async function send(
  reply: FastifyReply,
  format: 'xlsx' | 'csv',
  list: keyof typeof NAMES,
  lang: Lang,
  month: string,
  table: { columns: ExportColumn[]; rows: ExportCell[][] },
) {
  const name = `${NAMES[list][lang]}-${month}.${format}`
  const ascii = `${NAMES[list].en}-${month}.${format}`
  reply.header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`)
  reply.header('cache-control', 'no-store')
  if (format === 'csv') return reply.type(CSV).send(toCsv(table.columns, table.rows))
  return reply.type(XLSX).send(await toXlsx(NAMES[list][lang], table.columns, table.rows))
}

/**
 * Monthly lists as .xlsx and CSV (UTF-8 with BOM): the problem list (问题清单 —
 * hazards and disputes open at some time during the month) and the lead list
 * (线索清单), filtered by village, grid and station; headers in the request's
 * language. Rows are limited to what the user may read.
 */
const caseExportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const format of ['xlsx', 'csv'] as const) {
    const produces = [format === 'xlsx' ? XLSX : 'text/csv']
    const response = { 200: Type.String({ description: `${format} file` }), ...errorResponses(400, 401) }
    app.get(
      `/problems.${format}`,
      {
        config: { access: STAFF_GRID_SCOPED },
        schema: { tags: ['Cases'], summary: `Monthly problem list (问题清单) as ${format}`, produces, querystring: MonthlyQuery, response },
      },
      async (request, reply) => {
        const rows = await findMonthlyProblems(app.db, request.user!, filterOf(request.query))
        return send(reply, format, 'problems', request.lang, request.query.month, problemTable(rows, request.lang))
      },
    )
    app.get(
      `/leads.${format}`,
      {
        config: { access: STAFF_GRID_SCOPED },
        schema: { tags: ['Leads'], summary: `Monthly lead list (线索清单) as ${format}`, produces, querystring: MonthlyQuery, response },
      },
      async (request, reply) => {
        const rows = await findMonthlyLeads(app.db, request.user!, filterOf(request.query))
        const names = new Map((await listRoutingRules(app.db)).map((rule) => [rule.category, { zh: rule.name_zh, en: rule.name_en }]))
        return send(reply, format, 'leads', request.lang, request.query.month, leadTable(rows, request.lang, names))
      },
    )
  }
}

export default caseExportsRoutes
