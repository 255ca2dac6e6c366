import { HttpError } from './http-error.ts'

/**
 * What {@link parseIfMatch} returns for well-formed entity tags none of which
 * is a version: no version is 0, so the comparison fails with 412.
 */
export const NO_VERSION = 0

/** One entity tag of a list: optional `W/`, then a quoted opaque tag (RFC 9110 §8.8.3), then `,` or the end. */
const ENTITY_TAG = /\s*(?:W\/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*(?:,|$)/y
const VERSION = /^\d{1,9}$/

/**
 * The version an `If-Match` header asks for. Our entity tags are versions
 * (`"3"`); `W/"3"` and a bare `3` are accepted too (a proxy that compresses
 * may weaken the tag a client saw; curl users type the number).
 *
 * - absent or `*`: undefined (no precondition);
 * - well-formed tags that are not a version we issue (`"abc"`, `""`):
 *   {@link NO_VERSION}, so the caller answers 412 like any stale tag;
 * - a list naming one version: that version (the other tags match nothing);
 * - a list naming two different versions: 400, since one resource has one
 *   current version and a client that sends two has lost track of it;
 * - anything else (no quotes, stray text): 400 `bad_if_match`.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined
  const text = header.trim()
  if (text === '*') return undefined
  if (VERSION.test(text)) return Number(text)
  const versions = new Set<number>()
  ENTITY_TAG.lastIndex = 0
  while (ENTITY_TAG.lastIndex < text.length) {
    const match = ENTITY_TAG.exec(text)
    if (!match) throw new HttpError(400, 'bad_if_match')
    if (VERSION.test(match[1])) versions.add(Number(match[1]))
  }
  if (text === '' || text.endsWith(',')) throw new HttpError(400, 'bad_if_match')
  if (versions.size > 1) throw new HttpError(400, 'if_match_several_versions', { versions: [...versions].join(', ') })
  return versions.size === 1 ? [...versions][0] : NO_VERSION
}
