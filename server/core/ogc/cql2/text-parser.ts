import { CQL_LIMITS, CqlError, isRfc3339Date, isRfc3339Timestamp, type CompareOp, type Expr, type GeometryValue, type Operand } from './ast.ts'
import { bboxPolygon, checkGeometry } from './geometry.ts'

type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'punct' | 'end'

/** A token with its 1-based character position. */
interface Token {
  kind: TokenKind
  text: string
  at: number
}

const PUNCT = ['<=', '>=', '<>', '=', '<', '>', '(', ')', ',']
const WORD = /[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_.:\u00C0-\uFFFF]*/y
const NUMBER = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y
const WKT_TYPES = ['POINT', 'LINESTRING', 'POLYGON', 'MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON', 'GEOMETRYCOLLECTION', 'BBOX']
const COMPARE: readonly string[] = ['=', '<>', '<', '<=', '>', '>=']

function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the filter'
  if (token.kind === 'string') return `'${token.text}'`
  return `"${token.text}"`
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const ch = text[i]
    if (/\s/.test(ch)) {
      i++
      continue
    }
    const at = i + 1
    if (ch === "'") {
      let value = ''
      let j = i + 1
      for (;;) {
        if (j >= text.length) throw new CqlError('cql2_syntax', { position: at, expected: "a closing ' of the string", found: 'the end of the filter' })
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'"
            j += 2
            continue
          }
          break
        }
        value += text[j]
        j++
      }
      tokens.push({ kind: 'string', text: value, at })
      i = j + 1
      continue
    }
    if (ch === '"') {
      const close = text.indexOf('"', i + 1)
      if (close < 0) throw new CqlError('cql2_syntax', { position: at, expected: 'a closing " of the property name', found: 'the end of the filter' })
      tokens.push({ kind: 'quoted', text: text.slice(i + 1, close), at })
      i = close + 1
      continue
    }
    NUMBER.lastIndex = i
    const number = NUMBER.exec(text)
    // A sign belongs to a number only where an operand may start, e.g. "x > -3", not "a -3".
    if (number && (!/[+-]/.test(ch) || !tokens.length || tokens[tokens.length - 1].kind === 'punct' || tokens[tokens.length - 1].kind === 'number')) {
      tokens.push({ kind: 'number', text: number[0], at })
      i += number[0].length
      continue
    }
    const punct = PUNCT.find((p) => text.startsWith(p, i))
    if (punct) {
      tokens.push({ kind: 'punct', text: punct, at })
      i += punct.length
      continue
    }
    WORD.lastIndex = i
    const word = WORD.exec(text)
    if (word) {
      tokens.push({ kind: 'word', text: word[0], at })
      i += word[0].length
      continue
    }
    throw new CqlError('cql2_syntax', { position: at, expected: 'a property, a literal, an operator or a parenthesis', found: `"${ch}"` })
  }
  tokens.push({ kind: 'end', text: '', at: text.length + 1 })
  return tokens
}

/**
 * A recursive-descent parser of CQL2 text (OGC 21-065r2): Basic CQL2 (and, or,
 * not, comparisons, IS NULL, literals, property names), the advanced
 * comparisons LIKE, BETWEEN and IN, S_INTERSECTS with WKT or BBOX literals,
 * and T_INTERSECTS with TIMESTAMP, DATE and INTERVAL. Keywords are
 * case-insensitive. It builds the tree only; names and types are checked by
 * the compiler against the collection's queryables.
 */
class TextParser {
  private tokens: Token[]
  private index = 0
  private depth = 0
  private nodes = 0

  constructor(text: string) {
    this.tokens = tokenize(text)
  }

