import type { FastifyRequest } from 'fastify'
import { linkBaseUrl } from '../hardening/public-origin.ts'

/** An OGC API link object. */
export interface Link {
  href: string
  rel: string
  type?: string
  title?: string
}

/**
 * Absolute base URL of the service (e.g. `http://127.0.0.1:3000`): `PUBLIC_URL`,
 * or what a trusted proxy reports, never a raw `Host` header naming another
 * site (see {@link linkBaseUrl}).
 */
export function baseUrl(request: FastifyRequest): string {
  return linkBaseUrl(request)
}

/** Media type of GeoJSON. */
export const GEOJSON = 'application/geo+json'
/** Content type of a GeoJSON body sent as bytes (a Buffer): the charset said, since Fastify adds none to a Buffer. */
export const GEOJSON_UTF8 = `${GEOJSON}; charset=utf-8`

/** Media type of the OpenAPI 3.0 document. */
export const OPENAPI_JSON = 'application/vnd.oai.openapi+json;version=3.0'
