import { describe, expect, it } from 'vitest'
import { CqlError, type Expr } from '../../server/core/ogc/cql2/ast.ts'
import { parseCql2Json } from '../../server/core/ogc/cql2/json-parser.ts'
import { parseCql2Text } from '../../server/core/ogc/cql2/text-parser.ts'
import { FilterCompiler } from '../../server/core/ogc/cql2/compile.ts'
import { queryable } from '../../server/core/ogc/cql2/queryables.ts'
import { sql, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, DummyDriver } from 'kysely'

/** Compiles SQL text without a database, to see exactly what reaches PostgreSQL. */
const kysely = new Kysely<object>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
})

const QUERYABLES = [
  queryable('name', 'string', { zh: '名称', en: 'Name' }, sql`t.name`),
  queryable('households', 'integer', { zh: '户数', en: 'Households' }, sql`t.households`),
  queryable('synthetic', 'boolean', { zh: '示例', en: 'Sample' }, sql`t.synthetic`),
  queryable('validFrom', 'date-time', { zh: '生效', en: 'Valid from' }, sql`t.valid_from`),
  queryable('geometry', 'geometry', { zh: '边界', en: 'Boundary' }, sql`t.geom`),
]

function compiled(text: string) {
  return new FilterCompiler(QUERYABLES).compile(parseCql2Text(text)).compile(kysely)
}

function errorOf(run: () => unknown): CqlError {
  try {
    run()
  } catch (error) {
    if (error instanceof CqlError) return error
    throw error
  }
  throw new Error('expected a CqlError')
}

describe('cql2-text parser', () => {
  it('parses Basic CQL2 with the usual precedence: NOT over AND over OR', () => {
    const expr = parseCql2Text("name = 'a' OR NOT households > 3 AND synthetic")
    expect(expr.kind).toBe('or')
    const [left, right] = (expr as { args: Expr[] }).args
    expect(left).toMatchObject({ kind: 'compare', op: '=', left: { kind: 'property', name: 'name' }, right: { kind: 'string', value: 'a' } })
    expect(right).toMatchObject({ kind: 'and', args: [{ kind: 'not' }, { kind: 'operand', operand: { name: 'synthetic' } }] })
  })

  it('reads keywords in any case, quoted property names, escaped quotes and signed numbers', () => {
    expect(parseCql2Text(`"name" like 'O''Brien%' and households >= -2.5e1`)).toMatchObject({
      kind: 'and',
      args: [
        { kind: 'like', value: { name: 'name' }, pattern: { value: "O'Brien%" } },
        { kind: 'compare', op: '>=', right: { kind: 'number', value: -25 } },
      ],
    })
  })

  it('parses IN, BETWEEN, IS [NOT] NULL and their negations', () => {
    expect(parseCql2Text("name NOT IN ('a', 'b')")).toMatchObject({ kind: 'not', arg: { kind: 'in', list: [{ value: 'a' }, { value: 'b' }] } })
    expect(parseCql2Text('households BETWEEN 1 AND 9')).toMatchObject({ kind: 'between', low: { value: 1 }, high: { value: 9 } })
    expect(parseCql2Text('name IS NOT NULL')).toMatchObject({ kind: 'not', arg: { kind: 'isNull' } })
  })

  it('parses WKT geometries, BBOX and temporal literals', () => {
    expect(parseCql2Text('S_INTERSECTS(geometry, POINT(100.1 25.8))')).toMatchObject({ kind: 's_intersects', right: { kind: 'geometry', value: { type: 'Point', coordinates: [100.1, 25.8] } } })
    expect(parseCql2Text('S_INTERSECTS(geometry, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((2 2, 3 2, 3 3, 2 2))))')).toMatchObject({ right: { value: { type: 'MultiPolygon' } } })
    expect(parseCql2Text('S_INTERSECTS(geometry, BBOX(100, 25, 101, 26))')).toMatchObject({ right: { value: { type: 'Polygon' } } })
    expect(parseCql2Text("T_INTERSECTS(validFrom, INTERVAL('2020-01-01', '..'))")).toMatchObject({ kind: 't_intersects', right: { kind: 'interval', start: { kind: 'date' }, end: 'open' } })
    expect(parseCql2Text("validFrom > TIMESTAMP('2026-01-01T00:00:00Z')")).toMatchObject({ right: { kind: 'timestamp' } })
  })

  it.each([
    ['', 1, 'a filter expression'],
    ['name = ', 8, 'a property name or a literal'],
    ["name = 'a' households", 12, 'AND, OR or the end'],
    ['name == 1', 7, 'a property name or a literal'],
    ["name = 'a' ; DROP TABLE areas", 12, 'an operator or a parenthesis'],
    ["(name = 'a'", 12, '")"'],
    ['upper(name) = 1', 1, 'functions are not supported'],
    ['households BETWEEN 1 9', 22, 'AND'],
    ["name = 'open", 8, "a closing '"],
  ])('refuses %j at character %i, saying what was expected', (text, position, expected) => {
    const error = errorOf(() => parseCql2Text(text))
    expect(error.code).toBe('cql2_syntax')
    expect(error.params.position).toBe(position)
    expect(String(error.params.expected)).toContain(expected)
  })

  it('refuses invalid dates, open polygon rings and coordinates outside CRS84', () => {
    expect(errorOf(() => parseCql2Text("validFrom > DATE('2026-02-30')")).code).toBe('cql2_bad_literal')
    expect(errorOf(() => parseCql2Text("validFrom > TIMESTAMP('2026-01-01')")).code).toBe('cql2_bad_literal')
    expect(errorOf(() => parseCql2Text('S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 1)))')).code).toBe('cql2_bad_geometry')
    expect(errorOf(() => parseCql2Text('S_INTERSECTS(geometry, POINT(25.8 200))')).code).toBe('cql2_bad_geometry')
    expect(errorOf(() => parseCql2Text('S_INTERSECTS(geometry, LINESTRING(1 2))')).code).toBe('cql2_bad_geometry')
  })

  it('refuses filters nested or sized beyond the limits', () => {
    expect(errorOf(() => parseCql2Text(`${'('.repeat(200)}name = 'a'${')'.repeat(200)}`)).code).toBe('cql2_too_complex')
    expect(errorOf(() => parseCql2Text(`${'NOT '.repeat(200)}synthetic`)).code).toBe('cql2_too_complex')
    expect(errorOf(() => parseCql2Text(Array.from({ length: 1200 }, (_, i) => `households = ${i}`).join(' OR '))).code).toBe('cql2_too_complex')
  })
})

