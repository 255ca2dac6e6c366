import pg from 'pg'

/**
 * How long a statement may wait for a free connection of a busy pool before
 * its request fails (503): long enough for the queue of a loaded server (100
 * connections on a pool of 10 answered in up to ~7 s (p99) in the load
 * benchmark at 104,494 cases), shorter than the request timeout.
 */
export const POOL_CHECKOUT_WAIT_MS = 30_000

/**
 * The options of a `pg.Pool` whose new connections give up after
 * `connectTimeoutMs` (an unreachable server fails fast) while a caller
 * waiting for a busy pool's connection waits up to
 * {@link POOL_CHECKOUT_WAIT_MS}.
 *
 * pg-pool applies its one `connectionTimeoutMillis` to both. Set to the
 * connect timeout (5 s), it refused requests that had merely queued that long
 * behind others, with "timeout exceeded when trying to connect", which the
 * API answers as "database unavailable": 68 of 4,396 requests of the load
 * benchmark at 104,494 cases. On a read replica's pool (1 s) such a wait
 * marks the replica down, so under load every read went to the primary. So the
 * connect timeout goes to each new client (pg's own `connectionTimeoutMillis`,
 * which pg-pool passes it) and the pool's setting bounds the wait.
 */
export function poolConfig(config: Omit<pg.PoolConfig, 'connectionTimeoutMillis' | 'Client'> & { connectTimeoutMs: number }): pg.PoolConfig {
  const { connectTimeoutMs, ...rest } = config
  class ClientWithConnectTimeout extends pg.Client {
    constructor(clientConfig?: string | pg.ClientConfig) {
      super({ ...(typeof clientConfig === 'string' ? { connectionString: clientConfig } : clientConfig), connectionTimeoutMillis: connectTimeoutMs })
    }
  }
  return { ...rest, Client: ClientWithConnectTimeout as never, connectionTimeoutMillis: POOL_CHECKOUT_WAIT_MS }
}
