import net from 'node:net'

/** A TCP relay to a database that a test can take away and bring back. */
export interface TcpProxy {
  /** Port the relay listens on (stays the same across down/up). */
  port: number
  /** Drops every relayed connection at once and refuses new ones, as a crashed server does. */
  down(): Promise<void>
  /** Accepts connections again on the same port. */
  up(): Promise<void>
  close(): Promise<void>
}

/** Starts a relay on a free local port to `targetHost:targetPort`. */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>()
  let server: net.Server | undefined
  let port = 0
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = net.createServer((client) => {
        const upstream = net.connect(targetPort, targetHost)
        for (const socket of [client, upstream]) {
          sockets.add(socket)
          socket.on('close', () => sockets.delete(socket))
          socket.on('error', () => {})
        }
        client.pipe(upstream).pipe(client)
        client.on('close', () => upstream.destroy())
        upstream.on('close', () => client.destroy())
      })
      next.once('error', reject)
      next.listen(port, '127.0.0.1', () => {
        server = next
        port = (next.address() as net.AddressInfo).port
        resolve()
      })
    })
  const down = async () => {
    const closing = server
    server = undefined
    // close() waits for open connections, so cut them first.
    const closed = closing ? new Promise<void>((resolve) => closing.close(() => resolve())) : Promise.resolve()
    for (const socket of sockets) socket.destroy()
    await closed
  }
  await listen()
  return {
    get port() {
      return port
    },
    down,
    up: listen,
    close: down,
  }
}
