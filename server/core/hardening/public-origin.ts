import { networkInterfaces } from 'node:os'
import type { FastifyRequest } from 'fastify'

/**
 * Where the app is reached from, as configured: `PUBLIC_URL` (e.g.
 * `https://grid.example.gov.cn`) and whether `X-Forwarded-*` from a reverse
 * proxy are trusted (`TRUST_PROXY=1`).
 */
export interface PublicOriginSettings {
  publicUrl?: URL
  trustProxy: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    /** How the app's own origin and absolute links are found (see {@link PublicOriginSettings}). */
    publicOrigin: PublicOriginSettings
  }
}

/** Parses `PUBLIC_URL`: an absolute http(s) URL; its path, if any, prefixes absolute links. */
export function parsePublicUrl(text: string | undefined): URL | undefined {
  if (!text) return undefined
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new Error(`PUBLIC_URL must be an absolute URL such as https://grid.example.gov.cn, got "${text}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`PUBLIC_URL must start with http:// or https://, got "${text}"`)
  return url
}

/** `scheme://host[:port]` with default ports dropped, or undefined when `host` is not a valid authority. */
function originOf(protocol: string, host: string | undefined): string | undefined {
  if (!host) return undefined
  try {
    const url = new URL(`${protocol}://${host}`)
    return url.host === host.toLowerCase() || url.host === host.toLowerCase().replace(/:(80|443)$/, '') ? url.origin : undefined
  } catch {
    return undefined
  }
}

/**
 * How a browser request is checked to come from the app itself:
 * - `PUBLIC_URL` set: the `Origin` must equal its origin (scheme, host and port).
 * - `TRUST_PROXY=1`: the origin the proxy reports (`X-Forwarded-Proto` and `-Host`).
 * - neither: the host and port the browser addressed (the `Host` header), any scheme,
 *   because a TLS-terminating proxy may stand in front without telling us.
 * Trusting `Host` is sound here: a browser always sends the host it connects to,
 * and a page of another origin cannot make it send ours with their `Origin`
 * (DNS rebinding puts the attacker on their own host name, where our session
 * cookie is not sent).
 */
export function isOwnOrigin(request: FastifyRequest, origin: string): boolean {
  const settings = request.server.publicOrigin
  let claimed: URL
  try {
    claimed = new URL(origin)
  } catch {
    return false
  }
  if (settings.publicUrl) return claimed.origin === settings.publicUrl.origin
  if (settings.trustProxy) return claimed.origin === originOf(request.protocol, request.host)
  const addressed = originOf(claimed.protocol.replace(':', ''), request.headers.host)
  return addressed !== undefined && addressed === claimed.origin
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * How long the machine's addresses are reused: `networkInterfaces()` is a
 * system call plus an object per address, and every link of a page asked for
 * it (a few milliseconds a request on a busy machine, measured on the items
 * pages of issue 11); an address that appears or goes is seen within this.
 */
const LOCAL_NAMES_TTL_MS = 5_000
let localNames: { names: Set<string>; until: number } | undefined

/** Host names that are this machine: loopback and the addresses of its network interfaces. */
function localHostNames(): Set<string> {
  const now = Date.now()
  if (localNames && localNames.until > now) return localNames.names
  const names = new Set(LOOPBACK_NAMES)
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) names.add(address.family === 'IPv6' ? `[${address.address}]` : address.address)
  }
  localNames = { names, until: now + LOCAL_NAMES_TTL_MS }
  return names
}

/**
 * Absolute base URL of the service for links (OGC `links`, `Location`), without
 * a trailing slash. From `PUBLIC_URL` when set, or from the proxy's
 * `X-Forwarded-*` when trusted; otherwise from the `Host` header only when it
 * names this machine by loopback or one of its IP addresses (a direct
 * connection, as in a default install), and else from the address the server
 * listens on. So a request with `Host: evil.example` never yields links to
 * evil.example; a deployment reached by a DNS name sets `PUBLIC_URL`.
 */
export function linkBaseUrl(request: FastifyRequest): string {
  const settings = request.server.publicOrigin
  if (settings.publicUrl) return settings.publicUrl.href.replace(/\/+$/, '')
  if (settings.trustProxy) return originOf(request.protocol, request.host) ?? listenOrigin(request)
  const direct = originOf(request.protocol, request.headers.host)
  if (direct && localHostNames().has(new URL(direct).hostname) && portMatches(request, new URL(direct))) return direct
  return listenOrigin(request)
}

function listenAddress(request: FastifyRequest): { address: string; port: number } | undefined {
  const address = request.server.server.address()
  return typeof address === 'object' && address ? { address: address.address, port: address.port } : undefined
}

function portMatches(request: FastifyRequest, url: URL): boolean {
  const listening = listenAddress(request)
  if (!listening) return true
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80)) === listening.port
}

/** `http://<listen address>:<port>`, with loopback standing in for a wildcard address. */
function listenOrigin(request: FastifyRequest): string {
  const listening = listenAddress(request)
  if (!listening) return 'http://localhost'
  const { address, port } = listening
  const host = address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address.includes(':') ? `[${address}]` : address
  return `http://${host}:${port}`
}
