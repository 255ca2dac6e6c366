import { sql } from 'kysely'
import { queryable, type Queryable } from '../../core/ogc/cql2/queryables.ts'

const LEVELS = ['town', 'village', 'base_grid', 'fine_grid'] as const
const KINDS = ['standard', 'school', 'market', 'scenic', 'enterprise'] as const

/**
 * The properties of an area feature a CQL2 filter may name, over the current
 * version aliased `a` (as in `areas.repository.ts`). Areas are not personal
 * data: every role that reads them may filter on each of these.
 */
export const AREA_QUERYABLES: Queryable[] = [
  queryable('geometry', 'geometry', { zh: '边界', en: 'Boundary' }, sql`a.geom`, { geometryType: 'MultiPolygon' }),
  queryable('code', 'string', { zh: '区划/网格编码', en: 'Division or grid code' }, sql`a.code`),
  queryable('name', 'string', { zh: '名称', en: 'Name' }, sql`a.name`),
  queryable('nameEn', 'string', { zh: '英文名称', en: 'English name' }, sql`a.name_en`),
  queryable('level', 'string', { zh: '层级', en: 'Level' }, sql`a.level`, { enum: LEVELS }),
  queryable('kind', 'string', { zh: '网格类型', en: 'Grid kind' }, sql`a.kind`, { enum: KINDS }),
  queryable('parentId', 'integer', { zh: '上级区域编号', en: 'Parent area id' }, sql`a.parent_id`),
  queryable('parentCode', 'string', { zh: '上级编码', en: 'Parent code' }, sql`(SELECT pq.code FROM current_areas pq WHERE pq.area_id = a.parent_id)`),
  queryable('countyCode', 'string', { zh: '县级区划代码', en: 'County code' }, sql`a.county_code`),
  queryable('townshipSeq', 'integer', { zh: '乡镇序号', en: 'Township number' }, sql`a.township_seq`),
  queryable('villageSeq', 'integer', { zh: '村序号', en: 'Village number' }, sql`a.village_seq`),
  queryable('gridSeq', 'integer', { zh: '网格序号', en: 'Grid number' }, sql`a.grid_seq`),
  queryable('fineSeq', 'integer', { zh: '精细网格序号', en: 'Fine grid number' }, sql`a.fine_seq`),
  queryable('households', 'integer', { zh: '户数', en: 'Households' }, sql`a.households`),
  queryable('population', 'integer', { zh: '人口', en: 'Population' }, sql`a.population`),
  queryable('version', 'integer', { zh: '版本', en: 'Version' }, sql`a.version`),
  queryable('validFrom', 'date-time', { zh: '生效时间', en: 'Valid from' }, sql`a.valid_from`),
  queryable('validTo', 'date-time', { zh: '失效时间', en: 'Valid until' }, sql`a.valid_to`),
  queryable('synthetic', 'boolean', { zh: '示例数据', en: 'Sample data' }, sql`a.synthetic`),
]
