/**
 * Splits an integer `total` in proportion to `weights` (largest remainder
 * method; ties go to the lower index). The parts sum exactly to `total`.
 */
export function allocateIntegers(weights: number[], total: number): number[] {
  const sum = weights.reduce((acc, w) => acc + w, 0)
  const exact = weights.map((w) => (sum > 0 ? (w * total) / sum : 0))
  const parts = exact.map(Math.floor)
  let left = total - parts.reduce((acc, p) => acc + p, 0)
  const byRemainder = exact.map((x, i) => i).sort((a, b) => exact[b] - parts[b] - (exact[a] - parts[a]) || a - b)
  for (const i of byRemainder) {
    if (left <= 0) break
    if (weights[i] <= 0) continue
    parts[i]++
    left--
  }
  return parts
}
