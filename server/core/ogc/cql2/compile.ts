import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { CqlError, isRfc3339Date, isRfc3339Timestamp, type CompareOp, type Expr, type Operand, type Position } from './ast.ts'
import type { Queryable } from './queryables.ts'

/** Type of a compiled operand. */
type ValueType = 'string' | 'number' | 'boolean' | 'timestamp' | 'date' | 'geometry' | 'interval'

interface Compiled {
  sql: RawBuilder<unknown>
  type: ValueType
  /** The literal as written, when the operand is a string literal (it may still become a date). */
  text?: string
  at: Position
}

/** The SQL of each comparison operator: a fixed table, so no operator text from input reaches SQL. */
const COMPARE_SQL: Record<CompareOp, RawBuilder<unknown>> = {
  '=': sql`=`, '<>': sql`<>`, '<': sql`<`, '<=': sql`<=`, '>': sql`>`, '>=': sql`>=`,
}

function typeOf(item: Queryable): ValueType {
  if (item.type === 'integer' || item.type === 'number') return 'number'
  if (item.type === 'date-time') return 'timestamp'
  return item.type
}

function mismatch(at: Position, operator: string, expected: string, found: ValueType): CqlError {
  return new CqlError('cql2_type_mismatch', { position: at, operator, expected, found })
}

/** A UTC instant as timestamptz SQL. */
const instantSql = (iso: string) => sql`${iso}::timestamptz`

/**
 * Compiles a parsed filter into a parameterised SQL condition. Property names
 * resolve through `queryables` only (an unknown name, or one the caller may not
 * see, answers the same "unknown queryable"); every literal is a bound
 * parameter with an explicit cast; operators come from fixed tables.
 */
export class FilterCompiler {
  private byName: Map<string, Queryable>

  constructor(private queryables: Queryable[]) {
    this.byName = new Map(queryables.map((item) => [item.name, item]))
  }

  compile(expr: Expr): RawBuilder<SqlBool> {
    switch (expr.kind) {
      case 'and':
      case 'or': {
        const joined = sql.join(expr.args.map((arg) => this.compile(arg)), expr.kind === 'and' ? sql` AND ` : sql` OR `)
        return sql<SqlBool>`(${joined})`
      }
      case 'not':
        return sql<SqlBool>`(NOT ${this.compile(expr.arg)})`
      case 'literal':
        return expr.value ? sql<SqlBool>`TRUE` : sql<SqlBool>`FALSE`
      case 'operand': {
        const value = this.operand(expr.operand)
        if (value.type !== 'boolean') throw mismatch(value.at, 'predicate', 'boolean', value.type)
        return sql<SqlBool>`(${value.sql})`
      }
      case 'compare': {
        const [left, right] = this.comparable(expr.op, this.operand(expr.left), this.operand(expr.right))
        return sql<SqlBool>`(${left.sql} ${COMPARE_SQL[expr.op]} ${right.sql})`
      }
      case 'like': {
        const value = this.operand(expr.value)
        const pattern = this.operand(expr.pattern)
        if (value.type !== 'string') throw mismatch(value.at, 'LIKE', 'string', value.type)
        if (pattern.type !== 'string') throw mismatch(pattern.at, 'LIKE', 'string', pattern.type)
        return sql<SqlBool>`(${value.sql} LIKE ${pattern.sql})`
      }
      case 'between': {
        const value = this.operand(expr.value)
        const [, low] = this.comparable('BETWEEN', value, this.operand(expr.low))
        const [checked, high] = this.comparable('BETWEEN', value, this.operand(expr.high))
        if (!['number', 'timestamp', 'date'].includes(checked.type)) throw mismatch(value.at, 'BETWEEN', 'number, date-time or date', value.type)
        return sql<SqlBool>`(${checked.sql} BETWEEN ${low.sql} AND ${high.sql})`
      }
      case 'in': {
        const value = this.operand(expr.value)
        const items = expr.list.map((item) => this.comparable('IN', value, this.operand(item))[1].sql)
        return sql<SqlBool>`(${value.sql} IN (${sql.join(items)}))`
      }
      case 'isNull':
        return sql<SqlBool>`(${this.operand(expr.value).sql} IS NULL)`
      case 's_intersects': {
        const left = this.operand(expr.left)
        const right = this.operand(expr.right)
        for (const side of [left, right]) if (side.type !== 'geometry') throw mismatch(side.at, 'S_INTERSECTS', 'geometry', side.type)
        return sql<SqlBool>`ST_Intersects(${left.sql}, ${right.sql})`
      }
      case 't_intersects':
        return this.temporalIntersects(expr.left, expr.right)
    }
  }

  private property(name: string, at: Position): Queryable {
    const found = this.byName.get(name)
    if (!found) {
      throw new CqlError('cql2_unknown_queryable', { position: at, name, available: this.queryables.map((item) => item.name).join(', ') })
    }
    return found
  }

