import type { FieldChanges } from './events.repository.ts'

function camel(column: string): string {
  return column.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase())
}

function comparable(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString()
  return value ?? null
}

/**
 * Before/after of each column of `patch` whose value differs from `before`,
 * keyed by API (camelCase) field name, dates as ISO strings — what the
 * ledger records.
 */
export function fieldChanges(before: Record<string, unknown>, patch: Record<string, unknown>): FieldChanges {
  const changes: FieldChanges = {}
  for (const [column, value] of Object.entries(patch)) {
    const old = comparable(before[column])
    const now = comparable(value)
    if (JSON.stringify(old) !== JSON.stringify(now)) changes[camel(column)] = { before: old, after: now }
  }
  return changes
}
