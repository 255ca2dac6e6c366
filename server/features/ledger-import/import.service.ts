import { sql } from 'kysely'
import type { Db } from '../../core/db/database.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { message, type Lang } from '../../core/i18n/messages.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'
import { insertAuditEntry, type AuditActor } from '../../core/audit/audit.repository.ts'
import { fieldsOf, isOwnExport, LOCATION_FIELDS, proposeMapping, type ColumnMapping, type LedgerTarget } from './columns.ts'
import type { LedgerTable } from './ledger-file.ts'
import { locateRow, PlaceIndex, type LedgerCrs, type LocationMethod } from './locate.ts'
import { listCaseCategories, listPersonCategories, listPlaces } from './locations.repository.ts'
import { importCaseRow, type CaseImportContext } from './case-rows.ts'
import { importPersonRow, type PersonImportContext } from './person-rows.ts'
import type { RowText } from './row-values.ts'

/** Subject kind of the audit entry an import writes. */
export const LEDGER_IMPORT_SUBJECT = 'ledger_import'

/** Options of an import, as the user chose them after the dry run. */
export interface LedgerImportOptions {
  /** Column of each field; the server's proposal when absent. */
  mapping?: ColumnMapping
  crs: LedgerCrs
  /** Kind of the case rows whose file has no kind column. */
  defaultKind?: 'hazard' | 'dispute'
}

/** One row of the report. */
export interface ReportRow {
  row: number
  status: 'accepted' | 'refused'
  reasons: string[]
  notes: string[]
  summary: Record<string, string>
  /** How the row was located and in which grid (no coordinates: for key persons the household point is personal data). */
  location: { method: LocationMethod; grid: string | null } | null
}

/** The report of a dry run or a commit. */
export interface LedgerReport {
  target: LedgerTarget
  format: 'xlsx' | 'csv'
  headers: string[]
  mapping: ColumnMapping
  /** Whether the headers are those of our own export (no mapping step needed). */
  ownExport: boolean
  /** Required fields (or `location`) without a column: rows are not checked until they have one. */
  missingFields: string[]
  crs: LedgerCrs
  committed: boolean
  counts: { rows: number; accepted: number; refused: number }
  rows: ReportRow[]
}

/** Thrown to roll back a dry run (or a commit with refused rows) after every row was tried. */
class RollBack extends Error {}

/** Refuses (400) a mapping that names a column the file does not have. */
function checkedMapping(target: LedgerTarget, table: LedgerTable, mapping: ColumnMapping | undefined): ColumnMapping {
  if (!mapping) return proposeMapping(target, table.headers)
  const fields = fieldsOf(target)
  const result: ColumnMapping = {}
  for (const f of fields) {
    const index = mapping[f.key] ?? null
    if (index !== null && (!Number.isInteger(index) || index < 0 || index >= table.headers.length)) {
      throw new HttpError(400, 'ledger_mapping_unknown_column', { field: f.key, column: String(index) })
    }
    result[f.key] = index
  }
  return result
}

function missingFields(target: LedgerTarget, mapping: ColumnMapping, options: LedgerImportOptions): string[] {
  const missing = fieldsOf(target)
    .filter((f) => f.required && mapping[f.key] === null)
    .map((f) => f.key)
  if (target === 'cases' && mapping.kind === null && !options.defaultKind) missing.unshift('kind')
  if (![...LOCATION_FIELDS, 'address'].some((key) => mapping[key] !== null && mapping[key] !== undefined)) missing.push('location')
  return missing
}

/**
 * Runs an import in ONE transaction. Every row is tried for real (the same
 * registration the API does, inside a savepoint that a refused row rolls back),
 * so the dry run refuses exactly what the commit would. The transaction is then
 * rolled back unless this is a commit and no row was refused: a file with a
 * refused row writes nothing at all. A database failure rolls everything back
 * and is answered as an error. A commit writes one audit entry with the counts.
 */
