import { sql, type RawBuilder, type Selectable, type SqlBool } from 'kysely'
import type { Db } from '../../core/db/database.ts'
import type { CaseKind, CaseTable } from '../../core/db/tables/case.ts'
import { extentBounds, intersectsBbox, type Bbox } from '../../core/postgis/envelope.ts'
import { pointFromLonLat } from '../../core/postgis/point.ts'
import { bboxTile18Keys } from '../../core/postgis/tile-keys.ts'
import { deadlineStateSql, type DeadlineState } from './deadline-state.ts'
import { visibleCases } from './access.ts'
import { maskPhoneSql } from '../../core/privacy/mask.ts'
import { isoTimestampSql } from '../../core/time/iso-timestamp.ts'
import { CRS84, type CrsDefinition } from '../../core/ogc/crs.ts'
import { pointCoordinatesIn } from '../../core/ogc/crs-sql.ts'
import { compiledOnce } from '../../core/db/compiled-once.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'

/** A party of a dispute as read with its case. */
export interface CasePartyRow {
  seq: number
  name: string
  role: 'applicant' | 'respondent' | 'party'
  phone: string | null
  homeVillageId: number
  /** Name of the village in force, in any town (the directory of divisions: a party may come from a neighbouring town). */
  homeVillageName: string | null
  /** The town of the home village when it is not the dispute's town (a party from across the border), else null. */
  homeTownName: string | null
}

/** An area (at the version recorded on the case) as read with it. */
export interface RecordedAreaRow {
  id: number
  version: number
  code: string
  name: string
  /** English name of that version, if recorded. */
  nameEn: string | null
}

/** Every column of a case as read, with position, areas, parties and the deadline state. */
export type CaseRow = Omit<Selectable<CaseTable>, 'geom'> & {
  lon: number
  lat: number
  deadline_state: DeadlineState
  village: RecordedAreaRow
  base_grid: RecordedAreaRow | null
  fine_grid: RecordedAreaRow | null
  parties: CasePartyRow[]
}

/** Filters of a page of cases. */
export interface CasePageQuery {
  kind: CaseKind
  bbox?: Bbox
  /** Reported time range, either end open. */
  reportedFrom?: Date
  reportedTo?: Date
  statuses?: string[]
  categories?: string[]
  severities?: string[]
  tiers?: string[]
  /** Station the case is dispatched to. */
  stationKeys?: string[]
  /** Village recorded on the case. */
  villageId?: number
  /** A compiled CQL2 filter over the case queryables (alias `c`). */
  filter?: RawBuilder<SqlBool>
  limit: number
  offset: number
  /** CRS of the positions (absent: CRS84). */
  crs?: CrsDefinition
}

function recordedArea(idColumn: string, versionColumn: string) {
  return sql<RecordedAreaRow | null>`(SELECT row_to_json(a) FROM (SELECT v.area_id AS id, v.version, v.code, v.name, v.name_en AS "nameEn"
    FROM area_versions v WHERE v.area_id = ${sql.ref(idColumn)} AND v.version = ${sql.ref(versionColumn)}) a)`
}

/** The parties of case `c` as a JSON array in `seq` order (`[]` for none), phones as stored or masked ({@link maskPhoneSql}). */
function partiesJson(phones: 'stored' | 'masked') {
  const phone = phones === 'masked' ? maskPhoneSql(sql.ref('p.phone')) : sql.ref('p.phone')
  return sql<CasePartyRow[]>`coalesce((SELECT ('[' || string_agg(row_to_json(x)::text, ',' ORDER BY x.seq) || ']')::json FROM (
      SELECT p.seq, p.name, p.role, ${phone} AS phone, p.home_village_id AS "homeVillageId",
        (SELECT dv.name FROM division_directory dv WHERE dv.id = p.home_village_id) AS "homeVillageName",
        (SELECT dv.town_name FROM division_directory dv WHERE dv.id = p.home_village_id AND dv.town_id <> c.town_id) AS "homeTownName"
      FROM case_parties p WHERE p.case_id = c.id) x), '[]'::json)`
}

