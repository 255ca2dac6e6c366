import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely'
import type { Db } from '../../core/db/database.ts'
import type { Colour, PersonStatus, VisitKind } from '../../core/db/tables/key-person.ts'
import { asGeoJson } from '../../core/postgis/geojson.ts'
import { pointFromLonLat, pointX, pointY } from '../../core/postgis/point.ts'
import type { Bbox } from '../../core/postgis/envelope.ts'

/** Whose key persons a query may see: everyone's, or those of some grids (base or fine grid ids). */
export type PersonScope = { kind: 'all' } | { kind: 'grids'; gridIds: number[] }

/** Whether a person is due a visit: fine, due within the due-soon window, or past due. */
export type VisitState = 'ok' | 'due_soon' | 'overdue'

/** A key person as read, with area identities and the visit state at the time asked. */
export interface KeyPersonRow {
  id: number
  name: string
  gender: 'male' | 'female' | null
  birthYear: number | null
  idNumber: string | null
  phone: string | null
  address: string | null
  /** Exact household (shown only through an audited reveal). */
  lon: number | null
  lat: number | null
  /** The household as shown: a point inside its fine grid (else base grid, else village), never the exact point. */
  shownLon: number | null
  shownLat: number | null
  /** Which area `shownLon`/`shownLat` stand for. */
  shownPrecision: 'fine_grid' | 'base_grid' | 'village' | null
  villageId: number
  villageVersion: number
  villageCode: string
  villageName: string
  villageNameEn: string | null
  baseGridId: number | null
  baseGridVersion: number | null
  baseGridCode: string | null
  baseGridName: string | null
  baseGridNameEn: string | null
  fineGridId: number | null
  fineGridVersion: number | null
  fineGridCode: string | null
  fineGridName: string | null
  fineGridNameEn: string | null
  category: string
  colour: Colour
  status: PersonStatus
  releasedAt: Date | null
  archivedAt: Date | null
  responsibleUserId: number | null
  responsibleUsername: string | null
  responsibleStaffId: number | null
  responsibleStaffName: string | null
  note: string
  version: number
  createdAt: Date
  createdBy: number
  updatedAt: Date
  updatedBy: number
  lastVisitAt: Date | null
  nextVisitDue: Date | null
  visitState: VisitState | null
}

/** Filters of a list of key persons. */
export interface KeyPersonFilter {
  gridId?: number
  villageId?: number
  category?: string
  colour?: Colour
  status?: PersonStatus
  visitState?: VisitState
  name?: string
  /** Households shown inside [minLon, minLat, maxLon, maxLat] (by their shown, fine-grid point). */
  bbox?: Bbox
  /** A compiled CQL2 filter over the key-person queryables (rows `kp`). */
  cql?: RawBuilder<SqlBool>
  /**
   * Persons under management at some moment of the closed interval [from, to]
   * (open when an end is absent): registered (`createdAt`) by `to`, and not
   * released (`releasedAt`) by `from`.
   */
  managedWithin?: { from?: Date; to?: Date }
}

/** Where a household lies: the areas and their versions in force at registration. */
export interface HouseholdLocation {
  lon: number
  lat: number
  villageId: number
  villageVersion: number
  baseGridId: number | null
  baseGridVersion: number | null
  fineGridId: number | null
  fineGridVersion: number | null
}

/** Fields of a new key person. */
export interface NewKeyPerson {
  name: string
  gender: 'male' | 'female' | null
  birthYear: number | null
  idNumber: string | null
  phone: string | null
  address: string | null
  location: HouseholdLocation
  category: string
  colour: Colour
  status: PersonStatus
  responsibleUserId: number | null
  responsibleStaffId: number | null
  note: string
  userId: number
}

/** Changes to a key person; `location` moves the household. */
export type KeyPersonChanges = Partial<Omit<NewKeyPerson, 'userId'>>

/** Count of persons in one group of a summary. */
export interface SummaryGroupRow {
  key: string | number | null
  total: number
  red: number
  orange: number
  yellow: number
  green: number
  overdue: number
  dueSoon: number
}

/** A visit as read. */
export interface VisitRow {
  id: number
  personId: number
  visitorUserId: number
  visitorUsername: string
  visitedAt: Date
  kind: VisitKind
  note: string
  colour: Colour
  nextDue: Date
  createdAt: Date
}