describe('cql2-json parser', () => {
  it('parses the same tree as the text encoding', () => {
    const json = parseCql2Json(JSON.stringify({
      op: 'and',
      args: [
        { op: '=', args: [{ property: 'name' }, 'a'] },
        { op: 'in', args: [{ property: 'households' }, [1, 2]] },
        { op: 's_intersects', args: [{ property: 'geometry' }, { type: 'Point', coordinates: [100.1, 25.8] }] },
        { op: 't_intersects', args: [{ property: 'validFrom' }, { interval: ['2020-01-01', '..'] }] },
        { op: 'isNull', args: [{ property: 'name' }] },
      ],
    }))
    const text = parseCql2Text("name = 'a' AND households IN (1, 2) AND S_INTERSECTS(geometry, POINT(100.1 25.8)) AND T_INTERSECTS(validFrom, INTERVAL('2020-01-01', '..')) AND name IS NULL")
    const strip = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, v) => (key === 'at' ? undefined : v)))
    expect(strip(json)).toEqual(strip(text))
  })

  it.each([
    ['{"op":"=","args":[{"property":"name"}]}', '$.args', '2 arguments'],
    ['{"op":"frobnicate","args":[]}', '$.op', 'one of and, or'],
    ['{"op":"=","args":[{"property":"name"},{"sql":"1=1"}]}', '$.args[1]', 'a string, number'],
    ['[1]', '$', 'an object'],
    ['{"op":"and"', '$', 'valid JSON'],
  ])('refuses %s at %s', (text, position, expected) => {
    const error = errorOf(() => parseCql2Json(text))
    expect(error.code).toBe('cql2_json_syntax')
    expect(error.params.position).toBe(position)
    expect(String(error.params.expected)).toContain(expected)
  })
})

describe('compiler', () => {
  it('binds every literal as a parameter and maps names through the queryables', () => {
    const { sql: text, parameters } = compiled("name = 'x'' OR 1=1 --' AND households > 3 AND validFrom >= '2026-01-01T00:00:00Z'")
    expect(text).toBe('(((t.name)::text = $1::text) AND (t.households > $2::numeric) AND (t.valid_from >= $3::timestamptz))')
    expect(parameters).toEqual(["x' OR 1=1 --", 3, '2026-01-01T00:00:00Z'])
  })

  it('emits PostGIS and interval checks with bound values', () => {
    const spatial = compiled('S_INTERSECTS(geometry, POINT(100.1 25.8))')
    expect(spatial.sql).toBe('ST_Intersects(t.geom, ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326)))')
    expect(JSON.parse(spatial.parameters[0] as string)).toEqual({ type: 'Point', coordinates: [100.1, 25.8] })
    const temporal = compiled("T_INTERSECTS(validFrom, INTERVAL('2026-01-01', '..'))")
    expect(temporal.sql).toBe('($1::timestamptz <= t.valid_from AND t.valid_from IS NOT NULL)')
    expect(temporal.parameters).toEqual(['2026-01-01T00:00:00.000Z'])
  })

  it('answers "unknown queryable" with the position for names not on the list', () => {
    const error = errorOf(() => compiled("idNumber LIKE '5329%'"))
    expect(error).toMatchObject({ code: 'cql2_unknown_queryable', params: { position: 1, name: 'idNumber' } })
    expect(error.params.available).toBe('name, households, synthetic, validFrom, geometry')
  })

  it.each([
    ["households = 'three'", 14],
    ['name > 3', 8],
    ["S_INTERSECTS(name, POINT(1 2))", 14],
    ['households', 1],
    ["name LIKE 3", 11],
    ["T_INTERSECTS(name, DATE('2026-01-01'))", 14],
  ])('refuses the type mismatch in %j at %i', (text, position) => {
    const error = errorOf(() => compiled(text))
    expect(error.code).toBe('cql2_type_mismatch')
    expect(error.params.position).toBe(position)
  })
})