/**
 * Cases (alias `c`) with everything a {@link CaseRow} holds, as a subquery:
 * one SQL text, compiled once, rather than fifty query-builder selections,
 * whose parsing and compiling was most of what reading a case back after its
 * registration cost the server beyond the statement (~0.35 ms a request under load).
 *
 * Emits: `(SELECT c.id, c.kind, …, ST_X(c.geom) AS lon, …, <parties> AS parties FROM cases c) AS c`
 */
export function selectCases(db: Db) {
  return db.selectFrom(CASES_AS_READ.as('c')).selectAll('c')
}

/** The subquery of {@link selectCases}, compiled once (it binds no value). */
const CASES_AS_READ = compiledOnce(
  sql<CaseRow>`(SELECT c.id, c.kind, c.status, c.category, c.description, c.severity, c.tier, c.source,
      c.reporter_name, c.reporter_phone, c.photos, c.lead_id, c.cross_village,
      c.reported_at, c.registered_at, c.registered_by,
      c.village_id, c.village_version, c.base_grid_id, c.base_grid_version, c.fine_grid_id, c.fine_grid_version,
      c.deadline_at, c.station_key, c.village_center_id, c.mediator_name, c.dispatched_at,
      c.escalated_at, c.escalation_department, c.escalation_reason,
      c.mediation_mode, c.outcome, c.outcome_note, c.resolved_at, c.feedback_note, c.fed_back_at,
      c.satisfaction, c.timely, c.evaluation_note, c.evaluated_at,
      c.verified_at, c.verification_note, c.rectification_plan, c.rectification_note, c.rectified_at,
      c.closed_at, c.version, c.updated_at, c.town_id,
      ST_X(c.geom) AS lon, ST_Y(c.geom) AS lat,
      ${deadlineStateSql()} AS deadline_state,
      ${recordedArea('c.village_id', 'c.village_version')} AS village,
      ${recordedArea('c.base_grid_id', 'c.base_grid_version')} AS base_grid,
      ${recordedArea('c.fine_grid_id', 'c.fine_grid_version')} AS fine_grid,
      ${partiesJson('stored')} AS parties
    FROM cases c)`,
)

/** One case of a kind, or undefined. */
export async function findCase(db: Db, kind: CaseKind, id: number): Promise<CaseRow | undefined> {
  return (await selectCases(db).where('c.kind', '=', kind).where('c.id', '=', id).executeTakeFirst()) as CaseRow | undefined
}

/** One case of either kind by id, or undefined. */
export async function findCaseById(db: Db, id: number): Promise<CaseRow | undefined> {
  return (await selectCases(db).where('c.id', '=', id).executeTakeFirst()) as CaseRow | undefined
}

/**
 * Cases (alias `c`) whose point meets `bbox`. Beside the envelope test, for a
 * bbox of a few kilometres, the z18 keys of its tiles (bboxTile18Keys): under
 * row-level security `&&` cannot be an index condition, the keys can, so the
 * (kind, tile18, reported_at) index finds the cases instead of a scan of
 * every case of the kind. `anyKind`: the query has no kind condition of its
 * own; both kinds are named so that the index (led by kind) applies.
 */
function casesInBbox(bbox: Bbox, anyKind = false): RawBuilder<boolean> {
  const envelope = intersectsBbox(sql.ref('c.geom'), bbox)
  const keys = bboxTile18Keys(bbox)
  if (!keys) return envelope
  const kinds = anyKind ? sql`c.kind IN ('hazard', 'dispute') AND ` : sql``
  return sql<boolean>`(${kinds}c.tile18 = ANY(${keys}::int8[]) AND ${envelope})`
}

