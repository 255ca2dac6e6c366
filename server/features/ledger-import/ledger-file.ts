import { HttpError } from '../../core/http/http-error.ts'
import { readZipEntries } from '../../core/hardening/zip-archive.ts'

/** Largest ledger file (bytes); a larger upload answers 413. */
export const LEDGER_MAX_BYTES = 5 * 1024 * 1024

/** Most data rows one import may hold (400 beyond): one transaction, one report the user reads through. */
export const LEDGER_MAX_ROWS = 2_000

/** Most bytes an .xlsx may unpack to: a small sheet unpacks to a few times its size; a zip bomb is stopped here. */
const XLSX_MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024

/** A ledger as read: the header texts and the data rows as text cells (1-based sheet row numbers kept for the report). */
export interface LedgerTable {
  format: 'xlsx' | 'csv'
  headers: string[]
  rows: Array<{ rowNumber: number; cells: string[] }>
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]

function isZip(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((byte, index) => bytes[index] === byte)
}

/** `YYYY-MM-DD HH:mm` of a spreadsheet date: Excel stores the wall-clock time, which ExcelJS hands over as UTC fields. */
function wallClock(value: Date): string {
  const iso = value.toISOString()
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`
}

/** The text of a cell value as ExcelJS reads it (plain, date, rich text, formula result, hyperlink). */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (value instanceof Date) return wallClock(value)
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value)
  if (typeof value === 'string' || typeof value === 'boolean') return String(value)
  if (typeof value === 'object') {
    const object = value as { richText?: Array<{ text: string }>; result?: unknown; text?: unknown; error?: string }
    if (object.richText) return object.richText.map((part) => part.text).join('')
    if ('result' in object) return cellText(object.result)
    if ('text' in object) return cellText(object.text)
  }
  return ''
}

/**
 * Text of a CSV file: UTF-8 (with or without a byte-order mark), or GB18030/GBK, the
 * encoding Excel and WPS on a Chinese Windows save "CSV" in when UTF-8 is not chosen.
 */
function csvText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    return new TextDecoder('gb18030').decode(bytes)
  }
}

function table(format: LedgerTable['format'], grid: string[][]): LedgerTable {
  const trimmed = grid.map((row) => row.map((cell) => cell.trim()))
  const headerIndex = trimmed.findIndex((row) => row.some((cell) => cell !== ''))
  if (headerIndex < 0) throw new HttpError(400, 'ledger_file_empty')
  const headers = trimmed[headerIndex]
  while (headers.length > 0 && headers[headers.length - 1] === '') headers.pop()
  const rows = trimmed
    .map((cells, index) => ({ rowNumber: index + 1, cells }))
    .slice(headerIndex + 1)
    .filter((row) => row.cells.some((cell) => cell !== ''))
  if (rows.length === 0) throw new HttpError(400, 'ledger_file_empty')
  if (rows.length > LEDGER_MAX_ROWS) throw new HttpError(400, 'ledger_too_many_rows', { rows: rows.length, limit: LEDGER_MAX_ROWS })
  return { format, headers, rows }
}

async function readXlsx(bytes: Uint8Array): Promise<LedgerTable> {
  let unpacked
  try {
    unpacked = readZipEntries(bytes, () => false, { maxEntries: 500, maxUncompressedBytes: XLSX_MAX_UNCOMPRESSED_BYTES })
  } catch (error) {
    throw new HttpError(400, 'ledger_file_unreadable', { detail: (error as Error).message })
  }
  if (!unpacked.ok) throw new HttpError(413, 'ledger_file_too_large', { limitMb: LEDGER_MAX_BYTES / 1024 / 1024 })
  const { default: ExcelJS } = await import('exceljs')
  const workbook = new ExcelJS.Workbook()
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer)
  } catch (error) {
    throw new HttpError(400, 'ledger_file_unreadable', { detail: (error as Error).message })
  }
  const sheet = workbook.worksheets[0]
  if (!sheet) throw new HttpError(400, 'ledger_file_empty')
  if (sheet.rowCount > LEDGER_MAX_ROWS + 50) throw new HttpError(400, 'ledger_too_many_rows', { rows: sheet.rowCount - 1, limit: LEDGER_MAX_ROWS })
  const grid: string[][] = []
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const values = (row.values as unknown[]).slice(1)
    grid[rowNumber - 1] = values.map(cellText)
  })
  return table('xlsx', Array.from(grid, (row) => row ?? []))
}

async function readCsv(bytes: Uint8Array): Promise<LedgerTable> {
  const text = csvText(bytes).replace(/^\uFEFF/, '')
  const { parseString } = await import('fast-csv')
  const grid: string[][] = []
  try {
    await new Promise<void>((resolve, reject) => {
      parseString(text, { headers: false, ignoreEmpty: false, strictColumnHandling: false })
        .on('data', (row: string[]) => {
          grid.push(row)
          if (grid.length > LEDGER_MAX_ROWS + 50) reject(new HttpError(400, 'ledger_too_many_rows', { rows: `> ${LEDGER_MAX_ROWS}`, limit: LEDGER_MAX_ROWS }))
        })
        .on('error', reject)
        .on('end', () => resolve())
    })
  } catch (error) {
    if (error instanceof HttpError) throw error
    throw new HttpError(400, 'ledger_file_unreadable', { detail: (error as Error).message })
  }
  // Our own CSV export neutralises formula-like text with a leading apostrophe (OWASP CSV injection); take it off again.
  return table('csv', grid.map((row) => row.map((cell) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell))))
}

/**
 * Reads an uploaded ledger: .xlsx (recognised by its ZIP signature; the first sheet)
 * or CSV (anything else). The first non-empty row is the header; empty rows are skipped.
 */
export async function readLedgerFile(bytes: Uint8Array): Promise<LedgerTable> {
  if (bytes.length === 0) throw new HttpError(400, 'ledger_file_empty')
  return isZip(bytes) ? readXlsx(bytes) : readCsv(bytes)
}
