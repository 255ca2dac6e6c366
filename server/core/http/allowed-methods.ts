import FindMyWay, { type HTTPMethod } from 'find-my-way'

/** Methods answered with 405 + Allow when the path exists under another one. */
const METHODS: HTTPMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']

/**
 * The routes' paths by method, to tell "no such path" (404) from "no such
 * method on this path" (405 with `Allow`, RFC 9110 §15.5.6; OGC API –
 * Features Part 4 asks for it on items a collection cannot change).
 * Fastify's own router only answers for one method, so this keeps a second
 * router with the same options that knows every method of every path.
 * Catch-all routes (`/*`, the client's page fallback) are left out: they
 * would make every path look like it exists.
 */
export class AllowedMethods {
  readonly #router = FindMyWay({ ignoreTrailingSlash: true, defaultRoute: () => undefined })
  readonly #seen = new Set<string>()

  /** Records a route as Fastify registers it (`onRoute`). */
  add(method: string | string[], url: string): void {
    if (url.endsWith('*')) return
    for (const one of [method].flat()) {
      const upper = one.toUpperCase() as HTTPMethod
      if (!METHODS.includes(upper)) continue
      for (const each of upper === 'GET' ? (['GET', 'HEAD'] as const) : [upper]) {
        const key = `${each} ${url}`
        if (this.#seen.has(key)) continue
        this.#seen.add(key)
        this.#router.on(each, url, () => undefined)
      }
    }
  }

  /** The methods some route answers at `path` (query string ignored); empty when none does. */
  at(path: string): HTTPMethod[] {
    const pathOnly = path.split('?')[0]
    return METHODS.filter((method) => this.#router.find(method, pathOnly) !== null)
  }
}