function filteredCases(db: Db, user: UserRecord, query: Omit<CasePageQuery, 'limit' | 'offset'>) {
  let q = db.selectFrom('cases as c').where('c.kind', '=', query.kind).where(visibleCases(user))
  if (query.bbox) q = q.where(casesInBbox(query.bbox))
  if (query.reportedFrom) q = q.where('c.reported_at', '>=', query.reportedFrom)
  if (query.reportedTo) q = q.where('c.reported_at', '<=', query.reportedTo)
  if (query.statuses && query.statuses.length > 0) q = q.where('c.status', 'in', query.statuses)
  if (query.categories && query.categories.length > 0) q = q.where('c.category', 'in', query.categories)
  if (query.severities && query.severities.length > 0) q = q.where('c.severity', 'in', query.severities as never)
  if (query.tiers && query.tiers.length > 0) q = q.where('c.tier', 'in', query.tiers as never)
  if (query.stationKeys && query.stationKeys.length > 0) q = q.where('c.station_key', 'in', query.stationKeys)
  if (query.villageId !== undefined) q = q.where('c.village_id', '=', query.villageId)
  if (query.filter) q = q.where(query.filter)
  return q
}

/** A case of a page: what the per-user fields need, its position, and the rest of its properties as JSON text ({@link casePropertiesJson}). */
export interface CasePageRow extends CaseAccessColumns {
  id: number
  /** First coordinate in the page's CRS, in its axis order (in CRS84: longitude). */
  lon: number
  /** Second coordinate (in CRS84: latitude). */
  lat: number
  properties: string
}

/** The columns the per-user fields of a case answer are decided on (who may act, reveal, add photos). */
export interface CaseAccessColumns {
  kind: CaseKind
  status: string
  base_grid_id: number | null
  fine_grid_id: number | null
  registered_by: number
  station_key: string | null
}

const iso = (column: string) => isoTimestampSql(sql.ref(column))

/**
 * The properties of case `c` that are the same for every reader, as compact
 * JSON object text written by the database: every field of the case answer
 * (`toCaseDto`) except the four decided per reader (`allowedActions`,
 * `permittedActions`, `mayReveal`, `mayAddPhotos`), phones masked in SQL,
 * times as `toISOString` writes them, so that a page of a hundred cases is
 * one text per case instead of fifty parsed columns rebuilt in Node.
 * tests/api/cases-answer-flags.test.ts holds the two writers equal.
 *
 * `kind`: the kind every case read is of, when the query has one. Hazards
 * have no parties (their registration refuses any), so a page of hazards
 * writes `[]` instead of looking them up: the parties' subquery, its two
 * directory lookups and their row-level security took ~1 ms of planning
 * and ~2 ms of execution of a page of 100 hazards (of ~2.3 and ~5).
 *
 * Emits: `(SELECT row_to_json(p)::text FROM (SELECT c.id AS "id", c.kind AS "kind", … ) p)`
 */
export function casePropertiesJson(kind?: CaseKind): RawBuilder<string> {
  return kind === 'hazard' ? HAZARD_PROPERTIES_JSON : CASE_PROPERTIES_JSON
}

