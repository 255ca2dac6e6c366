import { sql, type RawBuilder, type SqlBool } from 'kysely'
import type { Db } from '../../core/db/database.ts'
import type { AreaKind, AreaLevel } from '../../core/db/tables/area.ts'
import { asGeoJson } from '../../core/postgis/geojson.ts'
import { extentBounds, intersectsBbox, type Bbox } from '../../core/postgis/envelope.ts'

/** Filters for a page of current areas. */
export interface AreaPageQuery {
  level: AreaLevel
  bbox?: Bbox
  limit: number
  offset: number
  /** A compiled CQL2 filter over the area queryables (alias `a`). */
  filter?: RawBuilder<SqlBool>
}

/** A page of areas: GeoJSON Features joined by commas (no brackets), and counts. */
export interface AreaFeaturePage {
  featuresJson: string
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

/** An area row (alias `a`, parent alias `p`) rendered as GeoJSON Feature text. */
function areaFeatureJson() {
  return sql<string>`json_build_object(
    'type', 'Feature',
    'id', a.area_id,
    'geometry', ${asGeoJson(sql.ref('a.geom'))}::json,
    'properties', json_build_object(
      'code', a.code, 'name', a.name, 'nameEn', a.name_en, 'level', a.level, 'kind', a.kind,
      'parentId', a.parent_id, 'parentCode', p.code,
      'countyCode', a.county_code, 'townshipSeq', a.township_seq, 'villageSeq', a.village_seq,
      'gridSeq', a.grid_seq, 'fineSeq', a.fine_seq,
      'households', a.households, 'population', a.population,
      'version', a.version, 'validFrom', a.valid_from, 'synthetic', a.synthetic))::text`
}

function currentAreas(db: Db, level: AreaLevel, bbox?: Bbox, filter?: RawBuilder<SqlBool>) {
  let query = db.selectFrom('current_areas as a').where('a.level', '=', level)
  if (bbox) query = query.where(intersectsBbox(sql.ref('a.geom'), bbox))
  if (filter) query = query.where(filter)
  return query
}

/**
 * One page of current areas of a level, each rendered by PostGIS as a GeoJSON
 * Feature (id = area id), ordered by code, with the total matched — in one
 * statement, so the page costs a single round trip.
 */
export async function findAreaFeatures(db: Db, query: AreaPageQuery): Promise<AreaFeaturePage> {
  const row = await areaFeaturesQuery(db, query).executeTakeFirstOrThrow()
  return { featuresJson: row.features ?? '', numberMatched: Number(row.matched), numberReturned: Number(row.returned) }
}

/** The statement of {@link findAreaFeatures}, exposed so benchmarks can time its SQL alone. */
export function areaFeaturesQuery(db: Db, query: AreaPageQuery) {
  return db
    .with('page', () =>
      currentAreas(db, query.level, query.bbox, query.filter)
        .leftJoin('current_areas as p', 'p.area_id', 'a.parent_id')
        .select([areaFeatureJson().as('feature'), 'a.code'])
        .orderBy('a.code')
        .limit(query.limit)
        .offset(query.offset),
    )
    .selectFrom('page')
    .select((eb) => [
      countAreasQuery(db, query.level, query.bbox, query.filter).as('matched'),
      sql<string | null>`string_agg(page.feature, ',' ORDER BY page.code)`.as('features'),
      eb.fn.countAll<number>().as('returned'),
    ])
}

/** Count of current areas of a level, optionally within a bbox and matching a filter, as a query. */
export function countAreasQuery(db: Db, level: AreaLevel, bbox?: Bbox, filter?: RawBuilder<SqlBool>) {
  return currentAreas(db, level, bbox, filter).select((eb) => eb.fn.countAll<number>().as('n'))
}

/** Number of current areas of a level, optionally within a bbox. */
export async function countAreas(db: Db, level: AreaLevel, bbox?: Bbox): Promise<number> {
  const row = await countAreasQuery(db, level, bbox).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** One current area of a level as GeoJSON Feature text with its version, or undefined. */
export async function findAreaFeature(
  db: Db,
  level: AreaLevel,
  id: number,
): Promise<{ featureText: string; version: number } | undefined> {
  const page = await currentAreas(db, level)
    .leftJoin('current_areas as p', 'p.area_id', 'a.parent_id')
    .where('a.area_id', '=', id)
    .select([
      'a.version',
      areaFeatureJson().as('feature'),
    ])
    .executeTakeFirst()
  return page ? { featureText: page.feature, version: page.version } : undefined
}

/** Spatial extent of the current areas of a level, or undefined when there are none. */
export async function findAreaExtent(db: Db, level: AreaLevel): Promise<Bbox | undefined> {
  const row = await currentAreas(db, level).select(extentBounds(sql.ref('a.geom')).as('extent')).executeTakeFirst()
  const extent = row?.extent
  if (!extent || extent.xmin === null) return undefined
  return [extent.xmin, extent.ymin, extent.xmax, extent.ymax]
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
