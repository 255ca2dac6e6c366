import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type { Db } from '../../core/db/database.ts'
import type { AreaKind, AreaLevel } from '../../core/db/tables/area.ts'
import { CRS84, SUPPORTED_CRS, type CrsDefinition } from '../../core/ogc/crs.ts'
import { geometryJsonIn } from '../../core/ogc/crs-sql.ts'
import { extentBounds, intersectsBbox, type Bbox } from '../../core/postgis/envelope.ts'
import { compiledOnce } from '../../core/db/compiled-once.ts'

/**
 * Which versions of areas a query reads: `'current'` (those in force now,
 * `valid_to IS NULL`), or those in force at some moment of the closed
 * interval [from, to] (an absent end is open; an instant is from = to).
 * A version is in force over [valid_from, valid_to): it overlaps the
 * interval when `valid_from <= to` and `valid_to > from` (or it is open).
 */
export type AreaTime = 'current' | { from?: Date; to?: Date }

/** Every version ever (the whole history). */
export const ALL_TIME: AreaTime = {}

/**
 * The one query of "areas as of a time": area versions with their level,
 * those in force per `time`. Items, single features, counts, extents and the
 * boundary history all select from it (as a derived table).
 */
export function areaVersionsAt(db: Db, time: AreaTime) {
  const query = db.selectFrom('area_versions as v').innerJoin('areas as ar', 'ar.id', 'v.area_id').selectAll('v').select('ar.level')
  if (time === 'current') return query.where('v.valid_to', 'is', null)
  const { from, to } = time
  return query
    .$if(to !== undefined, (q) => q.where('v.valid_from', '<=', to!))
    .$if(from !== undefined, (q) => q.where((eb) => eb.or([eb('v.valid_to', 'is', null), eb('v.valid_to', '>', from!)])))
}

/** Filters for a page of areas. */
export interface AreaPageQuery {
  level: AreaLevel
  bbox?: Bbox
  limit: number
  offset: number
  /** A compiled CQL2 filter over the area queryables (alias `a`). */
  filter?: RawBuilder<SqlBool>
  /** Versions in force within this interval; absent: the current versions. */
  datetime?: { from?: Date; to?: Date }
  /** CRS of the geometries written (absent: CRS84). */
  crs?: CrsDefinition
}

/** A page of areas: its GeoJSON Features as one text joined by the database (no brackets; no part for an empty page), and counts. */
export interface AreaFeaturePage {
  featureParts: string[]
  numberMatched: number
  numberReturned: number
}

/** Current area plus its parent's identity, as read for the detail panel. */
export interface AreaDetailRow {
  id: number
  level: AreaLevel
  version: number
  validFrom: Date
  code: string
  name: string
  nameEn: string | null
  kind: AreaKind
  households: number
  population: number
  synthetic: boolean
  changedBy: string
  changeReason: string
  parentId: number | null
  parentCode: string | null
  parentName: string | null
  parentNameEn: string | null
  parentLevel: AreaLevel | null
}

/**
 * A validity bound rounded UP to the millisecond, as the API publishes it:
 * versions start at `now()` (microseconds) while `datetime` resolves to
 * milliseconds, so a published `validFrom` queried back must select that
 * version, and a published `validTo` must not select the closed one.
 * SQL: `date_trunc('milliseconds', t) + (t > date_trunc('milliseconds', t))::int * interval '1 millisecond'`.
 */
export function validityBound(ref: string) {
  const column = sql.ref(ref)
  return sql<Date>`(date_trunc('milliseconds', ${column}) + (${column} > date_trunc('milliseconds', ${column}))::int * interval '1 millisecond')`
}

