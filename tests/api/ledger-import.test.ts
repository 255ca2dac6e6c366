import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { csvFile, postLedger, wgs84ToGcj02, xlsxFile } from '../support/ledger.ts'
import { locateRow, PlaceIndex } from '../../server/features/ledger-import/locate.ts'

interface Grid {
  areaId: number
  code: string
  name: string
  level: string
  villageId: number
  villageName: string
  lon: number
  lat: number
}

let t: TestApp
let dispatcher: TestUser
let admin: TestUser
let leader: TestUser
let station: TestUser
let worker: TestUser
let fine: Grid[]
let base: Grid[]

const db = () => t.database.engine.db

async function grids(level: 'fine_grid' | 'base_grid'): Promise<Grid[]> {
  const { rows } = await sql<Grid>`
    SELECT g.area_id AS "areaId", g.code, g.name, g.level, v.area_id AS "villageId", v.name AS "villageName",
      ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
    FROM current_areas g
    JOIN current_areas v ON v.level = 'village' AND g.code LIKE v.code || '%'
    WHERE g.level = ${level} ORDER BY g.code`.execute(db())
  return rows.map((row) => ({ ...row, areaId: Number(row.areaId), villageId: Number(row.villageId), lon: Number(row.lon), lat: Number(row.lat) }))
}

async function count(table: 'cases' | 'key_persons' | 'case_events'): Promise<number> {
  const row = await db().selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}

async function importAudits(): Promise<Array<{ username: string; action: string; subject_ids: unknown[]; detail: Record<string, unknown> }>> {
  return (await db().selectFrom('audit_log').select(['username', 'action', 'subject_ids', 'detail']).where('subject_kind', '=', 'ledger_import').orderBy('id').execute()) as never
}

beforeAll(async () => {
  t = await createTestApp()
  fine = await grids('fine_grid')
  base = await grids('base_grid')
  dispatcher = await t.signIn('dispatcher')
  admin = await t.signIn('admin')
  leader = await t.signIn('leader')
  station = await t.signIn('station')
  worker = await t.signIn('grid_worker', { gridIds: [fine[0].areaId] })
})
afterAll(() => t?.close())

const CASE_HEADERS = ['类型', '类别', '描述', '等级', '发现时间', '来源', '报告人', '经度', '纬度', '网格编码', '精细网格', '地址']