/**
 * Every column of {@link KeyPersonRow}, with the visit state computed as of
 * `now`, as the subquery `kp`. One SQL text rather than a query builder's
 * fifty selections: built twice per page (the rows and their count) under
 * load, the builder's parsing, freezing and compiling of them was the
 * largest part of what the key-person list cost the server beyond its
 * statements (the SQL replayed alone skips it).
 *
 * The responsible user's and staff member's names are scalar subqueries,
 * not joins: with eight relations in the join, each with its row-level
 * security quals, the planner's search of join orders took 13–20 ms on
 * every request, for a page that runs in 1.5–2.5 ms. Six relations plan in
 * 2–3.5 ms. The area versions stay plain joins on their key, so that a count
 * that does not use their columns drops them (LATERAL lookups planned in
 * 1 ms but ran for every counted person: 29 ms instead of 12 ms at 20,000).
 *
 * Emits: `(SELECT p.id AS "id", …, CASE … END AS "visitState" FROM key_persons p JOIN … ) AS kp`
 */
function personsSubquery(now: Date) {
  const lastVisit = sql`(SELECT max(v.visited_at) FROM key_person_visits v WHERE v.person_id = p.id)`
  const nextDue = sql`(coalesce(${lastVisit}, p.created_at) + c.visit_interval_days * interval '1 day')`
  const at = sql`${now}::timestamptz`
  // The point a household is shown at: one inside the area recorded at registration, the finest there is.
  const shownPoint = sql`ST_PointOnSurface(coalesce(fv.geom, bv.geom, vv.geom))`
  return sql<KeyPersonRow>`(SELECT p.id AS "id", p.name AS "name", p.gender AS "gender", p.birth_year AS "birthYear",
      p.id_number AS "idNumber", p.phone AS "phone", p.address AS "address",
      ${pointX(sql.ref('p.household_geom'))} AS "lon", ${pointY(sql.ref('p.household_geom'))} AS "lat",
      CASE WHEN p.household_geom IS NOT NULL THEN round(ST_X(${shownPoint})::numeric, 6)::float8 END AS "shownLon",
      CASE WHEN p.household_geom IS NOT NULL THEN round(ST_Y(${shownPoint})::numeric, 6)::float8 END AS "shownLat",
      CASE WHEN p.household_geom IS NULL THEN NULL
        WHEN fv.geom IS NOT NULL THEN 'fine_grid' WHEN bv.geom IS NOT NULL THEN 'base_grid' ELSE 'village' END AS "shownPrecision",
      p.village_id AS "villageId", p.village_version AS "villageVersion",
      vv.code AS "villageCode", vv.name AS "villageName", vv.name_en AS "villageNameEn",
      p.base_grid_id AS "baseGridId", p.base_grid_version AS "baseGridVersion",
      bv.code AS "baseGridCode", bv.name AS "baseGridName", bv.name_en AS "baseGridNameEn",
      p.fine_grid_id AS "fineGridId", p.fine_grid_version AS "fineGridVersion",
      fv.code AS "fineGridCode", fv.name AS "fineGridName", fv.name_en AS "fineGridNameEn",
      p.category AS "category", p.colour AS "colour", p.status AS "status",
      p.released_at AS "releasedAt", p.archived_at AS "archivedAt",
      p.responsible_user_id AS "responsibleUserId",
      (SELECT ru.username FROM users ru WHERE ru.id = p.responsible_user_id) AS "responsibleUsername",
      p.responsible_staff_id AS "responsibleStaffId",
      (SELECT rs.name FROM staff rs WHERE rs.id = p.responsible_staff_id) AS "responsibleStaffName",
      p.note AS "note", p.version AS "version",
      p.created_at AS "createdAt", p.created_by AS "createdBy", p.updated_at AS "updatedAt", p.updated_by AS "updatedBy",
      ${lastVisit} AS "lastVisitAt",
      CASE WHEN p.status = 'released' THEN NULL ELSE ${nextDue} END AS "nextVisitDue",
      CASE WHEN p.status = 'released' THEN NULL
        WHEN ${nextDue} < ${at} THEN 'overdue'
        WHEN ${nextDue} < ${at} + s.due_soon_days * interval '1 day' THEN 'due_soon'
        ELSE 'ok' END AS "visitState"
    FROM key_persons p
    JOIN key_person_colours c ON c.colour = p.colour
    CROSS JOIN key_person_settings s
    JOIN area_versions vv ON vv.area_id = p.village_id AND vv.version = p.village_version
    LEFT JOIN area_versions bv ON bv.area_id = p.base_grid_id AND bv.version = p.base_grid_version
    LEFT JOIN area_versions fv ON fv.area_id = p.fine_grid_id AND fv.version = p.fine_grid_version)`.as('kp')
}

