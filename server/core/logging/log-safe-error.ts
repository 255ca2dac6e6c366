/**
 * Error fields that may go to the log. Everything else an error object carries
 * is left out on purpose: PGlite attaches the bound `params` (and the query),
 * PostgreSQL's `detail` and `where` quote row values ("Key (id_number)=(…)
 * already exists"), and Kysely's `NoResultError` holds the query tree with
 * its values. Those may be ID numbers or phone numbers, which must not reach
 * the log (security note: no personal data in logs).
 */
const SAFE_FIELDS = ['code', 'severity', 'routine', 'schema', 'table', 'column', 'constraint', 'dataType', 'syscall', 'errno', 'statusCode'] as const

/** SQLSTATE classes whose message text may quote the offending value (22: data exception). */
const VALUE_QUOTING_CLASSES = ['22']

/** How deep `cause` chains are followed. */
const MAX_CAUSE_DEPTH = 3

/** A log-safe view of an error: type, message, code and location, never the query's values. */
export interface LogSafeError {
  type: string
  message: string
  stack: string
  cause?: LogSafeError
  [field: string]: unknown
}

/**
 * Serialises an error for the log without bound parameters or row values.
 * Used as the logger's `err` serializer, so every `log.error({ err })` goes through it.
 */
export function serializeLogError(error: unknown, depth = 0): LogSafeError {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error).slice(0, 200), stack: '' }
  const record = error as unknown as Record<string, unknown>
  const code = typeof record.code === 'string' ? record.code : undefined
  const message = redactMessage(error.message, code)
  const stack = (error.stack ?? '').replace(error.message, message)
  const safe: LogSafeError = { type: error.constructor?.name ?? error.name, message, stack }
  for (const field of SAFE_FIELDS) {
    const value = record[field]
    if (typeof value === 'string' || typeof value === 'number') safe[field] = value
  }
  if (error.cause !== undefined && depth < MAX_CAUSE_DEPTH) safe.cause = serializeLogError(error.cause, depth + 1)
  return safe
}

/** Replaces quoted values in messages of SQLSTATE classes that quote input (e.g. `invalid input syntax for type integer: "…"`). */
function redactMessage(text: string, code: string | undefined): string {
  if (!code || !VALUE_QUOTING_CLASSES.includes(code.slice(0, 2))) return text
  return text.replace(/"[^"]*"/g, '"[redacted]"')
}
