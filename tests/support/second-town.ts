import { sql } from 'kysely'
import type { Role } from '../../server/core/db/tables/auth.ts'
import { ROLES } from '../../server/core/db/tables/auth.ts'
import { caseClient, disputeFeature, hazardFeature } from './cases.ts'
import { personBody } from './key-persons.ts'
import type { TestApp, TestUser } from './test-app.ts'

/** Marks every text of the second town, so a test can look for it in any answer. */
export const TOWN_B_MARKER = '乙镇测试'

/** The code of the second town: county 532901, town 150. */
export const TOWN_B_CODE = '532901150000'

/** A second town next to the sample township, with one village, base grid and fine grid, and some records. */
export interface SecondTown {
  townId: number
  villageId: number
  baseGridId: number
  fineGridId: number
  /** A point inside its fine grid. */
  point: { lon: number; lat: number }
  /** Its users, one per town role (county roles excluded). */
  users: Partial<Record<Role, TestUser>>
  hazardId: number
  disputeId: number
  personId: number
}

/** Roles a town user may hold (everything but the county roles). */
export const TOWN_USER_ROLES = ROLES.filter((role) => role !== 'county_leader' && role !== 'county_dispatcher')

/**
 * Adds a second town east of the sample township (a 2 km square, with one
 * village, base grid and fine grid on it), users of every town role, and a
 * hazard, a dispute and a key person registered through the API by its users.
 */
export async function addSecondTown(t: TestApp): Promise<SecondTown> {
  const db = t.database.engine.db
  const { rows: extent } = await sql<{ xmax: number; ymin: number }>`
    SELECT ST_XMax(ST_Extent(geom)) AS xmax, ST_YMin(ST_Extent(geom)) AS ymin FROM current_areas WHERE level = 'town'`.execute(db)
  const west = Number(extent[0].xmax) + 0.01
  const south = Number(extent[0].ymin)
  const square = `MULTIPOLYGON(((${west} ${south}, ${west + 0.02} ${south}, ${west + 0.02} ${south + 0.02}, ${west} ${south + 0.02}, ${west} ${south})))`
  const ids: number[] = []
  const levels = ['town', 'village', 'base_grid', 'fine_grid'] as const
  for (const [index, level] of levels.entries()) {
    const { id } = await db.insertInto('areas').values({ level }).returning('id').executeTakeFirstOrThrow()
    await db
      .insertInto('area_versions')
      .values({
        area_id: id,
        version: 1,
        valid_from: new Date('2020-01-01T00:00:00Z'),
        parent_id: index === 0 ? null : ids[index - 1],
        county_code: '532901',
        township_seq: 150,
        village_seq: index >= 1 ? 1 : null,
        grid_seq: index >= 2 ? 1 : null,
        fine_seq: index >= 3 ? 1 : null,
        name: `${TOWN_B_MARKER}${['镇', '村', '基础网格', '精细网格'][index]}`,
        name_en: `TownB ${level}`,
        geom: sql`ST_GeomFromText(${square}, 4326)`,
        changed_by: 'test',
        change_reason: 'second town fixture',
      } as never)
      .execute()
    ids.push(id)
  }
  const [townId, villageId, baseGridId, fineGridId] = ids
  const point = { lon: west + 0.01, lat: south + 0.01 }
  const users: Partial<Record<Role, TestUser>> = {}
  for (const role of TOWN_USER_ROLES) {
    users[role] = await t.signIn(role, { townId, gridIds: role === 'grid_worker' ? [baseGridId] : undefined })
  }
  const cases = caseClient(t)
  const hazard = await cases.register(users.dispatcher!, 'hazards', hazardFeature(point, { description: `${TOWN_B_MARKER}隐患`, reporterName: '乙镇报告人' }))
  if (hazard.statusCode !== 201) throw new Error(`town B hazard: ${hazard.statusCode} ${hazard.body}`)
  const dispute = await cases.register(users.dispatcher!, 'disputes', disputeFeature(point, [villageId], { description: `${TOWN_B_MARKER}纠纷` }))
  if (dispute.statusCode !== 201) throw new Error(`town B dispute: ${dispute.statusCode} ${dispute.body}`)
  const person = await t.app.inject({
    method: 'POST',
    url: '/api/key-persons',
    headers: users.dispatcher!.headers,
    payload: personBody({ lon: point.lon, lat: point.lat, fineGridId, baseGridId, villageId, baseGridName: '' }, { name: '乙镇某某', address: `${TOWN_B_MARKER}某组 1 号` }),
  })
  if (person.statusCode !== 201) throw new Error(`town B person: ${person.statusCode} ${person.body}`)
  return {
    townId,
    villageId,
    baseGridId,
    fineGridId,
    point,
    users,
    hazardId: idOf(hazard.json()),
    disputeId: idOf(dispute.json()),
    personId: idOf(person.json()),
  }
}

function idOf(body: { id?: number | string; person?: { id: number } }): number {
  return Number(body.id ?? body.person?.id)
}

/** The town id of the sample township. */
export async function sampleTownId(t: TestApp): Promise<number> {
  const { rows } = await sql<{ id: number }>`SELECT area_id AS id FROM current_areas WHERE level = 'town' AND code <> ${TOWN_B_CODE} ORDER BY area_id LIMIT 1`.execute(
    t.database.engine.db,
  )
  return Number(rows[0].id)
}
