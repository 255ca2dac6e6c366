import { describe, expect, it } from 'vitest'
import { createQueryId, PostgresQueryCompiler, sql } from 'kysely'
import { compiledOnce } from '../../server/core/db/compiled-once.ts'
import { casePropertiesJson } from '../../server/features/cases/cases.repository.ts'

const compile = (fragment: Parameters<typeof compiledOnce>[0]) => new PostgresQueryCompiler().compileQuery(fragment.toOperationNode(), createQueryId())

describe('compiledOnce', () => {
  it('emits the very SQL of the fragment, references and nested fragments included', () => {
    const fragment = sql`(SELECT ${sql.ref('c.id')} AS "id", ${sql`upper(${sql.ref('c.kind')})`} AS kind FROM cases c)`
    expect(compile(compiledOnce(fragment)).sql).toBe(compile(fragment).sql)
    expect(compile(compiledOnce(fragment)).sql).toBe('(SELECT "c"."id" AS "id", upper("c"."kind") AS kind FROM cases c)')
  })

  it('keeps its place among the parameters of the query it is embedded in', () => {
    const frozen = compiledOnce(sql`lower(${sql.ref('c.name')})`)
    const query = compile(sql`SELECT ${frozen} FROM cases c WHERE c.id = ${7} AND c.kind = ${'hazard'}`)
    expect(query.sql).toBe('SELECT lower("c"."name") FROM cases c WHERE c.id = $1 AND c.kind = $2')
    expect(query.parameters).toEqual([7, 'hazard'])
  })

  it('refuses a fragment that binds a value, which text would freeze', () => {
    expect(() => compiledOnce(sql`c.id = ${7}`)).toThrow(/binds 1 parameter/)
  })

  it('holds the case properties of a page: no value bound, hazards without the parties lookup', () => {
    const all = compile(casePropertiesJson()).sql
    const hazards = compile(casePropertiesJson('hazard')).sql
    expect(all).toContain('FROM case_parties p WHERE p.case_id = c.id')
    expect(hazards).not.toContain('case_parties')
    expect(hazards).toContain(`'[]'::json AS "parties"`)
  })
})