describe('hazards and disputes from CSV', () => {
  const rows = () => [
    ['隐患', '消防隐患', '台账导入-坐标', '高', '2025-11-03 09:00', '网格员排查', '杨某', fine[0].lon, fine[0].lat, '', '', ''],
    ['隐患', '危房隐患', '台账导入-精细网格编码', '中', '2025-11-04 09:00', '', '段某', '', '', fine[5].code, '', ''],
    ['矛盾纠纷', '邻里纠纷', '台账导入-基础网格编码', '一般', '2025/11/05 10:30', '群众来访', '李某', '', '', base[3].code, '', ''],
    ['隐患', '交通安全隐患', '台账导入-网格名称', '低', '2025-11-06', '', '赵某', '', '', '', fine[9].name, ''],
    ['隐患', '用电安全隐患', '台账导入-地址', '高', '2025-11-07 08:15', '', '何某', '', '', '', '', `喜洲镇${fine[12].name}李家巷5号`],
    ['隐患', '消防隐患', '台账导入-只有村', '高', '2025-11-07 08:15', '', '何某', '', '', '', '', `${fine[12].villageName}某组18号`],
    ['隐患', '消防隐患', '台账导入-无法定位', '高', '2025-11-07 08:15', '', '何某', '', '', '', '', '大理市下关镇'],
    ['隐患', '不存在的类别', '台账导入-类别', '高', '2025-11-07 08:15', '', '何某', fine[0].lon, fine[0].lat, '', '', ''],
    ['隐患', '消防隐患', '台账导入-未来', '高', '2099-01-01 08:00', '', '何某', fine[0].lon, fine[0].lat, '', '', ''],
    ['隐患', '消防隐患', '台账导入-坐标', '高', '2025-11-03 09:00', '', '杨某', fine[0].lon, fine[0].lat, '', '', ''],
  ]

  it('dry run: a report row by row (each location kind, refusals with reasons in zh and en) and nothing written', async () => {
    const before = { cases: await count('cases'), events: await count('case_events'), audits: (await importAudits()).length }
    const file = csvFile(CASE_HEADERS, rows())
    const response = await postLedger(t, dispatcher, 'cases', 'dry-run', file, 'ledger.csv')
    expect(response.statusCode, response.body).toBe(200)
    const report = response.json()
    expect(report.format).toBe('csv')
    expect(report.missingFields).toEqual([])
    expect(report.counts).toEqual({ rows: 10, accepted: 5, refused: 5 })
    const byRow = new Map<number, { status: string; reasons: string[]; location: { method: string; grid: string | null } | null }>(
      report.rows.map((row: { row: number }) => [row.row, row]),
    )
    expect(byRow.get(2)).toMatchObject({ status: 'accepted', location: { method: 'coordinates', grid: null } })
    expect(byRow.get(3)).toMatchObject({ status: 'accepted', location: { method: 'grid_code', grid: fine[5].name } })
    expect(byRow.get(4)).toMatchObject({ status: 'accepted', location: { method: 'grid_code', grid: base[3].name } })
    expect(byRow.get(5)).toMatchObject({ status: 'accepted', location: { method: 'grid_name', grid: fine[9].name } })
    expect(byRow.get(6)).toMatchObject({ status: 'accepted', location: { method: 'address', grid: fine[12].name } })
    expect(byRow.get(7)!.reasons[0]).toContain(`只能对应到村（社区）“${fine[12].villageName}”`)
    expect(byRow.get(8)!.reasons[0]).toContain('无法定位')
    expect(byRow.get(9)!.reasons[0]).toContain('“不存在的类别”无法识别')
    expect(byRow.get(9)!.reasons[0]).toContain('消防隐患')
    expect(byRow.get(10)!.reasons[0]).toContain('不是有效时间')
    expect(byRow.get(11)!.reasons[0]).toBe('与本文件第 2 行重复')
    expect({ cases: await count('cases'), events: await count('case_events'), audits: (await importAudits()).length }).toEqual(before)

    const english = (await postLedger(t, dispatcher, 'cases', 'dry-run', file, 'ledger.csv', {}, 'en')).json()
    expect(english.rows.find((row: { row: number }) => row.row === 8).reasons[0]).toContain('Cannot be located')
  })

  it('commit with a refused row: 422 with the report, nothing written', async () => {
    const before = { cases: await count('cases'), events: await count('case_events') }
    const response = await postLedger(t, dispatcher, 'cases', 'commit', csvFile(CASE_HEADERS, rows()), 'ledger.csv')
    expect(response.statusCode, response.body).toBe(422)
    expect(response.json().code).toBe('ledger_commit_refused')
    expect(response.json().report.counts.refused).toBe(5)
    expect({ cases: await count('cases'), events: await count('case_events') }).toEqual(before)
  })

  it('commit of the accepted rows: all written in one go, located in the right grids, one audit entry with the counts', async () => {
    const before = await count('cases')
    const response = await postLedger(t, dispatcher, 'cases', 'commit', csvFile(CASE_HEADERS, rows().slice(0, 5)), 'ledger.csv')
    expect(response.statusCode, response.body).toBe(201)
    expect(response.json()).toMatchObject({ committed: true, counts: { rows: 5, accepted: 5, refused: 0 } })
    expect(await count('cases')).toBe(before + 5)
    const imported = await db()
      .selectFrom('cases')
      .select(['id', 'kind', 'category', 'severity', 'tier', 'status', 'source', 'fine_grid_id', 'base_grid_id', 'reported_at', 'registered_by', 'description'])
      .where('description', 'like', '台账导入-%')
      .orderBy('reported_at')
      .execute()
    expect(imported.map((c) => [c.kind, c.category, c.severity ?? c.tier, c.status])).toEqual([
      ['hazard', 'fire', 'high', 'reported'],
      ['hazard', 'building', 'medium', 'reported'],
      ['dispute', 'neighbour', 'general', 'registered'],
      ['hazard', 'traffic', 'low', 'reported'],
      ['hazard', 'electrical', 'high', 'reported'],
    ])
    expect(Number(imported[0].fine_grid_id)).toBe(fine[0].areaId)
    expect(Number(imported[1].fine_grid_id)).toBe(fine[5].areaId)
    expect(Number(imported[2].base_grid_id)).toBe(base[3].areaId)
    expect(Number(imported[3].fine_grid_id)).toBe(fine[9].areaId)
    expect(Number(imported[4].fine_grid_id)).toBe(fine[12].areaId)
    expect(imported[2].source).toBe('walk_in')
    expect(imported[0].reported_at.toISOString()).toBe('2025-11-03T01:00:00.000Z')
    expect(imported[3].reported_at.toISOString()).toBe('2025-11-05T16:00:00.000Z')
    const audits = await importAudits()
    const last = audits.at(-1)!
    expect(last).toMatchObject({ username: dispatcher.username, action: 'create', detail: { target: 'cases', rows: 5, created: 5, format: 'csv' } })
    expect(last.subject_ids.map(Number).sort()).toEqual(imported.map((c) => Number(c.id)).sort())
    expect(JSON.stringify(last)).not.toContain('杨某')

    const again = (await postLedger(t, dispatcher, 'cases', 'dry-run', csvFile(CASE_HEADERS, rows().slice(0, 1)), 'ledger.csv')).json()
    expect(again.rows[0].reasons[0]).toBe(`与已有事件重复（同类型、同发现时间、同描述，编号 ${imported[0].id}）`)
  })

  it('a database failure in the middle of a commit rolls every row back', async () => {
    // DDL runs as the owner (`exec`): test code's statements run as the app role, which may not create functions.
    await t.database.engine.exec(`CREATE FUNCTION ledger_test_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.description = 'BOOM' THEN RAISE EXCEPTION 'simulated failure'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER ledger_test_boom BEFORE INSERT ON cases FOR EACH ROW EXECUTE FUNCTION ledger_test_boom()`)
    try {
      const before = await count('cases')
      const file = csvFile(CASE_HEADERS, [
        ['隐患', '消防隐患', '回滚测试-第一行', '高', '2025-10-01 09:00', '', '杨某', fine[0].lon, fine[0].lat, '', '', ''],
        ['隐患', '消防隐患', 'BOOM', '高', '2025-10-01 09:00', '', '杨某', fine[0].lon, fine[0].lat, '', '', ''],
      ])
      const response = await postLedger(t, dispatcher, 'cases', 'commit', file, 'ledger.csv')
      expect(response.statusCode).toBe(500)
      expect(await count('cases')).toBe(before)
    } finally {
      await t.database.engine.exec('DROP TRIGGER ledger_test_boom ON cases; DROP FUNCTION ledger_test_boom()')
    }
  })

  it('coordinates in GCJ-02 are converted to WGS84 (checked against a second implementation, within 1 m)', async () => {
    // The published test vector of wandergis/coordtransform: WGS84 (116.404, 39.915) is GCJ-02 (116.41024449916938, 39.91640428150164).
    expect(wgs84ToGcj02(116.404, 39.915)[0]).toBeCloseTo(116.41024449916938, 9)
    expect(wgs84ToGcj02(116.404, 39.915)[1]).toBeCloseTo(39.91640428150164, 9)
    const beijing = locateRow({ lon: '116.41024449916938', lat: '39.91640428150164' }, 'gcj02', new PlaceIndex([]))
    expect(Math.abs(beijing.lon - 116.404) * 85_000).toBeLessThan(1)
    expect(Math.abs(beijing.lat - 39.915) * 111_000).toBeLessThan(1)

    const target = fine[20]
    const [gcjLon, gcjLat] = wgs84ToGcj02(target.lon, target.lat)
    const file = csvFile(['类型', '类别', '描述', '等级', '发现时间', '报告人', '经度', '纬度'], [['隐患', '消防隐患', '火星坐标导入', '高', '2025-11-08 09:00', '杨某', gcjLon, gcjLat]])
    const response = await postLedger(t, dispatcher, 'cases', 'commit', file, 'gcj.csv', { crs: 'gcj02' })
    expect(response.statusCode, response.body).toBe(201)
    const { rows } = await sql<{ meters: number; fine_grid_id: string }>`
      SELECT ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint(${target.lon}::float8, ${target.lat}::float8), 4326)::geography) AS meters, fine_grid_id
      FROM cases WHERE description = '火星坐标导入'`.execute(db())
    expect(Number(rows[0].meters)).toBeLessThan(1)
    expect(Number(rows[0].fine_grid_id)).toBe(target.areaId)
    // Read as WGS84 the same numbers land hundreds of metres away: the conversion is what places them.
    expect(Math.hypot((gcjLon - target.lon) * 95_000, (gcjLat - target.lat) * 111_000)).toBeGreaterThan(100)
  })

  it('other headers: the server proposes a mapping, the user completes it; rows without a kind column take the chosen kind', async () => {
    const headers = ['序号', '纠纷类型', '简要情况', '纠纷等级', '登记时间', '排查人', '当事人', '所属网格', '备注栏']
    const data = [[1, '土地纠纷', '映射导入-土地', '疑难', '2025-11-09 14:00', '王某', `张某（${fine[3].villageName}）、李某（${fine[40].villageName}）`, base[1].name, '']]
    const first = (await postLedger(t, dispatcher, 'cases', 'dry-run', csvFile(headers, data), 'other.csv')).json()
    expect(first.ownExport).toBe(false)
    expect(first.mapping).toMatchObject({ category: 1, description: 2, grade: 3, reportedAt: 4, reporterName: 5, parties: 6, baseGrid: 7, kind: null })
    expect(first.missingFields).toEqual(['kind'])
    expect(first.rows).toEqual([])
    const mapped = await postLedger(t, dispatcher, 'cases', 'commit', csvFile(headers, data), 'other.csv', { kind: 'dispute', mapping: JSON.stringify(first.mapping) })
    expect(mapped.statusCode, mapped.body).toBe(201)
    const created = await db().selectFrom('cases').select(['id', 'tier', 'cross_village', 'base_grid_id']).where('description', '=', '映射导入-土地').executeTakeFirstOrThrow()
    expect(created.tier).toBe('complex')
    expect(Number(created.base_grid_id)).toBe(base[1].areaId)
    const parties = await db().selectFrom('case_parties').select(['name', 'home_village_id']).where('case_id', '=', created.id).orderBy('seq').execute()
    expect(parties.map((p) => [p.name, Number(p.home_village_id)])).toEqual([['张某', fine[3].villageId], ['李某', fine[40].villageId]])
    expect(created.cross_village).toBe(fine[3].villageId !== fine[40].villageId)

    const bad = await postLedger(t, dispatcher, 'cases', 'dry-run', csvFile(headers, data), 'other.csv', { mapping: JSON.stringify({ category: 42 }) })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().code).toBe('ledger_mapping_unknown_column')
    const missing = await postLedger(t, dispatcher, 'cases', 'commit', csvFile(headers, data), 'other.csv')
    expect(missing.statusCode).toBe(400)
    expect(missing.json().message).toContain('kind')
  })
})