  parse(): Expr {
    const expr = this.orExpr()
    const next = this.peek()
    if (next.kind !== 'end') this.fail(next, 'AND, OR or the end of the filter')
    return expr
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]
  }

  private next(): Token {
    const token = this.peek()
    if (token.kind !== 'end') this.index++
    return token
  }

  private isWord(token: Token, ...words: string[]): boolean {
    return token.kind === 'word' && words.includes(token.text.toUpperCase())
  }

  private isPunct(token: Token, text: string): boolean {
    return token.kind === 'punct' && token.text === text
  }

  private fail(token: Token, expected: string): never {
    throw new CqlError('cql2_syntax', { position: token.at, expected, found: describe(token) })
  }

  private expectPunct(text: string): Token {
    const token = this.next()
    if (!this.isPunct(token, text)) this.fail(token, `"${text}"`)
    return token
  }

  private expectWord(word: string): Token {
    const token = this.next()
    if (!this.isWord(token, word)) this.fail(token, word)
    return token
  }

  private count(at: number): void {
    this.nodes++
    if (this.nodes > CQL_LIMITS.maxNodes) throw new CqlError('cql2_too_complex', { position: at, limit: `${CQL_LIMITS.maxNodes} nodes` })
  }

  private nested<T>(at: number, parse: () => T): T {
    this.depth++
    if (this.depth > CQL_LIMITS.maxDepth) throw new CqlError('cql2_too_complex', { position: at, limit: `${CQL_LIMITS.maxDepth} levels of nesting` })
    try {
      return parse()
    } finally {
      this.depth--
    }
  }

  private orExpr(): Expr {
    const args = [this.andExpr()]
    while (this.isWord(this.peek(), 'OR')) {
      this.next()
      args.push(this.andExpr())
    }
    return args.length === 1 ? args[0] : { kind: 'or', args }
  }

  private andExpr(): Expr {
    const args = [this.notExpr()]
    while (this.isWord(this.peek(), 'AND')) {
      this.next()
      args.push(this.notExpr())
    }
    return args.length === 1 ? args[0] : { kind: 'and', args }
  }

  private notExpr(): Expr {
    const token = this.peek()
    if (this.isWord(token, 'NOT')) {
      this.next()
      return this.nested(token.at, () => ({ kind: 'not', arg: this.notExpr() }))
    }
    return this.primary()
  }

  private primary(): Expr {
    const token = this.peek()
    this.count(token.at)
    if (this.isPunct(token, '(')) {
      this.next()
      const inner = this.nested(token.at, () => this.orExpr())
      this.expectPunct(')')
      return inner
    }
    if (this.isWord(token, 'S_INTERSECTS', 'T_INTERSECTS') && this.isPunct(this.peek(1), '(')) {
      this.next()
      this.next()
      const spatial = token.text.toUpperCase() === 'S_INTERSECTS'
      const left = spatial ? this.spatialOperand() : this.temporalOperand()
      this.expectPunct(',')
      const right = spatial ? this.spatialOperand() : this.temporalOperand()
      this.expectPunct(')')
      return { kind: spatial ? 's_intersects' : 't_intersects', left, right, at: token.at }
    }
    if (token.kind === 'word' && this.isPunct(this.peek(1), '(') && !this.isLiteralFunction(token)) {
      this.fail(token, 'a property, a literal, S_INTERSECTS, T_INTERSECTS or NOT (functions are not supported)')
    }
    const value = this.scalar()
    return this.predicateAfter(value)
  }

  private isLiteralFunction(token: Token): boolean {
    return this.isWord(token, 'TIMESTAMP', 'DATE', 'INTERVAL', ...WKT_TYPES)
  }

  private predicateAfter(value: Operand): Expr {
    const token = this.peek()
    if (token.kind === 'punct' && COMPARE.includes(token.text)) {
      this.next()
      return { kind: 'compare', op: token.text as CompareOp, left: value, right: this.scalar() }
    }
    const negated = this.isWord(token, 'NOT') && this.isWord(this.peek(1), 'LIKE', 'BETWEEN', 'IN')
    if (negated) this.next()
    const operator = this.peek()
    let predicate: Expr | undefined
    if (this.isWord(operator, 'LIKE')) {
      this.next()
      predicate = { kind: 'like', value, pattern: this.scalar() }
    } else if (this.isWord(operator, 'BETWEEN')) {
      this.next()
      const low = this.scalar()
      this.expectWord('AND')
      predicate = { kind: 'between', value, low, high: this.scalar() }
    } else if (this.isWord(operator, 'IN')) {
      this.next()
      this.expectPunct('(')
      const list = [this.scalar()]
      while (this.isPunct(this.peek(), ',')) {
        this.next()
        list.push(this.scalar())
      }
      this.expectPunct(')')
      predicate = { kind: 'in', value, list }
    }
    if (predicate) return negated ? { kind: 'not', arg: predicate } : predicate
    if (this.isWord(token, 'IS')) {
      this.next()
      const not = this.isWord(this.peek(), 'NOT')
      if (not) this.next()
      this.expectWord('NULL')
      const isNull: Expr = { kind: 'isNull', value }
      return not ? { kind: 'not', arg: isNull } : isNull
    }
    // A boolean literal or property alone is a predicate; the compiler checks the type.
    if (value.kind === 'boolean') return { kind: 'literal', value: value.value }
    if (value.kind === 'property') return { kind: 'operand', operand: value }
    this.fail(token, 'a comparison (=, <>, <, <=, >, >=), LIKE, BETWEEN, IN or IS NULL')
  }

  /** A property, string, number, boolean, TIMESTAMP or DATE. */
  private scalar(): Operand {
    const token = this.next()
    this.count(token.at)
    switch (token.kind) {
      case 'string':
        return { kind: 'string', value: token.text, at: token.at }
      case 'number': {
        const value = Number(token.text)
        if (!Number.isFinite(value)) this.fail(token, 'a finite number')
        return { kind: 'number', value, at: token.at }
      }
      case 'quoted':
        return { kind: 'property', name: token.text, at: token.at }
      case 'word': {
        const upper = token.text.toUpperCase()
        if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE', at: token.at }
        if ((upper === 'TIMESTAMP' || upper === 'DATE') && this.isPunct(this.peek(), '(')) return this.instantLiteral(token)
        if (['AND', 'OR', 'NOT', 'LIKE', 'BETWEEN', 'IN', 'IS', 'NULL'].includes(upper)) break
        return { kind: 'property', name: token.text, at: token.at }
      }
    }
    this.fail(token, 'a property name or a literal (string, number, TRUE/FALSE, TIMESTAMP, DATE)')
  }

  private instantLiteral(keyword: Token): Operand {
    this.expectPunct('(')
    const value = this.next()
    if (value.kind !== 'string') this.fail(value, 'a quoted date or date-time')
    this.expectPunct(')')
    if (keyword.text.toUpperCase() === 'DATE') {
      if (!isRfc3339Date(value.text)) throw new CqlError('cql2_bad_literal', { position: value.at, value: value.text, expected: 'an RFC 3339 date such as 2026-11-05' })
      return { kind: 'date', value: value.text, at: keyword.at }
    }
    if (!isRfc3339Timestamp(value.text)) {
      throw new CqlError('cql2_bad_literal', { position: value.at, value: value.text, expected: 'an RFC 3339 date-time such as 2026-11-05T08:30:00Z' })
    }
    return { kind: 'timestamp', value: value.text, at: keyword.at }
  }

  private temporalOperand(): Operand {
    const token = this.peek()
    if (this.isWord(token, 'INTERVAL') && this.isPunct(this.peek(1), '(')) {
      this.next()
      this.next()
      const start = this.intervalEnd()
      this.expectPunct(',')
      const end = this.intervalEnd()
      this.expectPunct(')')
      return { kind: 'interval', start, end, at: token.at }
    }
    return this.scalar()
  }

  private intervalEnd(): Operand | 'open' {
    const token = this.peek()
    if (token.kind === 'string') {
      this.next()
      if (token.text === '..') return 'open'
      if (isRfc3339Date(token.text)) return { kind: 'date', value: token.text, at: token.at }
      if (isRfc3339Timestamp(token.text)) return { kind: 'timestamp', value: token.text, at: token.at }
      throw new CqlError('cql2_bad_literal', { position: token.at, value: token.text, expected: "an RFC 3339 date or date-time, or '..'" })
    }
    return this.scalar()
  }

  private spatialOperand(): Operand {
    const token = this.peek()
    if (this.isWord(token, ...WKT_TYPES)) {
      this.next()
      return { kind: 'geometry', value: this.geometryAfter(token), at: token.at }
    }
    const value = this.scalar()
    if (value.kind !== 'property') this.fail(token, 'a geometry property, a WKT geometry or BBOX(...)')
    return value
  }

  /** The WKT geometry whose type keyword is `keyword` (already read). */
  private geometryAfter(keyword: Token): GeometryValue {
    const type = keyword.text.toUpperCase()
    // "POINT Z (…)": heights are accepted and kept.
    if (this.isWord(this.peek(), 'Z')) this.next()
    if (type === 'BBOX') {
      this.expectPunct('(')
      const numbers = [this.number()]
      while (this.isPunct(this.peek(), ',')) {
        this.next()
        numbers.push(this.number())
      }
      this.expectPunct(')')
      return bboxPolygon(numbers, keyword.at)
    }
    if (type === 'GEOMETRYCOLLECTION') {
      this.expectPunct('(')
      const geometries: GeometryValue[] = []
      do {
        const member = this.next()
        if (!this.isWord(member, ...WKT_TYPES.filter((t) => t !== 'BBOX'))) this.fail(member, 'a WKT geometry')
        geometries.push(this.nested(member.at, () => this.geometryAfter(member)))
      } while (this.isPunct(this.peek(), ',') && this.next())
      this.expectPunct(')')
      return checkGeometry({ type: 'GeometryCollection', geometries }, keyword.at)
    }
    const depthOf: Record<string, number> = { POINT: 0, LINESTRING: 1, POLYGON: 2, MULTIPOINT: 1, MULTILINESTRING: 2, MULTIPOLYGON: 3 }
    const names: Record<string, GeometryValue['type']> = {
      POINT: 'Point', LINESTRING: 'LineString', POLYGON: 'Polygon', MULTIPOINT: 'MultiPoint', MULTILINESTRING: 'MultiLineString', MULTIPOLYGON: 'MultiPolygon',
    }
    let coordinates: unknown
    if (type === 'POINT') {
      this.expectPunct('(')
      coordinates = this.position()
      this.expectPunct(')')
    } else if (type === 'MULTIPOINT') {
      coordinates = this.list(() => {
        // MULTIPOINT((1 2), (3 4)) and MULTIPOINT(1 2, 3 4) are both WKT.
        if (!this.isPunct(this.peek(), '(')) return this.position()
        this.next()
        const position = this.position()
        this.expectPunct(')')
        return position
      })
    } else {
      coordinates = this.coordinateList(depthOf[type])
    }
    return checkGeometry({ type: names[type], coordinates }, keyword.at)
  }

  private list<T>(item: () => T): T[] {
    const open = this.expectPunct('(')
    return this.nested(open.at, () => {
      const items = [item()]
      while (this.isPunct(this.peek(), ',')) {
        this.next()
        items.push(item())
      }
      this.expectPunct(')')
      return items
    })
  }

  private coordinateList(depth: number): unknown {
    return depth === 1 ? this.list(() => this.position()) : this.list(() => this.coordinateList(depth - 1))
  }

  private position(): number[] {
    const values = [this.number(), this.number()]
    if (this.peek().kind === 'number') values.push(this.number())
    return values
  }

  private number(): number {
    const token = this.next()
    this.count(token.at)
    if (token.kind !== 'number') this.fail(token, 'a number')
    const value = Number(token.text)
    if (!Number.isFinite(value)) this.fail(token, 'a finite number')
    return value
  }
}

/** Parses a cql2-text filter (throws {@link CqlError} with the position and what was expected). */
export function parseCql2Text(text: string): Expr {
  if (text.length > CQL_LIMITS.maxLength) throw new CqlError('cql2_too_complex', { position: CQL_LIMITS.maxLength, limit: `${CQL_LIMITS.maxLength} characters` })
  if (text.trim() === '') throw new CqlError('cql2_syntax', { position: 1, expected: 'a filter expression', found: 'an empty filter' })
  return new TextParser(text).parse()
}
