import { CQL_LIMITS, CqlError, isRfc3339Date, isRfc3339Timestamp, type CompareOp, type Expr, type Operand } from './ast.ts'
import { bboxPolygon, checkGeometry } from './geometry.ts'

const COMPARE: readonly string[] = ['=', '<>', '<', '<=', '>', '>=']
const GEOMETRY_TYPES = ['Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon', 'GeometryCollection']

function fail(path: string, expected: string, found: unknown): never {
  const shown = found === undefined ? 'nothing' : JSON.stringify(found)
  throw new CqlError('cql2_json_syntax', { position: path, expected, found: shown.length > 60 ? `${shown.slice(0, 57)}...` : shown })
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Parser state: counts nodes and depth against {@link CQL_LIMITS}. */
class JsonParser {
  private nodes = 0

  private count(path: string): void {
    this.nodes++
    if (this.nodes > CQL_LIMITS.maxNodes) throw new CqlError('cql2_too_complex', { position: path, limit: `${CQL_LIMITS.maxNodes} nodes` })
  }

  expr(value: unknown, path: string, depth: number): Expr {
    if (depth > CQL_LIMITS.maxDepth) throw new CqlError('cql2_too_complex', { position: path, limit: `${CQL_LIMITS.maxDepth} levels of nesting` })
    this.count(path)
    if (typeof value === 'boolean') return { kind: 'literal', value }
    if (!isObject(value) || typeof value.op !== 'string') fail(path, 'an object {"op": …, "args": […]} or true/false', value)
    const op = value.op.toLowerCase()
    const args = value.args
    if (!Array.isArray(args)) fail(`${path}.args`, 'an array of arguments', args)
    const arity = (n: number) => {
      if (args.length !== n) fail(`${path}.args`, `${n} argument${n === 1 ? '' : 's'} for "${value.op}"`, args)
    }
    const at = (i: number) => `${path}.args[${i}]`
    if (op === 'and' || op === 'or') {
      if (args.length < 2) fail(`${path}.args`, `at least 2 arguments for "${value.op}"`, args)
      return { kind: op, args: args.map((arg, i) => this.expr(arg, at(i), depth + 1)) }
    }
    if (op === 'not') {
      arity(1)
      return { kind: 'not', arg: this.expr(args[0], at(0), depth + 1) }
    }
    if (COMPARE.includes(op)) {
      arity(2)
      return { kind: 'compare', op: op as CompareOp, left: this.scalar(args[0], at(0)), right: this.scalar(args[1], at(1)) }
    }
    if (op === 'like') {
      arity(2)
      return { kind: 'like', value: this.scalar(args[0], at(0)), pattern: this.scalar(args[1], at(1)) }
    }
    if (op === 'between') {
      arity(3)
      return { kind: 'between', value: this.scalar(args[0], at(0)), low: this.scalar(args[1], at(1)), high: this.scalar(args[2], at(2)) }
    }
    if (op === 'in') {
      arity(2)
      const list = args[1]
      if (!Array.isArray(list) || list.length === 0) fail(at(1), 'a non-empty array of values', list)
      return { kind: 'in', value: this.scalar(args[0], at(0)), list: list.map((item, i) => this.scalar(item, `${at(1)}[${i}]`)) }
    }
    if (op === 'isnull') {
      arity(1)
      return { kind: 'isNull', value: this.scalar(args[0], at(0)) }
    }
    if (op === 's_intersects') {
      arity(2)
      return { kind: 's_intersects', left: this.spatial(args[0], at(0)), right: this.spatial(args[1], at(1)), at: path }
    }
    if (op === 't_intersects') {
      arity(2)
      return { kind: 't_intersects', left: this.temporal(args[0], at(0)), right: this.temporal(args[1], at(1)), at: path }
    }
    fail(`${path}.op`, 'one of and, or, not, =, <>, <, <=, >, >=, like, between, in, isNull, s_intersects, t_intersects', value.op)
  }

  scalar(value: unknown, path: string): Operand {
    this.count(path)
    if (typeof value === 'string') return { kind: 'string', value, at: path }
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) fail(path, 'a finite number', value)
      return { kind: 'number', value, at: path }
    }
    if (typeof value === 'boolean') return { kind: 'boolean', value, at: path }
    if (isObject(value)) {
      if (typeof value.property === 'string') return { kind: 'property', name: value.property, at: path }
      if (typeof value.timestamp === 'string') {
        if (!isRfc3339Timestamp(value.timestamp)) throw new CqlError('cql2_bad_literal', { position: path, value: value.timestamp, expected: 'an RFC 3339 date-time such as 2026-11-05T08:30:00Z' })
        return { kind: 'timestamp', value: value.timestamp, at: path }
      }
      if (typeof value.date === 'string') {
        if (!isRfc3339Date(value.date)) throw new CqlError('cql2_bad_literal', { position: path, value: value.date, expected: 'an RFC 3339 date such as 2026-11-05' })
        return { kind: 'date', value: value.date, at: path }
      }
    }
    fail(path, 'a string, number, boolean, {"property": …}, {"timestamp": …} or {"date": …}', value)
  }

  temporal(value: unknown, path: string): Operand {
    if (isObject(value) && 'interval' in value) {
      const ends = value.interval
      if (!Array.isArray(ends) || ends.length !== 2) fail(`${path}.interval`, 'an array of 2 ends', ends)
      const end = (item: unknown, where: string): Operand | 'open' => {
        if (item === '..') return 'open'
        if (typeof item === 'string') {
          if (isRfc3339Date(item)) return { kind: 'date', value: item, at: where }
          if (isRfc3339Timestamp(item)) return { kind: 'timestamp', value: item, at: where }
          throw new CqlError('cql2_bad_literal', { position: where, value: item, expected: "an RFC 3339 date or date-time, or '..'" })
        }
        return this.scalar(item, where)
      }
      return { kind: 'interval', start: end(ends[0], `${path}.interval[0]`), end: end(ends[1], `${path}.interval[1]`), at: path }
    }
    return this.scalar(value, path)
  }

  spatial(value: unknown, path: string): Operand {
    this.count(path)
    if (isObject(value)) {
      if (typeof value.property === 'string') return { kind: 'property', name: value.property, at: path }
      if (Array.isArray(value.bbox)) {
        if (!value.bbox.every((n) => typeof n === 'number' && Number.isFinite(n))) fail(`${path}.bbox`, 'numbers', value.bbox)
        return { kind: 'geometry', value: bboxPolygon(value.bbox as number[], path), at: path }
      }
      if (typeof value.type === 'string' && GEOMETRY_TYPES.includes(value.type)) return { kind: 'geometry', value: checkGeometry(value, path), at: path }
    }
    fail(path, 'a GeoJSON geometry, {"bbox": […]} or {"property": …}', value)
  }
}

/** Parses a cql2-json filter given as text (throws {@link CqlError} naming the JSON path and what was expected). */
export function parseCql2Json(text: string): Expr {
  if (text.length > CQL_LIMITS.maxLength) throw new CqlError('cql2_too_complex', { position: '$', limit: `${CQL_LIMITS.maxLength} characters` })
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new CqlError('cql2_json_syntax', { position: '$', expected: 'valid JSON', found: (error as Error).message })
  }
  return new JsonParser().expr(value, '$', 0)
}
