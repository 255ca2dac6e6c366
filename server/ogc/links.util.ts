import type { FastifyRequest } from 'fastify'

/** An OGC API link object. */
export interface Link {
  href: string
  rel: string
  type?: string
  title?: string
}

/** Absolute base URL of the service as the client reached it (e.g. `http://127.0.0.1:3000`). */
export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`
}

/** Media type of GeoJSON. */
export const GEOJSON = 'application/geo+json'

/** Media type of the OpenAPI 3.0 document. */
export const OPENAPI_JSON = 'application/vnd.oai.openapi+json;version=3.0'
