import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { Type } from 'typebox'
import type { UserRecord } from '../../core/auth/users.repository.ts'
import { compileFilterParameters, FILTER_CRS84, FILTER_LANGS } from '../../core/ogc/cql2/filter.ts'
import type { CollectionProvider } from '../../core/ogc/provider.ts'
import type { GeoJsonPolygon } from '../../core/ogc/reproject.ts'

/**
 * The query parameters of OGC API – Features – Part 3 on every items route.
 * `filter-lang` and `filter-crs` are strings checked by the compiler (not
 * enums here) so a wrong value gets the filter's own 400 naming what is supported.
 */
export const FILTER_QUERY = {
  filter: Type.Optional(Type.String({ maxLength: 20_000, description: 'CQL2 filter over the collection\'s queryables (see …/queryables), e.g. status = \'reported\' AND S_INTERSECTS(geometry, BBOX(100.1,25.8,100.2,25.9))' })),
  'filter-lang': Type.Optional(Type.String({ maxLength: 40, description: `Filter language: ${FILTER_LANGS.join(', ')} (cql2-text by default; cql-text, the draft name GDAL 3.6 sends, is read as cql2-text)` })),
  'filter-crs': Type.Optional(Type.String({ maxLength: 200, description: `CRS of geometry literals in the filter: ${FILTER_CRS84} only` })),
}

/**
 * The compiled filter of an items request and the parameters to keep in its
 * paging links. The collection's queryables are asked for only when a filter
 * parameter is present, after the route's access check: a role that may not
 * read the collection gets its 403 before any filter is looked at.
 */
export function itemsFilter(
  collection: CollectionProvider,
  user: UserRecord,
  query: Record<string, unknown>,
  bboxPolygon?: GeoJsonPolygon,
): { query: { filter?: RawBuilder<SqlBool>; filterText?: string }; kept: Record<string, string | undefined> } {
  const filter = query.filter as string | undefined
  const filterLang = query['filter-lang'] as string | undefined
  const filterCrs = query['filter-crs'] as string | undefined
  const inBox = bboxPolygon ? boxFilter(collection, user, bboxPolygon) : undefined
  if (filter === undefined && filterLang === undefined && filterCrs === undefined) return { query: inBox ? { filter: inBox } : {}, kept: {} }
  const compiled = compileFilterParameters({ filter, filterLang, filterCrs }, filter === undefined ? [] : collection.queryables(user))
  const both = compiled && inBox ? sql<SqlBool>`(${compiled}) AND (${inBox})` : (compiled ?? inBox)
  return {
    query: both ? { filter: both, ...(compiled ? { filterText: filter } : {}) } : {},
    kept: { filter, 'filter-lang': filterLang, 'filter-crs': filterCrs },
  }
}

/**
 * A `bbox` given in metres (`bbox-crs` of the Gauss–Krüger zone) as the exact
 * condition: `S_INTERSECTS(geometry, <that box in lon/lat>)` compiled through
 * the collection's own geometry queryable, so it meets the geometry the
 * caller is shown (a key person's shown point, never the household).
 */
function boxFilter(collection: CollectionProvider, user: UserRecord, polygon: GeoJsonPolygon): RawBuilder<SqlBool> | undefined {
  const json = JSON.stringify({ op: 's_intersects', args: [{ property: 'geometry' }, polygon] })
  return compileFilterParameters({ filter: json, filterLang: 'cql2-json' }, collection.queryables(user))
}
