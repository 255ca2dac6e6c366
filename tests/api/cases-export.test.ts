import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { caseClient, disputeFeature, gridPoints, hazardFeature, type GridPoint } from '../support/cases.ts'

let t: TestApp
let c: ReturnType<typeof caseClient>
let dispatcher: TestUser
let points: GridPoint[]
let own: GridPoint
let other: GridPoint
const ids: Record<string, number> = {}

beforeAll(async () => {
  t = await createTestApp()
  c = caseClient(t)
  dispatcher = await t.signIn('dispatcher')
  points = await gridPoints(t.database.engine.db)
  own = points[0]
  other = points.find((p) => p.villageId !== own.villageId)!
  const hazard = async (name: string, point: GridPoint, reportedAt: string, extra: Record<string, unknown> = {}) => {
    const response = await c.register(dispatcher, 'hazards', hazardFeature(point, { reportedAt, description: `隐患 ${name}`, ...extra }))
    expect(response.statusCode, response.body).toBe(201)
    ids[name] = response.json().id
  }
  await hazard('octOpen', own, '2025-10-10T08:00:00+08:00')
  await hazard('novOwn', own, '2025-11-05T08:00:00+08:00')
  await hazard('novOther', other, '2025-11-06T08:00:00+08:00', { description: '含逗号,和"引号"的描述' })
  await hazard('nextMonth', own, '2025-12-01T00:00:00+08:00')
  await hazard('lateOct', own, '2025-10-31T23:30:00+08:00')
  await hazard('closedInOct', own, '2025-10-02T08:00:00+08:00')
  const closed = await c.act(dispatcher, 'hazards', ids.closedInOct, 'reject', { reason: '不属实' })
  expect(closed.statusCode).toBe(200)
  await t.database.engine.db.updateTable('cases').set({ closed_at: new Date('2025-10-05T08:00:00+08:00') }).where('id', '=', ids.closedInOct).execute()
  const dispute = await c.register(dispatcher, 'disputes', disputeFeature(own, [own.villageId], { reportedAt: '2025-11-10T10:00:00+08:00' }))
  ids.dispute = dispute.json().id
  await c.act(dispatcher, 'disputes', ids.dispute, 'dispatch', { stationKey: 'legal-mediation' })
  const lead = await t.app.inject({
    method: 'POST',
    url: '/api/leads',
    headers: dispatcher.headers,
    payload: { department: '县自然资源局', category: 'geological', description: '后山有裂缝', lon: own.lon, lat: own.lat, receivedAt: '2025-11-03T09:00:00+08:00' },
  })
  ids.lead = lead.json().id
})
afterAll(() => t?.close())

async function workbook(url: string, user: TestUser = dispatcher, headers: Record<string, string> = {}) {
  const response = await c.get(user, url, headers)
  expect(response.statusCode, response.body).toBe(200)
  expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(response.rawPayload as unknown as ArrayBuffer)
  const sheet = book.worksheets[0]
  const rows: unknown[][] = []
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)))
  return { response, sheet, header: rows[0], body: rows.slice(1) }
}

