import { Worker } from 'node:worker_threads'
import type { SelfTimed } from './stats.ts'

/** What {@link keptAliveGet}'s `get` answers; its time runs from sending the request to the answer's last byte, timed on the client's thread. */
export interface GetAnswer extends SelfTimed {
  status: number
  contentType: string | null
  body: Buffer
}

/** A GET client whose requests run on a thread of their own. */
export interface GetClient {
  get: (url: string, headers?: Record<string, string>) => Promise<GetAnswer>
  close: () => Promise<void>
}

const WORKER_URL = new URL('./http-get-worker.js', import.meta.url)

/**
 * GETs over Node's own HTTP client on kept-alive connections (one unless
 * `maxSockets` says more), from a worker thread, returning the status, the
 * content type and the raw body.
 *
 * The API side of the items, filter and analytics benchmarks uses it rather
 * than `fetch` because their SQL side runs on a lean driver (pg) over a pooled
 * connection: the client's own cost of receiving the answer belongs to neither
 * the API nor the database, and undici's fetch (WHATWG streams) spent about
 * 3 ms more than node:http receiving the same 240 KiB from a bare server
 * (9.4 vs 6.2 ms p50, load average 12).
 *
 * It runs on its own thread for the same reason the load benchmark's client
 * does (http-load.ts): a browser or a GIS client is another process on
 * another machine, and a client on the server's event loop made every answer
 * wait for the client to read the one before it and to start the next
 * (~1 ms of the 15 ms of the risk scores, ~1.5 ms of an items page). The time
 * a caller measures still includes receiving and reading the whole answer.
 */
export function keptAliveGet(options: { maxSockets?: number } = {}): GetClient {
  const worker = new Worker(WORKER_URL, { workerData: { maxSockets: options.maxSockets ?? 1 }, execArgv: [] })
  const pending = new Map<number, { resolve: (answer: GetAnswer) => void; reject: (error: Error) => void }>()
  let nextId = 0
  worker.on('message', (message: { id: number; error?: string; status: number; contentType: string | null; body: ArrayBuffer; selfTimedMs: number }) => {
    const waiting = pending.get(message.id)
    if (!waiting) return
    pending.delete(message.id)
    if (message.error !== undefined) waiting.reject(new Error(message.error))
    else waiting.resolve({ status: message.status, contentType: message.contentType, body: Buffer.from(message.body), selfTimedMs: message.selfTimedMs })
  })
  worker.on('error', (error: Error) => {
    for (const waiting of pending.values()) waiting.reject(error)
    pending.clear()
  })
  const get = (url: string, headers: Record<string, string> = {}) =>
    new Promise<GetAnswer>((resolve, reject) => {
      const id = nextId++
      pending.set(id, { resolve, reject })
      worker.postMessage({ id, url, headers })
    })
  return {
    get,
    close: async () => {
      await worker.terminate()
    },
  }
}
