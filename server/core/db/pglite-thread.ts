import type { Worker } from 'node:worker_threads'
import { spawnPglite, takePrespawnedPglite, type SpawnedPglite } from './pglite-spawn.js'

/** Rows and the count of rows a statement changed, as PGlite reports them. */
export interface PGliteResult {
  rows: unknown[]
  affectedRows?: number
}

/** Options for {@link PGliteThread.start}. */
export interface PGliteThreadOptions {
  /** Folder for PGlite's data; omitted means in memory. */
  dataDir?: string
  /** A PGlite data dump (from `dumpDataDir`) to start from. */
  loadDataDir?: Blob
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void }
type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: Record<string, unknown> }

/** An error thrown in the database thread, rebuilt with its fields (`code`, `constraint`…). */
function rebuildError(fields: Record<string, unknown>): Error {
  // The caller's stack is the useful one; the thread's would show only PGlite internals.
  const { stack: _threadStack, ...rest } = fields
  const error = new Error(String(fields.message ?? 'embedded database error'))
  Object.assign(error, rest)
  return error
}

/**
 * The embedded PGlite + PostGIS, running in its own worker thread
 * (`pglite-worker.js` says why) and reached by messages.
 *
 * The thread keeps the process alive only while a request is pending, as an
 * in-process PGlite did: a script that forgets `close()` still exits.
 */
export class PGliteThread {
  readonly #worker: Worker
  readonly #pending = new Map<number, Pending>()
  /** Requests made while the thread was still opening, sent once it is open. */
  readonly #queued = new Map<number, { op: string; [key: string]: unknown }>()
  #nextId = 1
  #stopped: Error | undefined

  /** Settles once PGlite (and PostGIS) is open in the thread; rejects if opening failed. */
  readonly ready: Promise<void>
  #open = false

  private constructor({ worker, opened }: SpawnedPglite) {
    this.#worker = worker
    this.ready = opened.then((message) => {
      if (message.ready) return this.#listen()
      void worker.terminate()
      throw rebuildError(message.error ?? {})
    })
    // A caller that never awaits `ready` still learns of a failed open through its first query.
    this.ready.catch((error: Error) => this.#stop(error))
  }

  /**
   * Starts the thread and returns at once, while PGlite opens in it (about 2 s of
   * the thread's CPU with PostGIS): `npm start` builds the app on the main thread
   * meanwhile. Statements sent before the open finishes wait for it. A thread the
   * start script already started on `dataDir` (pglite-spawn.js) is adopted.
   */
  static spawn(options: { dataDir?: string; loadDataDir?: ArrayBuffer }): PGliteThread {
    const prespawned = options.dataDir && !options.loadDataDir ? takePrespawnedPglite(options.dataDir) : undefined
    return new PGliteThread(prespawned ?? spawnPglite(options))
  }

  /** Starts the thread and resolves once PGlite (and PostGIS) is open in it. */
  static async start(options: PGliteThreadOptions): Promise<PGliteThread> {
    const loadDataDir = options.loadDataDir ? await options.loadDataDir.arrayBuffer() : undefined
    const thread = PGliteThread.spawn({ dataDir: options.dataDir, loadDataDir })
    await thread.ready
    return thread
  }

  #listen(): void {
    this.#open = true
    this.#worker.on('message', (reply: Reply) => this.#settle(reply))
    this.#worker.on('error', (error: Error) => this.#stop(new Error(`The embedded database stopped: ${error.message}`)))
    this.#worker.on('exit', (code) => this.#stop(new Error(`The embedded database stopped (thread exit code ${code}).`)))
    // Idle, the thread does not keep the process alive (see the class comment).
    if (this.#pending.size === 0) this.#worker.unref()
    for (const [id, request] of this.#queued) this.#worker.postMessage({ ...request, id })
    this.#queued.clear()
  }

  /** Runs one parameterised statement. */
  query(text: string, values: readonly unknown[] = []): Promise<PGliteResult> {
    return this.#call({ op: 'query', text, values }) as Promise<PGliteResult>
  }

  /** Runs a multi-statement script (no parameters). */
  async exec(text: string): Promise<void> {
    await this.#call({ op: 'exec', text })
  }

  /** The whole database as an uncompressed tarball, for `loadDataDir`. */
  async dumpDataDir(): Promise<Blob> {
    const bytes = (await this.#call({ op: 'dump' })) as ArrayBuffer
    return new Blob([bytes])
  }

  /** Closes PGlite (flushing its data folder) and ends the thread. */
  async close(): Promise<void> {
    if (this.#stopped) return
    await this.#call({ op: 'close' })
    this.#stopped = new Error('The embedded database is closed.')
    await this.#worker.terminate()
  }

  #call(request: { op: string; [key: string]: unknown }): Promise<unknown> {
    if (this.#stopped) return Promise.reject(this.#stopped)
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref()
      this.#pending.set(id, { resolve, reject })
      if (this.#open) this.#worker.postMessage({ ...request, id })
      else this.#queued.set(id, request)
    })
  }

  #settle(reply: Reply): void {
    const pending = this.#pending.get(reply.id)
    if (!pending) return
    this.#pending.delete(reply.id)
    if (this.#pending.size === 0) this.#worker.unref()
    if (reply.ok) pending.resolve(reply.result)
    else pending.reject(rebuildError(reply.error))
  }

  #stop(error: Error): void {
    this.#stopped ??= error
    this.#queued.clear()
    for (const pending of this.#pending.values()) pending.reject(error)
    this.#pending.clear()
  }
}
