import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import multipart from '@fastify/multipart'
import { HttpError } from '../../core/http/http-error.ts'
import { currentUser } from '../../core/auth/auth.plugin.ts'
import { auditActor } from '../../core/audit/audit.service.ts'
import type { Access } from '../../core/auth/access.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { CASE_ROLES } from '../cases/index.ts'
import { IDENTITY_ACCESS } from '../key-persons/index.ts'
import { fieldsOf, LOCATION_FIELDS, type ColumnMapping, type LedgerTarget } from './columns.ts'
import { LEDGER_MAX_BYTES, LEDGER_MAX_ROWS, readLedgerFile } from './ledger-file.ts'
import type { LedgerCrs } from './locate.ts'
import { runLedgerImport, type LedgerImportOptions, type LedgerReport } from './import.service.ts'
import { LedgerReportSchema } from './ledger-import.schemas.ts'

const CRS_VALUES: readonly LedgerCrs[] = ['wgs84', 'cgcs2000', 'gcj02']

/** Who may import what: exactly who may register those records through the API. */
const ACCESS: Record<LedgerTarget, Access> = {
  cases: { roles: CASE_ROLES.register, gridScoped: true },
  'key-persons': IDENTITY_ACCESS,
}

/** The file and the options of a multipart import request. */
async function receive(request: FastifyRequest): Promise<{ bytes: Uint8Array; options: LedgerImportOptions }> {
  if (!request.isMultipart()) throw new HttpError(400, 'ledger_file_missing')
  const fields: Record<string, string> = {}
  let bytes: Uint8Array | undefined
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || bytes) {
          await part.toBuffer()
          continue
        }
        bytes = new Uint8Array(await part.toBuffer())
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value
      }
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new HttpError(413, 'ledger_file_too_large', { limitMb: LEDGER_MAX_BYTES / 1024 / 1024 })
    throw error
  }
  if (!bytes) throw new HttpError(400, 'ledger_file_missing')
  const crs = (fields.crs ?? 'wgs84') as LedgerCrs
  if (!CRS_VALUES.includes(crs)) throw new HttpError(400, 'ledger_options_invalid', { detail: `crs must be one of ${CRS_VALUES.join(', ')}` })
  const kind = fields.kind
  if (kind !== undefined && kind !== '' && kind !== 'hazard' && kind !== 'dispute') {
    throw new HttpError(400, 'ledger_options_invalid', { detail: 'kind must be hazard or dispute' })
  }
  let mapping: ColumnMapping | undefined
  if (fields.mapping) {
    try {
      mapping = JSON.parse(fields.mapping) as ColumnMapping
    } catch {
      throw new HttpError(400, 'ledger_options_invalid', { detail: 'mapping must be a JSON object of field → column index' })
    }
    if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) {
      throw new HttpError(400, 'ledger_options_invalid', { detail: 'mapping must be a JSON object of field → column index' })
    }
  }
  return { bytes, options: { crs, mapping, defaultKind: kind ? kind : undefined } }
}

/**
 * Ledger import (台账导入, issue 12 item 5): hazards and disputes, or key persons,
 * from .xlsx or CSV. `dry-run` answers the report row by row and writes
 * nothing; `commit` writes every row in one transaction, or nothing at all
 * (422 with the report) when any row is refused.
 */
const ledgerImportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(multipart, { limits: { fileSize: LEDGER_MAX_BYTES, files: 1, fields: 5, fieldSize: 64 * 1024, parts: 8 } })

  for (const target of ['cases', 'key-persons'] as const) {
    for (const step of ['dry-run', 'commit'] as const) {
      const what = target === 'cases' ? 'hazards and disputes' : 'key persons'
      app.post(
        `/${target}/${step}`,
        {
          config: { access: ACCESS[target] },
          schema: {
            tags: ['Ledger import'],
            summary: step === 'dry-run' ? `Check a ledger of ${what} row by row; nothing is written` : `Import a ledger of ${what}: all rows in one transaction, or nothing`,
            description:
              `multipart/form-data: "file" (.xlsx, first sheet, or CSV in UTF-8 or GBK; at most ${LEDGER_MAX_BYTES / 1024 / 1024} MB and ${LEDGER_MAX_ROWS} rows), ` +
              '"mapping" (optional JSON {field: column index}; the server proposes one from the headers, zh or en), "crs" (wgs84 | cgcs2000 | gcj02, ' +
              'of the coordinate columns; CGCS2000 is taken as WGS84, within a metre), "kind" (hazard | dispute, for case rows without a kind column). ' +
              'Rows are located by coordinates, a grid code, a grid name or an address naming a grid, matched offline against our own areas. ' +
              'Who may import is who may register: cases as POST …/items (grid workers inside their own grids), key persons as POST /api/key-persons. ' +
              (step === 'commit' ? 'Any refused row: 422 with the report and nothing written. One audit entry per committed import.' : ''),
            consumes: ['multipart/form-data'],
            response: { 200: LedgerReportSchema, 201: LedgerReportSchema, ...errorResponses(400, 401, 403, 413, 415, 422) },
          },
        },
        async (request, reply) => {
          const { bytes, options } = await receive(request)
          const table = await readLedgerFile(bytes)
          const report = await runLedgerImport(app.db, currentUser(request), auditActor(request), target, table, options, step === 'commit', request.lang)
          return reply.code(step === 'commit' ? 201 : 200).send(withFields(report, request.lang))
        },
      )
    }
  }
}

function withFields(report: LedgerReport, lang: 'zh' | 'en') {
  return {
    ...report,
    fields: fieldsOf(report.target).map((f) => ({ key: f.key, label: f.label[lang], required: f.required, location: LOCATION_FIELDS.has(f.key) || f.key === 'address' })),
  }
}

export default ledgerImportRoutes
