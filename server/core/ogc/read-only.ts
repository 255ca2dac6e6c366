import { Type, type TObject, type TProperties } from 'typebox'

/**
 * A request body schema for OGC API – Features Part 4 writes that accepts
 * what a GIS client sends back after reading a feature: the `writable`
 * properties as they are, and every other property of the `read` answer
 * (id, status, version, computed fields…) as optional and read-only, to be
 * dropped by {@link writableOnly}. Properties in neither still fail
 * validation with their name, as before. The static type stays `writable`'s.
 * `asRead` narrows read-only properties to what a read of this kind shows
 * (a hazard's `tier` is always null), so that sending a value there is an
 * error rather than silently dropped: "checked for equality".
 */
export function withReadOnly<T extends TObject>(writable: T, read: TObject, asRead: TProperties = {}): T {
  const readOnly: TProperties = {}
  for (const key of Object.keys(read.properties)) {
    if (key in writable.properties) continue
    readOnly[key] = asRead[key] ?? Type.Optional(Type.Unknown({ readOnly: true, description: 'Read-only: accepted as read and ignored' }))
  }
  return Type.Object({ ...writable.properties, ...readOnly }, { additionalProperties: false, description: (writable as { description?: string }).description }) as unknown as T
}

/** `value` without the properties `writable` does not declare (the read-only ones {@link withReadOnly} let in). */
export function writableOnly<V extends object>(writable: TObject, value: V): V {
  return Object.fromEntries(Object.entries(value).filter(([key]) => key in writable.properties)) as V
}