/** An area row (alias `a`, parent alias `p`) rendered as GeoJSON Feature text, its geometry written by `geometry`. */
function areaFeatureJson(geometry: RawBuilder<string>) {
  return sql<string>`json_build_object(
    'type', 'Feature',
    'id', a.area_id,
    'geometry', ${geometry}::json,
    'properties', json_build_object(
      'code', a.code, 'name', a.name, 'nameEn', a.name_en, 'level', a.level, 'kind', a.kind,
      'parentId', a.parent_id, 'parentCode', p.code,
      'countyCode', a.county_code, 'townshipSeq', a.township_seq, 'villageSeq', a.village_seq,
      'gridSeq', a.grid_seq, 'fineSeq', a.fine_seq,
      'households', a.households, 'population', a.population,
      'version', a.version, 'validFrom', ${validityBound('a.valid_from')}, 'validTo', ${validityBound('a.valid_to')}, 'synthetic', a.synthetic))::text`
}

/** {@link areaFeatureJson} with the geometry in each CRS the API offers (each compiled once: {@link compiledOnce}). */
const AREA_FEATURE_JSON = new Map(SUPPORTED_CRS.map((crs) => [crs, compiledOnce(areaFeatureJson(geometryJsonIn(sql.ref('a.geom'), crs)))]))

/** The Feature text of an area row with its geometry in `crs`. */
function areaFeatureIn(crs: CrsDefinition): RawBuilder<string> {
  const found = AREA_FEATURE_JSON.get(crs)
  if (!found) throw new Error(`no area Feature text for CRS ${crs.uri}`)
  return found
}

/** Areas of a level (alias `a`) in force per `time`, optionally within a bbox and matching a CQL2 filter. */
function areasAt(db: Db, level: AreaLevel, time: AreaTime, bbox?: Bbox, filter?: RawBuilder<SqlBool>) {
  let query = db.selectFrom(areaVersionsAt(db, time).as('a')).where('a.level', '=', level)
  if (bbox) query = query.where(intersectsBbox(sql.ref('a.geom'), bbox))
  if (filter) query = query.where(filter)
  return query
}

/**
 * Adds the parent (alias `p`) as it was at the end of the child's version:
 * the parent's version in force just before the child's `valid_to` (for a
 * current child, the parent's current version). A closed child version so
 * keeps the parent code it had, even when the change that closed it also
 * renumbered the parent.
 */
function withParent<Q extends ReturnType<typeof areasAt>>(query: Q) {
  return query.leftJoin('area_versions as p', (join) =>
    join
      .onRef('p.area_id', '=', 'a.parent_id')
      .on(sql<boolean>`p.valid_from < coalesce(a.valid_to, 'infinity')`)
      .on(sql<boolean>`coalesce(p.valid_to, 'infinity') >= coalesce(a.valid_to, 'infinity')`),
  )
}

function timeOf(datetime: AreaPageQuery['datetime']): AreaTime {
  return datetime ?? 'current'
}

/**
 * One page of areas of a level — the current versions, or with `datetime` the
 * versions in force within it — each rendered by PostGIS as a GeoJSON Feature
 * (id = area id, the version and its validity in the properties), ordered by
 * code then version, with the total matched — in one statement, so the page
 * costs a single round trip. An area that changed within an interval appears
 * once per version, under the same id.
 */
export async function findAreaFeatures(db: Db, query: AreaPageQuery): Promise<AreaFeaturePage> {
  const row = await areaFeaturesQuery(db, query).executeTakeFirstOrThrow()
  return { featureParts: row.features ? [row.features] : [], numberMatched: Number(row.matched), numberReturned: Number(row.returned) }
}

/** The statement of {@link findAreaFeatures}, exposed so benchmarks can time its SQL alone. */
export function areaFeaturesQuery(db: Db, query: AreaPageQuery) {
  return db
    .with('page', () =>
      withParent(areasAt(db, query.level, timeOf(query.datetime), query.bbox, query.filter))
        .select([areaFeatureIn(query.crs ?? CRS84).as('feature'), 'a.code', 'a.area_id', 'a.version'])
        .orderBy('a.code')
        .orderBy('a.area_id')
        .orderBy('a.version')
        .limit(query.limit)
        .offset(query.offset),
    )
    .selectFrom('page')
    .select((eb) => [
      countAreasQuery(db, query.level, query.bbox, timeOf(query.datetime), query.filter).as('matched'),
      sql<string | null>`string_agg(page.feature, ',' ORDER BY page.code, page.area_id, page.version)`.as('features'),
      eb.fn.countAll<number>().as('returned'),
    ])
}

