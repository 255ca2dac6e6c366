import { HttpError } from './http-error.ts'

/**
 * The version an `If-Match` header asks for: `"3"`, `W/"3"` or `3`.
 * Undefined when the header is absent or `*`; 400 when it is not a version.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header)
  if (!match) throw new HttpError(400, 'bad_if_match')
  return Number(match[1])
}
