import type { RawBuilder, SqlBool } from 'kysely'
import { HttpError } from '../../http/http-error.ts'
import { CqlError, type Expr } from './ast.ts'
import { FilterCompiler } from './compile.ts'
import { parseCql2Json } from './json-parser.ts'
import type { Queryable } from './queryables.ts'
import { parseCql2Text } from './text-parser.ts'

/** The only `filter-crs`: coordinates of geometry literals are longitude, latitude in degrees. */
export const FILTER_CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'

/**
 * Accepted `filter-lang` values. `cql-text` is the name drafts of Part 3 used
 * for the text encoding; GDAL 3.6's OAPIF driver still sends it, so it is read
 * as cql2-text.
 */
export const FILTER_LANGS = ['cql2-text', 'cql2-json', 'cql-text'] as const

/** The filter parameters of an items request, as received. */
export interface FilterParameters {
  filter?: string
  filterLang?: string
  filterCrs?: string
}

/** Parses a filter in the language named (cql2-text by default); throws {@link CqlError}. */
export function parseFilter(text: string, lang: string = 'cql2-text'): Expr {
  return lang === 'cql2-json' ? parseCql2Json(text) : parseCql2Text(text)
}

/**
 * The SQL condition of an items request's `filter` over the collection's
 * `queryables` (those the caller may see), or undefined without one. Bad
 * input answers 400 with the position and what was expected.
 */
export function compileFilterParameters(parameters: FilterParameters, queryables: Queryable[]): RawBuilder<SqlBool> | undefined {
  const { filter, filterLang = 'cql2-text', filterCrs } = parameters
  if (!(FILTER_LANGS as readonly string[]).includes(filterLang)) {
    throw new HttpError(400, 'cql2_bad_filter_lang', { value: filterLang, allowed: FILTER_LANGS.join(', ') })
  }
  if (filterCrs !== undefined && filterCrs !== FILTER_CRS84) throw new HttpError(400, 'cql2_bad_filter_crs', { value: filterCrs, allowed: FILTER_CRS84 })
  if (filter === undefined) return undefined
  try {
    return new FilterCompiler(queryables).compile(parseFilter(filter, filterLang))
  } catch (error) {
    if (error instanceof CqlError) throw new HttpError(400, error.code, error.params)
    throw error
  }
}
