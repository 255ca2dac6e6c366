import http from 'node:http'

/**
 * GETs over Node's own HTTP client on one kept-alive connection, returning
 * the status, the content type and the raw body. The API side of the items,
 * filter and analytics benchmarks uses it rather than `fetch` because their SQL side runs on a lean
 * driver (pg) over a pooled connection: the client's own cost of receiving the
 * answer belongs to neither the API nor the database, and undici's fetch
 * (WHATWG streams) spent about 3 ms more than node:http receiving the same
 * 240 KiB from a bare server (9.4 vs 6.2 ms p50, load average 12).
 */
export function keptAliveGet(): { get: (url: string, headers?: Record<string, string>) => Promise<{ status: number; contentType: string | null; body: Buffer }>; close: () => void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const get = (url: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; contentType: string | null; body: Buffer }>((resolve, reject) => {
      http
        .get(url, { agent, headers }, (response) => {
          const chunks: Buffer[] = []
          response.on('data', (chunk: Buffer) => chunks.push(chunk))
          response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'] ?? null, body: Buffer.concat(chunks) }))
          response.on('error', reject)
        })
        .on('error', reject)
    })
  return { get, close: () => agent.destroy() }
}