  private operand(operand: Operand): Compiled {
    const at = operand.at
    switch (operand.kind) {
      case 'property': {
        const item = this.property(operand.name, at)
        const type = typeOf(item)
        // Text columns compare as text whatever their SQL type (check-constrained enums included).
        return { sql: type === 'string' ? sql`(${item.sql})::text` : item.sql, type, at }
      }
      case 'string':
        return { sql: sql`${operand.value}::text`, type: 'string', text: operand.value, at }
      case 'number':
        return { sql: sql`${operand.value}::numeric`, type: 'number', at }
      case 'boolean':
        return { sql: sql`${operand.value}::boolean`, type: 'boolean', at }
      case 'timestamp':
        return { sql: instantSql(operand.value), type: 'timestamp', at }
      case 'date':
        return { sql: sql`${operand.value}::date`, type: 'date', text: operand.value, at }
      case 'geometry':
        // ST_MakeValid: a self-intersecting polygon literal filters instead of failing in GEOS.
        return { sql: sql`ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(operand.value)}), 4326))`, type: 'geometry', at }
      case 'interval':
        throw mismatch(at, 'comparison', 'a property or a literal', 'interval')
    }
  }

  /**
   * Checks that `left` and `right` may be compared and returns them ready to:
   * a string literal next to a date-time property becomes a timestamp (GDAL
   * writes `validFrom > '2026-01-01T00:00:00Z'`), a date next to a date-time
   * the start of that UTC day.
   */
  private comparable(operator: string, left: Compiled, right: Compiled): [Compiled, Compiled] {
    const l = this.coerce(left, right.type)
    const r = this.coerce(right, l.type)
    if (l.type === r.type) return [l, r]
    if (l.type === 'timestamp' && r.type === 'date') return [l, this.dayStart(r)]
    if (l.type === 'date' && r.type === 'timestamp') return [this.dayStart(l), r]
    if (l.type === 'geometry' || l.type === 'interval') throw mismatch(l.at, operator, 'a string, number, boolean, date-time or date', l.type)
    throw mismatch(r.at, operator, l.type, r.type)
  }

  private coerce(value: Compiled, other: ValueType): Compiled {
    if (value.type !== 'string' || value.text === undefined) return value
    if (other === 'timestamp' && isRfc3339Timestamp(value.text)) return { ...value, sql: instantSql(value.text), type: 'timestamp' }
    if ((other === 'timestamp' || other === 'date') && isRfc3339Date(value.text)) return { ...value, sql: sql`${value.text}::date`, type: 'date' }
    return value
  }

  private dayStart(value: Compiled): Compiled {
    if (value.text !== undefined) return { ...value, sql: instantSql(`${value.text}T00:00:00Z`), type: 'timestamp' }
    return { ...value, sql: sql`(${value.sql})::timestamp AT TIME ZONE 'UTC'`, type: 'timestamp' }
  }

  /** Start and end (inclusive, null when open) of a temporal operand, and the properties it reads. */
  private bounds(operand: Operand | 'open', side: 'start' | 'end'): { sql: RawBuilder<unknown> | null; property?: RawBuilder<unknown> } {
    if (operand === 'open') return { sql: null }
    if (operand.kind === 'interval') return this.bounds(side === 'start' ? operand.start : operand.end, side)
    if (operand.kind === 'date') return { sql: instantSql(`${operand.value}T${side === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`) }
    if (operand.kind === 'timestamp') return { sql: instantSql(operand.value) }
    if (operand.kind === 'string' && isRfc3339Timestamp(operand.value)) return { sql: instantSql(operand.value) }
    const value = this.operand(operand)
    if (value.type === 'timestamp') return { sql: value.sql, property: value.sql }
    if (value.type === 'date') {
      const start = sql`((${value.sql})::timestamp AT TIME ZONE 'UTC')`
      return { sql: side === 'start' ? start : sql`(${start} + interval '1 day' - interval '1 millisecond')`, property: value.sql }
    }
    throw mismatch(value.at, 'T_INTERSECTS', 'a date-time or date property, TIMESTAMP, DATE or INTERVAL', value.type)
  }

  private temporalIntersects(left: Operand, right: Operand): RawBuilder<SqlBool> {
    const a = { start: this.bounds(left, 'start'), end: this.bounds(left, 'end') }
    const b = { start: this.bounds(right, 'start'), end: this.bounds(right, 'end') }
    const conditions: RawBuilder<unknown>[] = []
    // Closed intervals [start, end] intersect when each starts before the other ends; an open end bounds nothing.
    if (a.start.sql && b.end.sql) conditions.push(sql`${a.start.sql} <= ${b.end.sql}`)
    if (b.start.sql && a.end.sql) conditions.push(sql`${b.start.sql} <= ${a.end.sql}`)
    // A property without a value intersects nothing, even an interval open at both ends.
    const properties = new Set([a.start.property, a.end.property, b.start.property, b.end.property].filter((p) => p !== undefined))
    for (const property of properties) conditions.push(sql`${property} IS NOT NULL`)
    if (conditions.length === 0) return sql<SqlBool>`TRUE`
    return sql<SqlBool>`(${sql.join(conditions, sql` AND `)})`
  }
}
