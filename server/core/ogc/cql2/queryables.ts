import type { RawBuilder } from 'kysely'
import type { Lang } from '../../i18n/messages.ts'

/** JSON Schema type of a queryable (`date-time`/`date` are strings with that format). */
export type QueryableType = 'string' | 'integer' | 'number' | 'boolean' | 'date-time' | 'date' | 'geometry'

/**
 * A property a filter may name: its JSON Schema description and the SQL
 * expression it stands for in the provider's query. The name-to-expression
 * map is the allow-list: a filter reaches no column that is not listed here.
 */
export interface Queryable {
  /** Property name, as in the features' `properties` (or `geometry`). */
  name: string
  type: QueryableType
  title: Record<Lang, string>
  /** Allowed values of a string property. */
  enum?: readonly string[]
  /** For `geometry`: the GeoJSON type of the features' geometries. */
  geometryType?: 'Point' | 'MultiPolygon'
  /** The property's value in the provider's SQL (table aliases of its query), never built from input. */
  sql: RawBuilder<unknown>
}

/** Shorthand for a queryable. */
export function queryable(
  name: string,
  type: QueryableType,
  title: Record<Lang, string>,
  sqlExpression: RawBuilder<unknown>,
  extra: Pick<Queryable, 'enum' | 'geometryType'> = {},
): Queryable {
  return { name, type, title, sql: sqlExpression, ...extra }
}

/** The JSON Schema property of one queryable (OGC API – Features – Part 3, JSON Schema 2020-12). */
function schemaProperty(item: Queryable, lang: Lang): Record<string, unknown> {
  const title = item.title[lang]
  switch (item.type) {
    case 'geometry':
      return { title, format: item.geometryType === 'Point' ? 'geometry-point' : item.geometryType === 'MultiPolygon' ? 'geometry-multipolygon' : 'geometry-any', 'x-ogc-role': 'primary-geometry' }
    case 'date-time':
    case 'date':
      return { title, type: 'string', format: item.type }
    case 'string':
      return item.enum ? { title, type: 'string', enum: [...item.enum] } : { title, type: 'string' }
    default:
      return { title, type: item.type }
  }
}

/**
 * The queryables document of a collection: a JSON Schema (2020-12) of an
 * object whose properties are exactly the queryables `queryables` (those the
 * caller may see), with `additionalProperties: false`.
 */
export function queryablesSchema(id: string, title: string, queryables: Queryable[], lang: Lang): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: id,
    type: 'object',
    title,
    properties: Object.fromEntries(queryables.map((item) => [item.name, schemaProperty(item, lang)])),
    additionalProperties: false,
  }
}

/**
 * The same queryables as the list of the 2020 drafts of Part 3
 * (`[{ id, type, title }]`), the only shape GDAL up to 3.7 reads.
 */
export function queryablesList(queryables: Queryable[], lang: Lang): Array<{ id: string; type: string; title: string }> {
  return queryables.map((item) => ({ id: item.name, type: item.type, title: item.title[lang] }))
}
