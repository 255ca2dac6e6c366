import pg from 'pg'

/** First wait before reconnecting a lost LISTEN connection; doubled after each failed attempt. */
const FIRST_RETRY_MS = 200
/** Longest wait between reconnection attempts. */
const MAX_RETRY_MS = 2000

/** Options of {@link PgListenConnection}. */
export interface PgListenOptions {
  connectionString: string
  channel: string
  /** Receives each notification's payload. */
  onPayload(payload: string): void
  /** Told about a lost connection and each failed reconnection attempt. */
  onProblem(message: string, error: unknown): void
  /** Told when the channel is listened to again after a loss. */
  onRestored?(): void
}

/**
 * A dedicated PostgreSQL connection that LISTENs on one channel and keeps
 * doing so: when the server goes away (restart, crash, network) it
 * reconnects with backoff and LISTENs again. Notifications sent while it was
 * disconnected are lost (NOTIFY does not queue for absent listeners); open
 * maps catch up on their next reload.
 */
export class PgListenConnection {
  readonly #options: PgListenOptions
  #client: pg.Client | undefined
  #retryMs = FIRST_RETRY_MS
  #timer: NodeJS.Timeout | undefined
  #stopped = false
  #lost = false

  constructor(options: PgListenOptions) {
    this.#options = options
  }

  /** Connects and LISTENs; throws when the first connection fails (the server should not start half-wired). */
  async start(): Promise<void> {
    await this.#connect()
  }

  /** Whether the channel is listened to right now. */
  get listening(): boolean {
    return this.#client !== undefined && !this.#lost
  }

  /** Stops listening and reconnecting. */
  async stop(): Promise<void> {
    this.#stopped = true
    if (this.#timer) clearTimeout(this.#timer)
    const client = this.#client
    this.#client = undefined
    await client?.end().catch(() => {})
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#options.connectionString, keepAlive: true })
    // Without a listener a lost connection's 'error' event would end the process.
    client.on('error', (error) => this.#onLost(client, error))
    client.on('end', () => this.#onLost(client, new Error('LISTEN connection ended')))
    client.on('notification', (notification) => {
      if (notification.channel === this.#options.channel && notification.payload) this.#options.onPayload(notification.payload)
    })
    try {
      await client.connect()
      await client.query(`LISTEN ${this.#options.channel}`)
    } catch (error) {
      client.removeAllListeners('end')
      await client.end().catch(() => {})
      throw error
    }
    if (this.#stopped) {
      await client.end().catch(() => {})
      return
    }
    this.#client = client
    this.#retryMs = FIRST_RETRY_MS
    if (this.#lost) {
      this.#lost = false
      this.#options.onRestored?.()
    }
  }

  #onLost(client: pg.Client, error: unknown): void {
    if (this.#stopped || client !== this.#client) return
    this.#client = undefined
    this.#lost = true
    client.removeAllListeners('end')
    client.end().catch(() => {})
    this.#options.onProblem('live LISTEN connection lost; reconnecting', error)
    this.#schedule()
  }

  #schedule(): void {
    if (this.#stopped || this.#timer) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.#connect().catch((error: unknown) => {
        this.#options.onProblem('live LISTEN reconnection failed; retrying', error)
        this.#retryMs = Math.min(this.#retryMs * 2, MAX_RETRY_MS)
        this.#schedule()
      })
    }, this.#retryMs)
    // A pending reconnection must not keep a closing process alive.
    this.#timer.unref()
  }
}
