import { Worker } from 'node:worker_threads'
import { percentile } from './stats.ts'

/** One request of a load mix. */
export interface LoadRequest {
  method: 'GET' | 'POST'
  path: string
  body?: string
  headers: Record<string, string>
}

/** What {@link driveLoad} measured. */
export interface LoadResult {
  /** Requests answered within the time (non-2xx included). */
  requests: number
  seconds: number
  p50: number
  p99: number
  /** Latency of every request answered in time, ascending. */
  latenciesMs: Float64Array
  /** Failed requests (connection errors, resets), timeouts included. */
  errors: number
  timeouts: number
  non2xx: number
}

const WORKER_URL = new URL('./http-load-worker.js', import.meta.url)

/**
 * Drives `connections` kept-alive connections against `base` for `seconds`,
 * each sending the `requests` in order, one at a time (a closed loop, as
 * autocannon does), from a worker thread running Node's own HTTP client.
 *
 * Not autocannon, which the load bench used before: it parses answers with
 * http-parser-js, in JavaScript, and on this 2-core machine the load
 * generator shares the cores with the server and the database. Reading the
 * same 5,000 fine-grid pages of 97 KiB from a server, autocannon spent
 * 0.86 ms of CPU a request and node:http 0.46 ms; the server answered them
 * in 20.1 and 17.5 s.
 */
export function driveLoad(options: { base: string; connections: number; seconds: number; timeoutSeconds: number; requests: LoadRequest[] }): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: options, execArgv: [] })
    worker.once('message', (message: { latenciesMs: Float64Array; errors: number; timeouts: number; non2xx: number }) => {
      const sorted = message.latenciesMs.sort()
      const { errors, timeouts, non2xx } = message
      resolve({ requests: sorted.length, seconds: options.seconds, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), latenciesMs: sorted, errors, timeouts, non2xx })
      void worker.terminate()
    })
    worker.once('error', reject)
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the load client's thread exited with code ${code}`))
    })
  })
}
