// @ts-check
/**
 * The thread of the benchmarks' HTTP client (`http-get.ts`): Node's own
 * HTTP client on kept-alive connections (`workerData.maxSockets` of them),
 * answering each `{ id, url, headers }` with the status, content type, body
 * and the time from sending to the last byte. The body goes back as a
 * transferred ArrayBuffer, so the benchmark's thread wakes once per answer and
 * copies nothing.
 *
 * JavaScript so that the thread starts without a TypeScript loader.
 */
import http from 'node:http'
import { parentPort, workerData } from 'node:worker_threads'

if (!parentPort) throw new Error('http-get-worker.js runs as a worker thread')
const port = parentPort
const agent = new http.Agent({ keepAlive: true, maxSockets: workerData.maxSockets })

/**
 * The bytes of `body` as an ArrayBuffer of their own: its backing store when
 * it holds exactly them (a body over 4 KiB does), a copy otherwise.
 * @param {Buffer} body
 * @returns {ArrayBuffer}
 */
function ownBuffer(body) {
  const backing = /** @type {ArrayBuffer} */ (body.buffer)
  if (body.byteOffset === 0 && body.byteLength === backing.byteLength) return backing
  return backing.slice(body.byteOffset, body.byteOffset + body.byteLength)
}

port.on('message', (/** @type {{ id: number, url: string, headers: Record<string, string> }} */ { id, url, headers }) => {
  const started = performance.now()
  const fail = (/** @type {Error} */ error) => port.postMessage({ id, error: error.message })
  http
    .get(url, { agent, headers }, (response) => {
      /** @type {Buffer[]} */
      const chunks = []
      response.on('data', (chunk) => chunks.push(chunk))
      response.on('end', () => {
        const body = Buffer.concat(chunks)
        // Timed here: handing the body over belongs to the benchmark, not to the request.
        const selfTimedMs = performance.now() - started
        const buffer = ownBuffer(body)
        port.postMessage({ id, status: response.statusCode ?? 0, contentType: response.headers['content-type'] ?? null, body: buffer, selfTimedMs }, [buffer])
      })
      response.on('error', fail)
    })
    .on('error', fail)
})