/** Count of areas of a level in force per `time` (default: current), optionally within a bbox and matching a filter, as a query. */
export function countAreasQuery(db: Db, level: AreaLevel, bbox?: Bbox, time: AreaTime = 'current', filter?: RawBuilder<SqlBool>) {
  return areasAt(db, level, time, bbox, filter).select((eb) => eb.fn.countAll<number>().as('n'))
}

/** Number of current areas of a level, optionally within a bbox. */
export async function countAreas(db: Db, level: AreaLevel, bbox?: Bbox): Promise<number> {
  const row = await countAreasQuery(db, level, bbox).executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * One area of a level as GeoJSON Feature text with its version, or undefined:
 * its latest version — the current one, or for a retired area its last, with
 * `validTo` set — so that every id an items page lists (with or without
 * `datetime`) can be fetched on its own.
 */
export async function findAreaFeature(
  db: Db,
  level: AreaLevel,
  id: number,
): Promise<{ featureText: string; version: number } | undefined> {
  const page = await withParent(areasAt(db, level, ALL_TIME))
    .where('a.area_id', '=', id)
    .select([
      'a.version',
      areaFeatureIn(CRS84).as('feature'),
    ])
    .orderBy('a.version', 'desc')
    .limit(1)
    .executeTakeFirst()
  return page ? { featureText: page.feature, version: page.version } : undefined
}

/** Spatial extent of the current areas of a level, or undefined when there are none. */
export async function findAreaExtent(db: Db, level: AreaLevel): Promise<Bbox | undefined> {
  const row = await areasAt(db, level, 'current').select(extentBounds(sql.ref('a.geom')).as('extent')).executeTakeFirst()
  const extent = row?.extent
  if (!extent || extent.xmin === null) return undefined
  return [extent.xmin, extent.ymin, extent.xmax, extent.ymax]
}

/**
 * First and last instant any version of a level was in force (`null` end:
 * some version is still current), or undefined when the level has none.
 */
export async function findAreaTemporalExtent(db: Db, level: AreaLevel): Promise<[Date, Date | null] | undefined> {
  const row = await areasAt(db, level, ALL_TIME)
    .select((eb) => [
      eb.fn.min('a.valid_from').as('first'),
      eb.fn.max('a.valid_to').as('last'),
      sql<boolean | null>`bool_or(a.valid_to IS NULL)`.as('open'),
    ])
    .executeTakeFirst()
  if (!row || row.first === null) return undefined
  return [new Date(row.first), row.open || row.last === null ? null : new Date(row.last)]
}

/** The current version of an area with its parent's identity, or undefined. */
export async function findAreaDetail(db: Db, id: number): Promise<AreaDetailRow | undefined> {
  return db
    .selectFrom('current_areas as a')
    .leftJoin('current_areas as p', 'p.area_id', 'a.parent_id')
    .where('a.area_id', '=', id)
    .select([
      'a.area_id as id',
      'a.level',
      'a.version',
      'a.valid_from as validFrom',
      'a.code',
      'a.name',
      'a.name_en as nameEn',
      'a.kind',
      'a.households',
      'a.population',
      'a.synthetic',
      'a.changed_by as changedBy',
      'a.change_reason as changeReason',
      'a.parent_id as parentId',
      'p.code as parentCode',
      'p.name as parentName',
      'p.name_en as parentNameEn',
      'p.level as parentLevel',
    ])
    .executeTakeFirst()
}

/** Ids among `ids` that are not current grids (base or fine). */
export async function findNonGridIds(db: Db, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('current_areas')
    .select('area_id')
    .where('area_id', 'in', ids)
    .where('level', 'in', ['base_grid', 'fine_grid'])
    .execute()
  const found = new Set(rows.map((row) => row.area_id))
  return ids.filter((id) => !found.has(id))
}