function buildCasePropertiesJson(kind?: CaseKind): RawBuilder<string> {
  return sql<string>`(SELECT row_to_json(p)::text FROM (SELECT
    c.id AS "id", c.kind AS "kind", c.status AS "status", c.category AS "category", c.description AS "description",
    c.severity AS "severity", c.tier AS "tier", c.source AS "source", c.reporter_name AS "reporterName",
    ${maskPhoneSql(sql.ref('c.reporter_phone'))} AS "reporterPhone", coalesce(c.photos, '[]'::jsonb) AS "photos",
    c.lead_id AS "leadId", c.cross_village AS "crossVillage", ST_X(c.geom) AS "lon", ST_Y(c.geom) AS "lat",
    ${iso('c.reported_at')} AS "reportedAt", ${iso('c.registered_at')} AS "registeredAt", c.registered_by AS "registeredBy",
    ${recordedArea('c.village_id', 'c.village_version')} AS "village",
    ${recordedArea('c.base_grid_id', 'c.base_grid_version')} AS "baseGrid",
    ${recordedArea('c.fine_grid_id', 'c.fine_grid_version')} AS "fineGrid",
    ${iso('c.deadline_at')} AS "deadlineAt", ${deadlineStateSql()} AS "deadlineState",
    c.station_key AS "stationKey", c.village_center_id AS "villageCenterId", c.mediator_name AS "mediatorName",
    ${iso('c.dispatched_at')} AS "dispatchedAt", ${iso('c.escalated_at')} AS "escalatedAt",
    c.escalation_department AS "escalationDepartment", c.escalation_reason AS "escalationReason",
    c.mediation_mode AS "mediationMode", c.outcome AS "outcome", c.outcome_note AS "outcomeNote",
    ${iso('c.resolved_at')} AS "resolvedAt", c.feedback_note AS "feedbackNote", ${iso('c.fed_back_at')} AS "fedBackAt",
    c.satisfaction AS "satisfaction", c.timely AS "timely", c.evaluation_note AS "evaluationNote",
    ${iso('c.evaluated_at')} AS "evaluatedAt", ${iso('c.verified_at')} AS "verifiedAt", c.verification_note AS "verificationNote",
    c.rectification_plan AS "rectificationPlan", c.rectification_note AS "rectificationNote",
    ${iso('c.rectified_at')} AS "rectifiedAt", ${iso('c.closed_at')} AS "closedAt",
    ${kind === 'hazard' ? sql`'[]'::json` : partiesJson('masked')} AS "parties", c.version AS "version", ${iso('c.updated_at')} AS "updatedAt") p)`
}

/** {@link casePropertiesJson}'s two texts, compiled once (compiledOnce: the same SQL, one raw node a request). */
const CASE_PROPERTIES_JSON = compiledOnce(buildCasePropertiesJson())
const HAZARD_PROPERTIES_JSON = compiledOnce(buildCasePropertiesJson('hazard'))

