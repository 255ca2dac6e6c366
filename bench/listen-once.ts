import type { FastifyInstance } from 'fastify'

/** The base URL of `app`, listening on a free local port (reusing the port when another benchmark already listens). */
export async function listenOnce(app: FastifyInstance): Promise<string> {
  const address = app.server.address()
  if (app.server.listening && address && typeof address === 'object') return `http://127.0.0.1:${address.port}`
  return app.listen({ port: 0, host: '127.0.0.1' })
}
