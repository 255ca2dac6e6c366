import { createQueryId, PostgresQueryCompiler, sql, type RawBuilder } from 'kysely'

const compiler = new PostgresQueryCompiler()

/**
 * A parameter-free SQL fragment compiled to text once: the same SQL as
 * `fragment`, embedded in a query as one raw node instead of a tree of a
 * hundred that every request would build and compile again. For large static
 * fragments on hot routes (a case's properties as JSON: fifty columns, their
 * formats, areas and parties).
 *
 * Throws when the fragment holds parameters: a value bound per request
 * cannot be frozen into text.
 *
 * Emits: the SQL of `fragment`, verbatim.
 */
export function compiledOnce<T>(fragment: RawBuilder<T>): RawBuilder<T> {
  const compiled = compiler.compileQuery(fragment.toOperationNode(), createQueryId())
  if (compiled.parameters.length > 0) throw new Error(`compiledOnce: the fragment binds ${compiled.parameters.length} parameter(s): ${compiled.sql.slice(0, 120)}`)
  return sql.raw<T>(compiled.sql)
}