/** A page of the cases the user may read (newest reported first) and the number matched; the two statements run side by side. */
export async function findCasePage(db: Db, user: UserRecord, query: CasePageQuery): Promise<{ rows: CasePageRow[]; matched: number }> {
  const ids = filteredCases(db, user, query).select('c.id').orderBy('c.reported_at', 'desc').orderBy('c.id', 'desc').limit(query.limit).offset(query.offset)
  const [first, second] = pointCoordinatesIn(sql.ref('c.geom'), query.crs ?? CRS84)
  const [rows, counted] = await Promise.all([
    db
      .selectFrom('cases as c')
      .where('c.id', 'in', ids)
      .select([
        'c.id', 'c.kind', 'c.status', 'c.base_grid_id', 'c.fine_grid_id', 'c.registered_by', 'c.station_key',
        first.as('lon'),
        second.as('lat'),
        casePropertiesJson(query.kind).as('properties'),
      ])
      .orderBy('c.reported_at', 'desc')
      .orderBy('c.id', 'desc')
      .execute(),
    filteredCases(db, user, query).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, matched: Number(counted.n) }
}

/** Extent of the cases of a kind, or undefined when there are none. */
export async function findCaseExtent(db: Db, kind: CaseKind): Promise<Bbox | undefined> {
  const row = await db
    .selectFrom('cases')
    .where('kind', '=', kind)
    .select(extentBounds(sql.ref('geom')).as('extent'))
    .executeTakeFirst()
  const extent = row?.extent
  if (!extent || extent.xmin === null) return undefined
  return [extent.xmin, extent.ymin, extent.xmax, extent.ymax]
}

/** Fields of a new case, already checked and located. */
export type NewCase = {
  kind: CaseKind
  status: string
  category: string
  description: string
  severity: CaseTable['severity']
  tier: CaseTable['tier']
  source: CaseTable['source']
  reporterName: string
  reporterPhone: string | null
  photos: unknown[]
  leadId: number | null
  crossVillage: boolean
  lon: number
  lat: number
  reportedAt: Date
  registeredBy: number
  village: { areaId: number; version: number }
  baseGrid: { areaId: number; version: number } | null
  fineGrid: { areaId: number; version: number } | null
  deadlineAt: Date
}

/** Inserts a case; returns its id. */
export async function insertCase(db: Db, input: NewCase): Promise<number> {
  const row = await db
    .insertInto('cases')
    .values({
      kind: input.kind,
      status: input.status,
      category: input.category,
      description: input.description,
      severity: input.severity,
      tier: input.tier,
      source: input.source,
      reporter_name: input.reporterName,
      reporter_phone: input.reporterPhone,
      photos: JSON.stringify(input.photos),
      lead_id: input.leadId,
      cross_village: input.crossVillage,
      geom: pointFromLonLat(input.lon, input.lat),
      reported_at: input.reportedAt,
      registered_by: input.registeredBy,
      village_id: input.village.areaId,
      village_version: input.village.version,
      base_grid_id: input.baseGrid?.areaId ?? null,
      base_grid_version: input.baseGrid?.version ?? null,
      fine_grid_id: input.fineGrid?.areaId ?? null,
      fine_grid_version: input.fineGrid?.version ?? null,
      deadline_at: input.deadlineAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Inserts the parties of a dispute, numbered from 1. */
export async function insertCaseParties(
  db: Db,
  caseId: number,
  parties: Array<{ name: string; role?: 'applicant' | 'respondent' | 'party'; phone?: string | null; homeVillageId: number }>,
): Promise<void> {
  if (parties.length === 0) return
  await db
    .insertInto('case_parties')
    .values(parties.map((party, index) => ({
      case_id: caseId,
      seq: index + 1,
      name: party.name,
      role: party.role ?? 'party',
      phone: party.phone ?? null,
      home_village_id: party.homeVillageId,
    })))
    .execute()
}

/** Columns an action may change. */
export type CasePatch = Partial<{
  [K in 'status' | 'deadline_at' | 'tier' | 'severity' | 'station_key' | 'village_center_id' | 'mediator_name' | 'dispatched_at'
    | 'escalated_at' | 'escalation_department' | 'escalation_reason' | 'mediation_mode' | 'outcome' | 'outcome_note'
    | 'resolved_at' | 'feedback_note' | 'fed_back_at' | 'satisfaction' | 'timely' | 'evaluation_note' | 'evaluated_at'
    | 'verified_at' | 'verification_note' | 'rectification_plan' | 'rectification_note' | 'rectified_at' | 'closed_at']: CaseRow[K]
}>

/**
 * Applies `patch` and bumps the version, only if the case still has
 * `expectedVersion`; returns how many rows changed (0 = someone else won).
 */
export async function updateCaseIfVersion(db: Db, id: number, expectedVersion: number, patch: CasePatch): Promise<number> {
  const result = await db
    .updateTable('cases')
    .set({ ...(patch as Record<string, never>), version: sql<number>`version + 1`, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/** Per-status counts (index-only on `(kind, status)`) and the open cases' deadline states, for the legend. */
export async function countCases(db: Db, user: UserRecord, bbox?: Bbox, reported: { from?: Date; to?: Date } = {}) {
  const base = () => {
    let q = db.selectFrom('cases as c').where(visibleCases(user))
    if (bbox) q = q.where(casesInBbox(bbox, true))
    if (reported.from) q = q.where('c.reported_at', '>=', reported.from)
    if (reported.to) q = q.where('c.reported_at', '<=', reported.to)
    return q
  }
  const byStatus = await base()
    .select((eb) => ['c.kind', 'c.status', eb.fn.countAll<number>().as('n')])
    .groupBy(['c.kind', 'c.status'])
    .execute()
  const byDeadline = await base()
    .where('c.closed_at', 'is', null)
    .select((eb) => ['c.kind', deadlineStateSql().as('deadline_state'), eb.fn.countAll<number>().as('n')])
    .groupBy(['c.kind', sql`2`])
    .execute()
  return { byStatus, byDeadline }
}
