/**
 * How key-person counts are shown to one caller: `undefined` = exactly (roles
 * that see every person anyway: admin, dispatcher); otherwise with
 * small-count protection at threshold `k`.
 *
 * The rule, for roles that may not see identities (leader, station, the
 * security and audit administrators) and for grid workers outside their own
 * grids (they may see their own persons, not counts that locate their
 * neighbours'):
 * - a count below k (zero included) is suppressed: `null` plus a flag, never
 *   0, so that "suppressed" does not tell "nobody" from "one or two";
 * - a count of k or more is rounded to the nearest multiple of k (never below
 *   k). Rounding is what defeats differencing: two answers that differ by one
 *   person (with and without a category filter, a total and the sum of its
 *   parts, a 500 m square and its four 250 m squares) round to values whose
 *   difference is a multiple of k, so a suppressed 1 cannot be recovered by
 *   subtraction. Rounding is deterministic, so asking again does not average
 *   the noise away.
 */
export type CountProtection = { k: number } | undefined

/** One count as shown under `protection`: exact, rounded to a multiple of k, or null (suppressed). */
export function protectCount(count: number, protection: CountProtection): number | null {
  if (!protection) return count
  const { k } = protection
  if (count < k) return null
  return Math.max(k, Math.round(count / k) * k)
}

/** Every count of a record protected (keys kept; values number or null). */
export function protectCounts<K extends string>(counts: Record<K, number>, protection: CountProtection): Record<K, number | null> {
  return Object.fromEntries(Object.entries(counts).map(([key, value]) => [key, protectCount(value as number, protection)])) as Record<K, number | null>
}

/** What an answer tells its reader about the protection applied (null when the counts are exact). */
export function protectionNote(protection: CountProtection): { minCount: number; roundedTo: number } | null {
  return protection ? { minCount: protection.k, roundedTo: protection.k } : null
}
