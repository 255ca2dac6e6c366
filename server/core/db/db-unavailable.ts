/**
 * Node socket error codes meaning the database server cannot be reached or
 * dropped the connection.
 */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])

/**
 * SQLSTATEs of a server that is going away or not back yet: class 08
 * (connection exception), 57P01 admin shutdown, 57P02 crash shutdown,
 * 57P03 cannot connect now ("the database system is starting up").
 */
const SQLSTATE_PREFIXES = ['08', '57P01', '57P02', '57P03']

/** Messages `pg` uses for a connection lost or never made (these errors carry no code). */
const PG_CLIENT_MESSAGES = [
  'Connection terminated',
  // A new connection not made within its connect timeout (pg's client, see pg-pool.ts).
  'timeout expired',
  'Client has encountered a connection error and is not queryable',
  'timeout exceeded when trying to connect',
  'Client was closed and is not queryable',
]

/**
 * Whether `error` means the database is unreachable for now (down,
 * restarting, connection lost) rather than a fault in the request or the
 * code: the request may be retried, and the API answers 503.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || SQLSTATE_PREFIXES.some((prefix) => code.startsWith(prefix)))) return true
  if (PG_CLIENT_MESSAGES.some((text) => error.message.startsWith(text))) return true
  // Node wraps several refused addresses (IPv4 and IPv6) in one AggregateError.
  if (error instanceof AggregateError) return error.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))
  return isDatabaseUnavailable(error.cause, depth + 1)
}
