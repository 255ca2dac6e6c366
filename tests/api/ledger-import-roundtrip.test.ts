import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { caseClient, disputeFeature, gridPoints, hazardFeature } from '../support/cases.ts'
import { postLedger } from '../support/ledger.ts'

/** The sheet of an .xlsx as rows of text. */
async function sheetRows(bytes: Buffer): Promise<string[][]> {
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(bytes as unknown as ArrayBuffer)
  const rows: string[][] = []
  book.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((cell) => String(cell ?? ''))))
  return rows
}

async function download(t: TestApp, user: TestUser, url: string, lang: 'zh' | 'en'): Promise<Buffer> {
  const response = await t.app.inject({ url, headers: { ...user.headers, 'accept-language': lang } })
  expect(response.statusCode, response.body).toBe(200)
  return response.rawPayload
}

/** Every row of a table but its first column (the case id, which a new database numbers anew). */
const withoutIds = (rows: string[][]) => rows.map((row) => row.slice(1))
const csvLines = (bytes: Buffer) => withoutIds(bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n').map((line) => line.split(',')))

describe('round trip of our own problem-list export (问题清单)', () => {
  it('an export imports into another database unchanged, and into its own database as duplicates', async () => {
    const month = '/api/exports/problems'
    let xlsxA: Buffer
    let csvA: Buffer
    {
      const a = await createTestApp()
      try {
        const dispatcher = await a.signIn('dispatcher')
        const c = caseClient(a)
        const points = await gridPoints(a.database.engine.db)
        const registered = [
          await c.register(dispatcher, 'hazards', hazardFeature(points[0], { reportedAt: '2025-11-05T08:00:00+08:00', description: '往返-柴草堆' })),
          await c.register(dispatcher, 'hazards', hazardFeature(points[7], { reportedAt: '2025-11-06T09:30:00+08:00', description: '含逗号,和"引号"的描述', category: 'building', severity: 'medium', source: 'hotline' })),
          await c.register(dispatcher, 'disputes', disputeFeature(points[20], [points[20].villageId], { reportedAt: '2025-11-10T10:00:00+08:00', tier: 'complex' })),
          await c.register(dispatcher, 'hazards', hazardFeature(points[33], { reportedAt: '2025-11-11T10:00:00+08:00', description: '=HYPERLINK("x")', severity: 'critical' })),
        ]
        for (const response of registered) expect(response.statusCode, response.body).toBe(201)
        xlsxA = await download(a, dispatcher, `${month}.xlsx?month=2025-11`, 'zh')
        csvA = await download(a, dispatcher, `${month}.csv?month=2025-11`, 'en')
      } finally {
        await a.close()
      }
    }
    const b = await createTestApp()
    try {
      const dispatcher = await b.signIn('dispatcher')
      const report = await postLedger(b, dispatcher, 'cases', 'commit', xlsxA, '问题清单-2025-11.xlsx')
      expect(report.statusCode, report.body).toBe(201)
      expect(report.json()).toMatchObject({ ownExport: true, missingFields: [], counts: { rows: 4, accepted: 4, refused: 0 } })
      const xlsxB = await download(b, dispatcher, `${month}.xlsx?month=2025-11`, 'zh')
      const [rowsA, rowsB] = [await sheetRows(xlsxA), await sheetRows(xlsxB)]
      expect(rowsA.length).toBe(5)
      expect(withoutIds(rowsB)).toEqual(withoutIds(rowsA))

      const csvB = await download(b, dispatcher, `${month}.csv?month=2025-11`, 'en')
      expect(csvLines(csvB)).toEqual(csvLines(csvA))
      // The English CSV is recognised too; in a database that holds those cases every row is a duplicate.
      const again = (await postLedger(b, dispatcher, 'cases', 'dry-run', csvA, 'problem-list-2025-11.csv', {}, 'en')).json()
      expect(again.ownExport).toBe(true)
      expect(again.counts).toEqual({ rows: 4, accepted: 0, refused: 4 })
      for (const row of again.rows) expect(row.reasons[0]).toMatch(/^Duplicates an existing case/)
    } finally {
      await b.close()
    }
  })
})
