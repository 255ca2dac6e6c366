import { sql, type Expression, type RawBuilder } from 'kysely'

/**
 * A timestamp as text exactly as JavaScript's `Date#toISOString` writes it
 * (`2026-12-06T02:19:31.123Z`), for answers the database writes as JSON
 * beside answers Node writes from parsed rows. Both cut microseconds to
 * milliseconds: `pg` parses `.123456` into a Date of 123 ms, `MS` truncates.
 * NULL stays NULL.
 *
 * Emits: `to_char(<ts> AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
 */
export function isoTimestampSql(timestamp: Expression<Date | null>): RawBuilder<string | null> {
  return sql<string | null>`to_char(${timestamp} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
}