const PERSON_HEADERS = ['人员姓名', '性别', '公民身份号码', '手机号', '现住址', '人员类型', '管控级别', '所属网格', '备注']

describe('key persons from .xlsx', () => {
  const people = () => [
    ['杨某某', '男', '532901197501011234', '13812345678', `${fine[0].name}某巷18号`, '刑满释放人员', '红', fine[0].name, ''],
    ['段某', '女', '532901198002022345', '13900001111', '', '独居老人', '绿色', fine[30].name, ''],
  ]

  it('dry run: mapping proposed with the colour column left for the user; the report masks names and numbers', async () => {
    const file = await xlsxFile(PERSON_HEADERS, people())
    const first = (await postLedger(t, dispatcher, 'key-persons', 'dry-run', file, 'people.xlsx')).json()
    expect(first.format).toBe('xlsx')
    expect(first.missingFields).toEqual(['colour'])
    expect(first.ownExport).toBe(false)
    const mapping = { ...first.mapping, colour: 6 }
    const before = await count('key_persons')
    const response = await postLedger(t, dispatcher, 'key-persons', 'dry-run', file, 'people.xlsx', { mapping: JSON.stringify(mapping) })
    expect(response.statusCode, response.body).toBe(200)
    const report = response.json()
    expect(report.counts).toEqual({ rows: 2, accepted: 2, refused: 0 })
    expect(report.rows[0].summary).toEqual({ name: '杨**', idNumber: '**************1234', category: '刑满释放人员', colour: '红色' })
    // The "所属网格" column holds a fine grid's name: found at either level.
    expect(report.rows[0].location).toEqual({ method: 'grid_name', grid: fine[0].name })
    for (const secret of ['杨某某', '532901197501011234', '13812345678', '13900001111', '某巷18号']) expect(response.body).not.toContain(secret)
    expect(await count('key_persons')).toBe(before)
  })

  it('commit: persons registered (identity numbers stored as the register does), one import audit entry; a second import is reported as duplicates', async () => {
    const file = await xlsxFile(PERSON_HEADERS, people())
    const first = (await postLedger(t, dispatcher, 'key-persons', 'dry-run', file, 'people.xlsx')).json()
    const mapping = JSON.stringify({ ...first.mapping, colour: 6 })
    const auditsBefore = (await importAudits()).length
    const response = await postLedger(t, dispatcher, 'key-persons', 'commit', file, 'people.xlsx', { mapping })
    expect(response.statusCode, response.body).toBe(201)
    const persons = await db()
      .selectFrom('key_persons')
      .select(['id', 'name', 'id_number', 'phone', 'colour', 'category', 'fine_grid_id', 'gender'])
      .where('id_number', 'in', ['532901197501011234', '532901198002022345'])
      .orderBy('id')
      .execute()
    expect(persons.map((p) => [p.name, p.colour, p.category, Number(p.fine_grid_id), p.gender])).toEqual([
      ['杨某某', 'red', 'released_prisoner', fine[0].areaId, 'male'],
      ['段某', 'green', 'elderly_alone', fine[30].areaId, 'female'],
    ])
    const audits = await importAudits()
    expect(audits.length).toBe(auditsBefore + 1)
    expect(audits.at(-1)).toMatchObject({ action: 'create', detail: { target: 'key-persons', rows: 2, created: 2, format: 'xlsx' } })
    expect(JSON.stringify(audits.at(-1))).not.toMatch(/杨某某|532901197501011234|13812345678/)

    const again = (await postLedger(t, dispatcher, 'key-persons', 'dry-run', file, 'people.xlsx', { mapping })).json()
    expect(again.rows.map((row: { reasons: string[] }) => row.reasons[0])).toEqual(['该身份证号的重点人员已登记', '该身份证号的重点人员已登记'])
    const inFile = await xlsxFile(PERSON_HEADERS, [people()[0], people()[0]].map((row) => [row[0], row[1], '532901199001013333', ...row.slice(3)]))
    const twice = (await postLedger(t, dispatcher, 'key-persons', 'dry-run', inFile, 'people.xlsx', { mapping })).json()
    expect(twice.rows[1].reasons[0]).toBe('与本文件第 2 行重复')
  })
})

