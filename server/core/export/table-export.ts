/** A column of an exported table: header text and the width in characters. */
export interface ExportColumn {
  header: string
  width?: number
}

/** A cell value of an exported table. */
export type ExportCell = string | number | null

/**
 * An .xlsx workbook with one sheet: bold, frozen header row, then the rows.
 * ExcelJS is imported on the first export, not at start: loading it costs more
 * than the rest of the server's modules together (issue 11, warm start).
 */
export async function toXlsx(sheetName: string, columns: ExportColumn[], rows: ExportCell[][]): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs')
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'GridAtlas'
  workbook.created = new Date()
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = columns.map((column) => ({ header: column.header, width: column.width ?? 14 }))
  sheet.getRow(1).font = { bold: true }
  for (const row of rows) sheet.addRow(row.map((cell) => cell ?? ''))
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

/** First characters that make Excel, WPS or LibreOffice read a cell as a formula (or DDE) instead of text. */
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * A text cell that a spreadsheet would run as a formula (`=HYPERLINK(…)`,
 * `+2+5`, `@SUM(…)`, a leading tab or carriage return) gets a leading `'`, so it
 * shows as the text that was typed (OWASP "CSV injection"). Numbers are
 * written as numbers: a negative number is data, not user text.
 */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}

function csvCell(value: ExportCell): string {
  const text = value === null ? '' : typeof value === 'number' ? String(value) : neutraliseFormula(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** CSV (RFC 4180, CRLF) in UTF-8 with a byte-order mark, so Excel opens Chinese text correctly. */
export function toCsv(columns: ExportColumn[], rows: ExportCell[][]): Buffer {
  const lines = [columns.map((column) => csvCell(column.header)).join(','), ...rows.map((row) => row.map(csvCell).join(','))]
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8')
}
