import ExcelJS from 'exceljs'
import type { TestApp, TestUser } from './test-app.ts'

/** A multipart body with form `fields` and the ledger `file`, as a browser's FormData sends it. */
export async function multipart(file: Buffer | Uint8Array, filename: string, fields: Record<string, string> = {}) {
  const form = new FormData()
  for (const [name, value] of Object.entries(fields)) form.append(name, value)
  form.append('file', new Blob([new Uint8Array(file)]), filename)
  const encoded = new Response(form)
  return { payload: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type')! }
}

/** Posts a ledger to `/api/ledger-imports/{target}/{step}` as `user`. */
export async function postLedger(
  t: TestApp,
  user: TestUser,
  target: 'cases' | 'key-persons',
  step: 'dry-run' | 'commit',
  file: Buffer | Uint8Array,
  filename: string,
  fields: Record<string, string> = {},
  lang: 'zh' | 'en' = 'zh',
) {
  const body = await multipart(file, filename, fields)
  return t.app.inject({
    method: 'POST',
    url: `/api/ledger-imports/${target}/${step}`,
    headers: { ...user.headers, 'content-type': body.contentType, 'accept-language': lang },
    payload: body.payload,
  })
}

/** A CSV file (UTF-8 with BOM, CRLF) of `rows` under `headers`. */
export function csvFile(headers: string[], rows: Array<Array<string | number>>): Buffer {
  const cell = (value: string | number) => {
    const text = String(value)
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
  }
  return Buffer.from(`\uFEFF${[headers, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`, 'utf8')
}

/** An .xlsx file with one sheet of `rows` under `headers`. */
export async function xlsxFile(headers: string[], rows: Array<Array<string | number>>): Promise<Buffer> {
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet('台账')
  sheet.addRow(headers)
  for (const row of rows) sheet.addRow(row)
  return Buffer.from(await book.xlsx.writeBuffer())
}

/**
 * WGS84 → GCJ-02, the published algorithm (Krasovsky ellipsoid), written here
 * independently of the server's gcoord so that the import's conversion back
 * is checked against a second implementation.
 */
export function wgs84ToGcj02(lon: number, lat: number): [number, number] {
  const a = 6378245.0
  const ee = 0.00669342162296594323
  const x = lon - 105.0
  const y = lat - 35.0
  let dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
  dLat += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0
  dLat += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0
  dLat += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0
  let dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
  dLon += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0
  dLon += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0
  dLon += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0
  const radLat = (lat / 180.0) * Math.PI
  const magic = 1 - ee * Math.sin(radLat) ** 2
  const sqrtMagic = Math.sqrt(magic)
  dLat = (dLat * 180.0) / (((a * (1 - ee)) / (magic * sqrtMagic)) * Math.PI)
  dLon = (dLon * 180.0) / ((a / sqrtMagic) * Math.cos(radLat) * Math.PI)
  return [lon + dLon, lat + dLat]
}
