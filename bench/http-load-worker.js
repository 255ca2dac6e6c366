// @ts-check
/**
 * The thread of the load benchmark's HTTP client (`http-load.ts`): Node's own
 * HTTP client (llhttp) on `connections` kept-alive connections, each a loop
 * that sends the requests of the mix in order, one at a time, until
 * `seconds` have passed; answers are read to their last byte and dropped.
 * Posts back the latency of each request completed in time (a transferred
 * Float64Array), the failed ones (timeouts included) and the non-2xx answers.
 *
 * JavaScript so that the thread starts without a TypeScript loader.
 */
import http from 'node:http'
import { parentPort, workerData } from 'node:worker_threads'

if (!parentPort) throw new Error('http-load-worker.js runs as a worker thread')
const port = parentPort

/** @type {{ base: string, connections: number, seconds: number, timeoutSeconds: number, requests: Array<{ method: string, path: string, body?: string, headers: Record<string, string> }> }} */
const options = workerData
const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections })
const base = new URL(options.base)
const requests = options.requests.map((request) => ({
  ...request,
  body: request.body === undefined ? undefined : Buffer.from(request.body),
}))

/** @type {number[]} */
const latencies = []
let errors = 0
let timeouts = 0
let non2xx = 0
const started = performance.now()
const deadline = started + options.seconds * 1000

/**
 * Sends one request and resolves when its answer has been read (or it failed).
 * @param {(typeof requests)[number]} request
 * @returns {Promise<void>}
 */
function send(request) {
  return new Promise((resolve) => {
    const sentAt = performance.now()
    const headers = request.body === undefined ? request.headers : { ...request.headers, 'content-length': String(request.body.length) }
    const outgoing = http.request(
      { host: base.hostname, port: base.port, path: request.path, method: request.method, headers, agent, timeout: options.timeoutSeconds * 1000 },
      (response) => {
        response.on('data', () => {})
        response.on('end', () => {
          const doneAt = performance.now()
          if (doneAt <= deadline) {
            latencies.push(doneAt - sentAt)
            if ((response.statusCode ?? 0) < 200 || (response.statusCode ?? 0) >= 300) non2xx += 1
          }
          resolve()
        })
        response.on('error', () => {
          errors += 1
          resolve()
        })
      },
    )
    outgoing.on('timeout', () => {
      timeouts += 1
      outgoing.destroy(new Error('timeout'))
    })
    outgoing.on('error', () => {
      errors += 1
      resolve()
    })
    outgoing.end(request.body)
  })
}

/** One connection's loop through the mix. */
async function loop() {
  for (let i = 0; performance.now() < deadline; i += 1) await send(requests[i % requests.length])
}

await Promise.all(Array.from({ length: options.connections }, loop))
agent.destroy()
const latenciesMs = Float64Array.from(latencies)
port.postMessage({ latenciesMs, errors, timeouts, non2xx }, [latenciesMs.buffer])