export async function runLedgerImport(
  db: Db,
  user: UserRecord,
  actor: AuditActor,
  target: LedgerTarget,
  table: LedgerTable,
  options: LedgerImportOptions,
  commit: boolean,
  lang: Lang,
): Promise<LedgerReport> {
  const mapping = checkedMapping(target, table, options.mapping)
  const report: LedgerReport = {
    target,
    format: table.format,
    headers: table.headers,
    mapping,
    ownExport: isOwnExport(target, table.headers),
    missingFields: missingFields(target, mapping, options),
    crs: options.crs,
    committed: false,
    counts: { rows: table.rows.length, accepted: 0, refused: 0 },
    rows: [],
  }
  if (report.missingFields.length > 0) {
    if (commit) throw new HttpError(400, 'ledger_mapping_missing', { fields: report.missingFields.join(', ') })
    return report
  }
  const now = new Date()
  try {
    await db.transaction().execute(async (trx) => {
      const places = new PlaceIndex(await listPlaces(trx))
      const caseContext: CaseImportContext = { categories: await listCaseCategories(trx), defaultKind: options.defaultKind, places, seen: new Map() }
      const personContext: PersonImportContext = { categories: await listPersonCategories(trx), seen: new Map() }
      const createdIds: number[] = []
      for (const { rowNumber, cells } of table.rows) {
        const text: RowText = (key) => {
          const index = mapping[key]
          const value = index === null || index === undefined ? '' : (cells[index] ?? '').trim()
          return value === '' ? undefined : value
        }
        let location: ReportRow['location'] = null
        await sql`SAVEPOINT ledger_row`.execute(trx)
        try {
          const found = locateRow(
            { lon: text('lon'), lat: text('lat'), gridCode: text('gridCode'), village: text('village'), baseGrid: text('baseGrid'), fineGrid: text('fineGrid'), address: text('address') },
            options.crs,
            places,
          )
          location = { method: found.method, grid: found.place ? (lang === 'zh' ? found.place.name : (found.place.nameEn ?? found.place.name)) : null }
          const outcome =
            target === 'cases'
              ? await importCaseRow(trx, user, text, found, caseContext, lang, now, rowNumber)
              : await importPersonRow(trx, user, actor, text, found, personContext, lang, now, rowNumber)
          await sql`RELEASE SAVEPOINT ledger_row`.execute(trx)
          createdIds.push(outcome.id)
          report.rows.push({
            row: rowNumber,
            status: 'accepted',
            reasons: [],
            notes: outcome.notes.map((note) => message(note.code, lang, note.params)),
            summary: outcome.summary,
            location,
          })
        } catch (error) {
          await sql`ROLLBACK TO SAVEPOINT ledger_row`.execute(trx)
          if (!(error instanceof HttpError)) throw error
          report.rows.push({ row: rowNumber, status: 'refused', reasons: [message(error.code, lang, error.params)], notes: [], summary: {}, location })
        }
      }
      report.counts.accepted = report.rows.filter((row) => row.status === 'accepted').length
      report.counts.refused = report.counts.rows - report.counts.accepted
      if (!commit || report.counts.refused > 0) throw new RollBack()
      await insertAuditEntry(trx, actor, {
        action: 'create',
        subjectKind: LEDGER_IMPORT_SUBJECT,
        subjectIds: createdIds,
        fields: Object.entries(mapping)
          .filter(([, index]) => index !== null)
          .map(([key]) => key)
          .sort(),
        detail: { target, format: table.format, crs: options.crs, rows: report.counts.rows, created: createdIds.length, createdKind: target === 'cases' ? 'case' : 'key_person' },
      })
      report.committed = true
    })
  } catch (error) {
    if (!(error instanceof RollBack)) throw error
  }
  if (commit && !report.committed) throw new HttpError(422, 'ledger_commit_refused', { refused: report.counts.refused }, { report })
  return report
}
