/**
 * The syntax tree both CQL2 encodings (text and JSON) parse into, and the
 * compiler turns into SQL. Every node that names a property or holds a literal
 * keeps the `at` where it was written (a character offset in cql2-text, a JSON
 * path in cql2-json) so errors can point at it.
 */

/** Where a node was written: 1-based character position (text) or a JSON path (JSON). */
export type Position = number | string

/** A GeoJSON geometry as parsed from a WKT or GeoJSON literal (CRS84 coordinates). */
export interface GeometryValue {
  type: 'Point' | 'LineString' | 'Polygon' | 'MultiPoint' | 'MultiLineString' | 'MultiPolygon' | 'GeometryCollection'
  coordinates?: unknown
  geometries?: GeometryValue[]
}

/** A value operand: a property, a literal, or (in temporal/spatial predicates) a geometry or interval. */
export type Operand =
  | { kind: 'property'; name: string; at: Position }
  | { kind: 'string'; value: string; at: Position }
  | { kind: 'number'; value: number; at: Position }
  | { kind: 'boolean'; value: boolean; at: Position }
  /** RFC 3339 date-time, as written (validated). */
  | { kind: 'timestamp'; value: string; at: Position }
  /** RFC 3339 full-date `YYYY-MM-DD` (validated). */
  | { kind: 'date'; value: string; at: Position }
  /** Both ends instants (timestamp/date literals, date-time properties) or `..` (open). */
  | { kind: 'interval'; start: Operand | 'open'; end: Operand | 'open'; at: Position }
  | { kind: 'geometry'; value: GeometryValue; at: Position }

/** Comparison operators of Basic CQL2. */
export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>='

/** A boolean expression. */
export type Expr =
  | { kind: 'and' | 'or'; args: Expr[] }
  | { kind: 'not'; arg: Expr }
  | { kind: 'literal'; value: boolean }
  /** A boolean property or literal standing alone as a predicate. */
  | { kind: 'operand'; operand: Operand }
  | { kind: 'compare'; op: CompareOp; left: Operand; right: Operand }
  | { kind: 'like'; value: Operand; pattern: Operand }
  | { kind: 'between'; value: Operand; low: Operand; high: Operand }
  | { kind: 'in'; value: Operand; list: Operand[] }
  | { kind: 'isNull'; value: Operand }
  | { kind: 's_intersects'; left: Operand; right: Operand; at: Position }
  | { kind: 't_intersects'; left: Operand; right: Operand; at: Position }

/**
 * A filter the parser refused or the compiler could not accept: `code` names
 * the catalogue message, `params` fill it (position, expected, found, name…).
 */
export class CqlError extends Error {
  readonly code: CqlErrorCode
  readonly params: Record<string, unknown>

  constructor(code: CqlErrorCode, params: Record<string, unknown>) {
    super(`${code} ${JSON.stringify(params)}`)
    this.code = code
    this.params = params
  }
}

/** Codes of {@link CqlError}; each has zh + en text in `server/core/i18n/catalogue/cql2.ts`. */
export type CqlErrorCode =
  | 'cql2_syntax'
  | 'cql2_json_syntax'
  | 'cql2_unknown_queryable'
  | 'cql2_type_mismatch'
  | 'cql2_bad_literal'
  | 'cql2_bad_geometry'
  | 'cql2_too_complex'

/** Limits that keep a filter from costing more to parse or plan than a page is worth. */
export const CQL_LIMITS = {
  /** Longest filter text accepted, in characters. */
  maxLength: 20_000,
  /** Deepest nesting of expressions. */
  maxDepth: 40,
  /** Most nodes (predicates, operands, coordinates count once per literal). */
  maxNodes: 1_000,
} as const

const RFC3339_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const RFC3339_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/

function validDayOf(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** Whether `text` is an RFC 3339 full-date that exists in the calendar. */
export function isRfc3339Date(text: string): boolean {
  const match = RFC3339_DATE.exec(text)
  return match !== null && validDayOf(Number(match[1]), Number(match[2]), Number(match[3]))
}

/** Whether `text` is an RFC 3339 date-time with a zone (`Z` or an offset) that exists. */
export function isRfc3339Timestamp(text: string): boolean {
  const match = RFC3339_TIMESTAMP.exec(text)
  if (!match || !validDayOf(Number(match[1]), Number(match[2]), Number(match[3]))) return false
  return Number(match[4]) < 24 && Number(match[5]) < 60 && Number(match[6]) < 61
}