describe('monthly problem list (问题清单)', () => {
  it('exports the hazards and disputes open during the month as .xlsx with Chinese headers', async () => {
    const { response, sheet, header, body } = await workbook('/api/exports/problems.xlsx?month=2025-11')
    expect(response.headers['content-disposition']).toContain("filename*=UTF-8''" + encodeURIComponent('问题清单-2025-11.xlsx'))
    expect(sheet.name).toBe('问题清单')
    expect(header).toEqual(['编号', '类型', '类别', '描述', '等级', '状态', '村（社区）', '基础网格', '精细网格', '发现时间', '来源', '报告人', '分流站所', '办理时限', '督办状态', '办结时间'])
    const rowIds = body.map((row) => row[0])
    expect(rowIds).toEqual([ids.octOpen, ids.lateOct, ids.novOwn, ids.novOther, ids.dispute])
    const dispute = body.find((row) => row[0] === ids.dispute)!
    expect(dispute.slice(1, 6)).toEqual(['矛盾纠纷', '邻里纠纷', '两户因排水沟占地发生争执', '一般', '已分流'])
    expect(dispute[9]).toBe('2025-11-10 10:00')
    expect(dispute[12]).toBe('法律服务及矛盾纠纷调处站')
    const hazard = body.find((row) => row[0] === ids.novOwn)!
    expect(hazard.slice(1, 6)).toEqual(['隐患', '消防隐患', '隐患 novOwn', '高', '待核查'])
    expect(hazard[14]).toBe('逾期（红）')
  })

  it('filters by village, grid and station, and answers in English when asked', async () => {
    const byVillage = await workbook(`/api/exports/problems.xlsx?month=2025-11&villageId=${other.villageId}`)
    expect(byVillage.body.map((row) => row[0])).toEqual([ids.novOther])
    const byGrid = await workbook(`/api/exports/problems.xlsx?month=2025-11&gridId=${own.fineGridId}`)
    expect(byGrid.body.map((row) => row[0])).toEqual([ids.octOpen, ids.lateOct, ids.novOwn, ids.dispute])
    const byStation = await workbook('/api/exports/problems.xlsx?month=2025-11&station=legal-mediation')
    expect(byStation.body.map((row) => row[0])).toEqual([ids.dispute])
    const en = await workbook('/api/exports/problems.xlsx?month=2025-11&station=legal-mediation', dispatcher, { 'accept-language': 'en' })
    expect(en.header.slice(0, 6)).toEqual(['ID', 'Kind', 'Category', 'Description', 'Severity / tier', 'Status'])
    expect(en.body[0].slice(1, 3)).toEqual(['dispute', 'Neighbour dispute'])
    const october = await workbook('/api/exports/problems.xlsx?month=2025-10')
    expect(october.body.map((row) => row[0])).toEqual([ids.closedInOct, ids.octOpen, ids.lateOct])
  })

  it('exports CSV in UTF-8 with a BOM, quoting commas and quotes', async () => {
    const response = await c.get(dispatcher, '/api/exports/problems.csv?month=2025-11')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/)
    const bytes = response.rawPayload
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = bytes.toString('utf8').slice(1)
    const lines = text.trimEnd().split('\r\n')
    expect(lines[0].split(',').slice(0, 4)).toEqual(['编号', '类型', '类别', '描述'])
    expect(lines).toHaveLength(6)
    expect(text).toContain('"含逗号,和""引号""的描述"')
  })

  it('limits a grid worker to their own grids and refuses bad months', async () => {
    const worker = await t.signIn('grid_worker', { gridIds: [other.baseGridId] })
    const mine = await workbook('/api/exports/problems.xlsx?month=2025-11', worker)
    expect(mine.body.map((row) => row[0])).toEqual([ids.novOther])
    for (const month of ['2025-13', '2025-1', 'november', '']) {
      expect((await c.get(dispatcher, `/api/exports/problems.xlsx?month=${month}`)).statusCode, month).toBe(400)
    }
    expect((await c.get(dispatcher, '/api/exports/problems.xlsx')).statusCode).toBe(400)
    expect((await t.app.inject({ url: '/api/exports/problems.csv?month=2025-11' })).statusCode).toBe(401)
  })
})

describe('monthly lead list (线索清单)', () => {
  it('exports the leads open during the month, as .xlsx and CSV', async () => {
    const { header, body, sheet } = await workbook('/api/exports/leads.xlsx?month=2025-11')
    expect(sheet.name).toBe('线索清单')
    expect(header.slice(0, 4)).toEqual(['编号', '移交部门', '类别', '线索内容'])
    expect(body).toHaveLength(1)
    expect(body[0].slice(0, 7)).toEqual([ids.lead, '县自然资源局', '地质灾害隐患', '后山有裂缝', expect.any(String), '2025-11-03 09:00', '待核实'])
    expect((await workbook('/api/exports/leads.xlsx?month=2025-10')).body).toHaveLength(0)
    expect((await workbook('/api/exports/leads.xlsx?month=2025-11&station=police')).body).toHaveLength(1)
    expect((await workbook('/api/exports/leads.xlsx?month=2025-11&station=petition')).body).toHaveLength(0)
    const csv = await c.get(dispatcher, '/api/exports/leads.csv?month=2025-11', { 'accept-language': 'en' })
    expect(csv.rawPayload.toString('utf8').slice(1).split('\r\n')[0]).toMatch(/^ID,Department,Category,Description/)
  })
})