/** Active (not archived) persons within `scope` matching `filter`, from the subquery `kp`. */
function scopedPersons(db: Db, now: Date, scope: PersonScope, filter: KeyPersonFilter) {
  let query = db.selectFrom(personsSubquery(now)).where('kp.archivedAt', 'is', null)
  if (scope.kind === 'grids') {
    const ids = scope.gridIds
    if (ids.length === 0) return query.where(sql<SqlBool>`false`)
    query = query.where((eb) => eb.or([eb('kp.baseGridId', 'in', ids), eb('kp.fineGridId', 'in', ids)]))
  }
  if (filter.gridId !== undefined) {
    const gridId = filter.gridId
    query = query.where((eb) => eb.or([eb('kp.baseGridId', '=', gridId), eb('kp.fineGridId', '=', gridId)]))
  }
  if (filter.villageId !== undefined) query = query.where('kp.villageId', '=', filter.villageId)
  if (filter.category !== undefined) query = query.where('kp.category', '=', filter.category)
  if (filter.colour !== undefined) query = query.where('kp.colour', '=', filter.colour)
  if (filter.status !== undefined) query = query.where('kp.status', '=', filter.status)
  if (filter.visitState !== undefined) query = query.where('kp.visitState', '=', filter.visitState)
  if (filter.bbox !== undefined) {
    const [minLon, minLat, maxLon, maxLat] = filter.bbox
    // On the shown point, not the exact one: a bbox search on the exact point would find the household by bisection.
    query = query
      .where('kp.shownLon', '>=', minLon)
      .where('kp.shownLon', '<=', maxLon)
      .where('kp.shownLat', '>=', minLat)
      .where('kp.shownLat', '<=', maxLat)
  }
  if (filter.cql !== undefined) query = query.where(filter.cql)
  const { from: managedFrom, to: managedTo } = filter.managedWithin ?? {}
  if (managedTo !== undefined) query = query.where('kp.createdAt', '<=', managedTo)
  if (managedFrom !== undefined) query = query.where((eb) => eb.or([eb('kp.releasedAt', 'is', null), eb('kp.releasedAt', '>', managedFrom)]))
  if (filter.name !== undefined) query = query.where('kp.name', 'like', `%${filter.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
  return query
}

/** A page of active persons in scope, ordered by id, and the number matched. */
export async function findKeyPersons(
  db: Db,
  now: Date,
  scope: PersonScope,
  filter: KeyPersonFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: KeyPersonRow[]; total: number }> {
  const rows = await scopedPersons(db, now, scope, filter).selectAll('kp').orderBy('kp.id').limit(page.limit).offset(page.offset).execute()
  const count = await scopedPersons(db, now, scope, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return { rows: rows as KeyPersonRow[], total: Number(count.n) }
}

/** One person by id (archived ones too), or undefined. */
export async function findKeyPerson(db: Db, id: number, now: Date): Promise<KeyPersonRow | undefined> {
  const row = await db.selectFrom(personsSubquery(now)).selectAll('kp').where('kp.id', '=', id).executeTakeFirst()
  return row as KeyPersonRow | undefined
}

/** Locks a person's row for the rest of the transaction; its version and archive time, or undefined. */
export async function lockKeyPerson(db: Db, id: number): Promise<{ version: number; archivedAt: Date | null } | undefined> {
  return db
    .selectFrom('key_persons')
    .select(['version', 'archived_at as archivedAt'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

function locationValues(location: HouseholdLocation) {
  return {
    household_geom: pointFromLonLat(location.lon, location.lat),
    village_id: location.villageId,
    village_version: location.villageVersion,
    base_grid_id: location.baseGridId,
    base_grid_version: location.baseGridVersion,
    fine_grid_id: location.fineGridId,
    fine_grid_version: location.fineGridVersion,
  }
}

/** Inserts a person; returns the new id. */
export async function insertKeyPerson(db: Db, person: NewKeyPerson): Promise<number> {
  const { id } = await db
    .insertInto('key_persons')
    .values({
      name: person.name,
      gender: person.gender,
      birth_year: person.birthYear,
      id_number: person.idNumber,
      phone: person.phone,
      address: person.address,
      ...locationValues(person.location),
      category: person.category,
      colour: person.colour,
      status: person.status,
      released_at: person.status === 'released' ? new Date() : null,
      archived_at: null,
      responsible_user_id: person.responsibleUserId,
      responsible_staff_id: person.responsibleStaffId,
      note: person.note,
      created_by: person.userId,
      updated_by: person.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/**
 * Applies `changes` if the row is still at `expectedVersion`, raising the
 * version by one; false when another change got there first.
 */
export async function updateKeyPerson(
  db: Db,
  id: number,
  expectedVersion: number,
  changes: KeyPersonChanges,
  userId: number,
  currentStatus: PersonStatus,
): Promise<boolean> {
  const statusValues =
    changes.status === undefined || changes.status === currentStatus
      ? {}
      : { status: changes.status, released_at: changes.status === 'released' ? new Date() : null }
  const result = await db
    .updateTable('key_persons')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.gender !== undefined ? { gender: changes.gender } : {}),
      ...(changes.birthYear !== undefined ? { birth_year: changes.birthYear } : {}),
      ...(changes.idNumber !== undefined ? { id_number: changes.idNumber } : {}),
      ...(changes.phone !== undefined ? { phone: changes.phone } : {}),
      ...(changes.address !== undefined ? { address: changes.address } : {}),
      ...(changes.location !== undefined ? locationValues(changes.location) : {}),
      ...(changes.category !== undefined ? { category: changes.category } : {}),
      ...(changes.colour !== undefined ? { colour: changes.colour } : {}),
      ...(changes.responsibleUserId !== undefined ? { responsible_user_id: changes.responsibleUserId } : {}),
      ...(changes.responsibleStaffId !== undefined ? { responsible_staff_id: changes.responsibleStaffId } : {}),
      ...(changes.note !== undefined ? { note: changes.note } : {}),
      ...statusValues,
      version: sql<number>`version + 1`,
      updated_at: new Date(),
      updated_by: userId,
    })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where('archived_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Records a visit; `next_due` is `visitedAt` plus the colour's current frequency. */
export async function insertVisit(
  db: Db,
  visit: { personId: number; visitorUserId: number; visitedAt: Date; kind: VisitKind; note: string; colour: Colour },
): Promise<number> {
  const { id } = await db
    .insertInto('key_person_visits')
    .values({
      person_id: visit.personId,
      visitor_user_id: visit.visitorUserId,
      visited_at: visit.visitedAt,
      kind: visit.kind,
      note: visit.note,
      colour: visit.colour,
      next_due: sql<Date>`${visit.visitedAt}::timestamptz + (SELECT visit_interval_days FROM key_person_colours WHERE colour = ${visit.colour}) * interval '1 day'`,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/** Visits of a person, newest first. */
export async function findVisits(db: Db, personId: number, ids?: number[]): Promise<VisitRow[]> {
  let query = db
    .selectFrom('key_person_visits as v')
    .innerJoin('users as u', 'u.id', 'v.visitor_user_id')
    .select([
      'v.id',
      'v.person_id as personId',
      'v.visitor_user_id as visitorUserId',
      'u.username as visitorUsername',
      'v.visited_at as visitedAt',
      'v.kind',
      'v.note',
      'v.colour',
      'v.next_due as nextDue',
      'v.created_at as createdAt',
    ])
    .where('v.person_id', '=', personId)
  if (ids) query = query.where('v.id', 'in', ids)
  return query.orderBy('v.visited_at', 'desc').orderBy('v.id', 'desc').execute()
}

/** The column a summary groups by. */
export type SummaryGroupBy = 'village' | 'base_grid' | 'fine_grid' | 'category' | 'colour'

const GROUP_COLUMNS = {
  village: 'kp.villageId',
  base_grid: 'kp.baseGridId',
  fine_grid: 'kp.fineGridId',
  category: 'kp.category',
  colour: 'kp.colour',
} as const

/** Counts of active persons per group (by colour and visit state), no identities. */
export async function summarizeKeyPersons(
  db: Db,
  now: Date,
  groupBy: SummaryGroupBy,
  filter: KeyPersonFilter & { statuses: PersonStatus[] },
): Promise<SummaryGroupRow[]> {
  const { statuses, ...rest } = filter
  const column = GROUP_COLUMNS[groupBy]
  const countWhere = (condition: Expression<SqlBool>) => sql<number>`count(*) FILTER (WHERE ${condition})`
  const rows = await scopedPersons(db, now, { kind: 'all' }, rest)
    .where('kp.status', 'in', statuses)
    .select((eb) => [
      sql<string | number | null>`${sql.ref(column)}`.as('key'),
      eb.fn.countAll<number>().as('total'),
      countWhere(eb('kp.colour', '=', 'red')).as('red'),
      countWhere(eb('kp.colour', '=', 'orange')).as('orange'),
      countWhere(eb('kp.colour', '=', 'yellow')).as('yellow'),
      countWhere(eb('kp.colour', '=', 'green')).as('green'),
      countWhere(eb('kp.visitState', '=', 'overdue')).as('overdue'),
      countWhere(eb('kp.visitState', '=', 'due_soon')).as('dueSoon'),
    ])
    .groupBy(sql.ref(column))
    .orderBy(sql.ref(column))
    .execute()
  return rows.map((row) => ({
    key: row.key,
    total: Number(row.total),
    red: Number(row.red),
    orange: Number(row.orange),
    yellow: Number(row.yellow),
    green: Number(row.green),
    overdue: Number(row.overdue),
    dueSoon: Number(row.dueSoon),
  }))
}

/** Current identity (and optionally outline as GeoJSON text) of areas by id. */
export async function findAreaLabels(
  db: Db,
  ids: number[],
  withGeometry = false,
): Promise<Array<{ id: number; level: string; code: string; name: string; nameEn: string | null; geometry: string | null }>> {
  if (ids.length === 0) return []
  return db
    .selectFrom('current_areas as a')
    .select([
      'a.area_id as id',
      'a.level',
      'a.code',
      'a.name',
      'a.name_en as nameEn',
      (withGeometry ? asGeoJson(sql.ref('a.geom')) : sql<string | null>`NULL::text`).as('geometry'),
    ])
    .where('a.area_id', 'in', ids)
    .execute()
}

/** Ids of every current area of a level, so that a protected summary lists empty areas too (fixed shape). */
export async function listCurrentAreaIds(db: Db, level: 'village' | 'base_grid' | 'fine_grid'): Promise<number[]> {
  const rows = await db.selectFrom('current_areas').select('area_id as id').where('level', '=', level).orderBy('code').execute()
  return rows.map((row) => Number(row.id))
}

/** Ids of released, not yet archived persons released before `before`. */
export async function findReleasedBefore(db: Db, before: Date): Promise<number[]> {
  const rows = await db
    .selectFrom('key_persons')
    .select('id')
    .where('status', '=', 'released')
    .where('archived_at', 'is', null)
    .where('released_at', '<', before)
    .orderBy('id')
    .forUpdate()
    .execute()
  return rows.map((row) => row.id)
}

/**
 * Archives persons: keeps category, colour, areas and dates for statistics and
 * the audit trail, reduces the name to its first character and clears the
 * identity number, phone, address, household point, gender, birth year and
 * the free-text notes of the person and of their visits (which may name them).
 */
export async function archiveKeyPersons(db: Db, ids: number[], now: Date, userId: number | null): Promise<void> {
  if (ids.length === 0) return
  await db
    .updateTable('key_persons')
    .set({
      archived_at: now,
      name: sql<string>`left(name, 1) || '*'`,
      id_number: null,
      phone: null,
      address: null,
      household_geom: null,
      gender: null,
      birth_year: null,
      note: '',
      version: sql<number>`version + 1`,
      updated_at: now,
      ...(userId !== null ? { updated_by: userId } : {}),
    })
    .where('id', 'in', ids)
    .execute()
  await db.updateTable('key_person_visits').set({ note: '' }).where('person_id', 'in', ids).execute()
}
