import { sql } from 'kysely'
import type { Db } from '../../core/db/database.ts'

/** How rows sent as JSON become rows of a table. */
export interface JsonInsertSpec {
  table: string
  /** Inserted columns and their SQL types, copied from the JSON fields of the same names. */
  columns: Readonly<Record<string, string>>
  /** JSON fields only read by `computed`, with their types. */
  inputs?: Readonly<Record<string, string>>
  /** Columns computed from the fields (`r.<field>`), e.g. a point from lon/lat. */
  computed?: Readonly<Record<string, string>>
  /** Whether rows carry their own `id` (reserved with {@link reserveIds}). */
  ownIds?: boolean
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/

function checkIdentifiers(names: string[]): void {
  for (const name of names) if (!IDENTIFIER.test(name)) throw new Error(`Not a plain identifier: ${name}`)
}

/** The row without its null fields (json_to_recordset reads a missing field as NULL; the text is much shorter), numbered. */
function withoutNulls(row: Record<string, unknown>, ord: number): Record<string, unknown> {
  const kept: Record<string, unknown> = { ord }
  for (const key in row) if (row[key] !== null && row[key] !== undefined) kept[key] = row[key]
  return kept
}

/**
 * Inserts `rows` in chunks, each as one `INSERT … SELECT … FROM
 * json_to_recordset(…)` statement, in array order (identity values follow
 * it). Table and column names come from code, never from input.
 */
export async function insertJsonRows(db: Db, spec: JsonInsertSpec, rows: ReadonlyArray<Record<string, unknown>>, chunkSize = 5000): Promise<void> {
  const columns = Object.keys(spec.columns)
  const computed = Object.keys(spec.computed ?? {})
  const fields = { ...spec.columns, ...spec.inputs, ord: 'integer' }
  checkIdentifiers([spec.table, ...columns, ...computed, ...Object.keys(fields)])
  const target = [...columns, ...computed].join(', ')
  const select = [...columns.map((name) => `r.${name}`), ...computed.map((name) => spec.computed![name])].join(', ')
  const definition = Object.entries(fields).map(([name, type]) => `${name} ${type}`).join(', ')
  const overriding = spec.ownIds ? 'OVERRIDING SYSTEM VALUE' : ''
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize).map((row, ord) => withoutNulls(row, ord))
    await sql`INSERT INTO ${sql.raw(spec.table)} (${sql.raw(target)}) ${sql.raw(overriding)}
      SELECT ${sql.raw(select)} FROM json_to_recordset(${JSON.stringify(chunk)}::json) AS r(${sql.raw(definition)})
      ORDER BY r.ord`.execute(db)
  }
}

/** Takes `count` values from the identity sequence of `table.id`, ascending, for rows inserted with their own ids. */
export async function reserveIds(db: Db, table: string, count: number): Promise<number[]> {
  checkIdentifiers([table])
  if (count === 0) return []
  const { rows } = await sql<{ id: number }>`
    SELECT nextval(pg_get_serial_sequence(${table}, 'id')) AS id FROM generate_series(1, ${count}::integer)`.execute(db)
  return rows.map((row) => Number(row.id)).sort((a, b) => a - b)
}
