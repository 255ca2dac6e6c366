import http from 'node:http'

/** A running {@link startRoundRobinProxy}. */
export interface RoundRobinProxy {
  url: string
  /** How many requests went to each upstream, by its URL. */
  counts: Map<string, number>
  close(): Promise<void>
}

/** Errors meaning the request never reached the upstream, so sending it to the next one is safe. */
const NOT_DELIVERED = new Set(['ECONNREFUSED', 'ECONNRESET_BEFORE_SEND', 'EHOSTUNREACH'])

/**
 * A small round-robin HTTP proxy for `npm run cluster:local` and its test, NOT
 * for production (use nginx or a cloud load balancer there). Each request goes
 * to the next upstream; a request whose connection is refused (the process is
 * gone) is sent to the next one, which is safe because nothing was delivered.
 * A request lost after it was delivered answers 502, so the client knows it
 * was not acknowledged. Responses are streamed, so the live stream
 * (Server-Sent Events) passes through as it is written.
 */
export async function startRoundRobinProxy(upstreams: string[], port = 0): Promise<RoundRobinProxy> {
  if (upstreams.length === 0) throw new Error('round-robin proxy: no upstreams')
  const counts = new Map(upstreams.map((url) => [url, 0]))
  let next = 0
  const server = http.createServer(async (request, response) => {
    // Buffered so that a refused connection can be retried on the next upstream (test bodies are small).
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const first = next
    next = (next + 1) % upstreams.length
    for (let attempt = 0; attempt < upstreams.length; attempt++) {
      const upstream = upstreams[(first + attempt) % upstreams.length]
      const outcome = await forward(upstream, request, body, response)
      if (outcome === 'done') {
        counts.set(upstream, (counts.get(upstream) ?? 0) + 1)
        return
      }
      if (outcome === 'lost') break
    }
    if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' })
    response.end('bad gateway')
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const address = server.address()
  const listening = typeof address === 'object' && address ? address.port : port
  return {
    url: `http://127.0.0.1:${listening}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Sends one request upstream: 'done' (answered), 'refused' (not delivered: try the next) or 'lost' (delivered, then failed). */
function forward(upstream: string, request: http.IncomingMessage, body: Buffer, response: http.ServerResponse): Promise<'done' | 'refused' | 'lost'> {
  return new Promise((resolve) => {
    const target = new URL(request.url ?? '/', upstream)
    // The Host the client asked for is kept (like nginx's `proxy_set_header Host $host`): the servers' origin check compares it with Origin.
    const headers: http.OutgoingHttpHeaders = { ...request.headers }
    delete headers['transfer-encoding']
    if (body.length > 0 || ['POST', 'PUT', 'PATCH'].includes(request.method ?? 'GET')) headers['content-length'] = String(body.length)
    const outgoing = http.request(target, { method: request.method, headers, agent: false })
    let answered = false
    outgoing.on('response', (incoming) => {
      answered = true
      response.writeHead(incoming.statusCode ?? 502, incoming.headers)
      incoming.pipe(response)
      incoming.on('end', () => resolve('done'))
      incoming.on('error', () => {
        response.destroy()
        resolve('done')
      })
      // The client went away (a closed live stream): stop reading upstream too.
      response.on('close', () => incoming.destroy())
    })
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (answered) return
      resolve(NOT_DELIVERED.has(error.code ?? '') ? 'refused' : 'lost')
    })
    outgoing.end(body)
  })
}