describe('who may import what', () => {
  it('leaders and station staff may not import key persons (403, refusal audited); station staff may not import cases', async () => {
    const file = await xlsxFile(PERSON_HEADERS, [['某人', '男', '', '', '', '独居老人', '红', fine[0].name, '']])
    for (const user of [leader, station]) {
      const response = await postLedger(t, user, 'key-persons', 'dry-run', file, 'people.xlsx')
      expect(response.statusCode).toBe(403)
      expect(response.json().code).toBe('key_person_identities_forbidden')
    }
    const denied = await db().selectFrom('audit_log').select('id').where('action', '=', 'denied').where('username', '=', leader.username).execute()
    expect(denied.length).toBeGreaterThan(0)
    const cases = csvFile(CASE_HEADERS, [['隐患', '消防隐患', '站所导入', '高', '2025-11-03 09:00', '', '杨某', fine[0].lon, fine[0].lat, '', '', '']])
    for (const user of [leader, station]) expect((await postLedger(t, user, 'cases', 'dry-run', cases, 'x.csv')).statusCode).toBe(403)
    expect((await postLedger(t, admin, 'cases', 'dry-run', cases, 'x.csv')).statusCode).toBe(200)
  })

  it('a grid worker imports inside their own grids only: other rows are refused with the reason', async () => {
    const file = csvFile(CASE_HEADERS, [
      ['隐患', '消防隐患', '网格员导入-本网格', '高', '2025-11-03 09:00', '', '杨某', fine[0].lon, fine[0].lat, '', '', ''],
      ['隐患', '消防隐患', '网格员导入-他网格', '高', '2025-11-03 09:00', '', '杨某', fine[50].lon, fine[50].lat, '', '', ''],
    ])
    const report = (await postLedger(t, worker, 'cases', 'dry-run', file, 'x.csv')).json()
    expect(report.rows.map((row: { status: string }) => row.status)).toEqual(['accepted', 'refused'])
    expect(report.rows[1].reasons[0]).toMatch(/网格/)
    const persons = await xlsxFile(PERSON_HEADERS, [
      ['甲某', '男', '', '', '', '独居老人', '红', fine[0].name, ''],
      ['乙某', '男', '', '', '', '独居老人', '红', fine[50].name, ''],
    ])
    const mapping = JSON.stringify({ ...(await postLedger(t, worker, 'key-persons', 'dry-run', persons, 'p.xlsx')).json().mapping, colour: 6 })
    const people = (await postLedger(t, worker, 'key-persons', 'dry-run', persons, 'p.xlsx', { mapping })).json()
    expect(people.rows.map((row: { status: string }) => row.status)).toEqual(['accepted', 'refused'])
    expect(people.rows[1].reasons[0]).toContain('不在你负责的网格内')
  })
})

describe('limits and unreadable files', () => {
  it('answers 400/413 with what went wrong, and writes nothing', async () => {
    const before = await count('cases')
    const tooMany = csvFile(CASE_HEADERS, Array.from({ length: 2001 }, (_, i) => ['隐患', '消防隐患', `x${i}`, '高', '2025-11-03 09:00', '', '杨某', fine[0].lon, fine[0].lat, '', '', '']))
    const many = await postLedger(t, dispatcher, 'cases', 'dry-run', tooMany, 'big.csv')
    expect(many.statusCode).toBe(400)
    expect(many.json().message).toContain('最多导入 2000 行')
    const huge = await postLedger(t, dispatcher, 'cases', 'dry-run', Buffer.alloc(5 * 1024 * 1024 + 10, 0x41), 'huge.csv')
    expect(huge.statusCode).toBe(413)
    expect(huge.json().code).toBe('ledger_file_too_large')
    const broken = await postLedger(t, dispatcher, 'cases', 'dry-run', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'broken.xlsx')
    expect(broken.statusCode).toBe(400)
    expect(broken.json().code).toBe('ledger_file_unreadable')
    const empty = await postLedger(t, dispatcher, 'cases', 'dry-run', csvFile(CASE_HEADERS, []), 'empty.csv')
    expect(empty.json().code).toBe('ledger_file_empty')
    const noFile = await t.app.inject({ method: 'POST', url: '/api/ledger-imports/cases/dry-run', headers: { ...dispatcher.headers, 'content-type': 'application/json' }, payload: '{}' })
    expect(noFile.statusCode).toBe(415)
    const badCrs = await postLedger(t, dispatcher, 'cases', 'dry-run', csvFile(CASE_HEADERS, []), 'x.csv', { crs: 'bd09' })
    expect(badCrs.json().code).toBe('ledger_options_invalid')
    expect(await count('cases')).toBe(before)
  })

  it('reads a GBK-encoded CSV as Excel on a Chinese Windows saves it', async () => {
    const text = `类型,类别,描述,等级,发现时间,报告人,网格编码\r\n隐患,消防隐患,GBK编码台账,高,2025-11-03 09:00,杨某,${fine[2].code}\r\n`
    const { execFileSync } = await import('node:child_process')
    const encoded = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: text })
    const report = (await postLedger(t, dispatcher, 'cases', 'dry-run', encoded, 'gbk.csv')).json()
    expect(report.rows[0]).toMatchObject({ status: 'accepted', summary: { description: 'GBK编码台账' } })
  })
})
