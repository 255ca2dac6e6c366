/**
 * Shares `total` (households or population) among pieces in proportion to
 * their areas, in whole numbers that add up to `total` (largest remainders
 * get the leftover units).
 */
export function shareByArea(total: number, areas: number[]): number[] {
  const sum = areas.reduce((acc, value) => acc + value, 0)
  if (sum <= 0) return areas.map((_, i) => (i === 0 ? total : 0))
  const exact = areas.map((value) => (total * value) / sum)
  const shares = exact.map(Math.floor)
  let left = total - shares.reduce((acc, value) => acc + value, 0)
  const byRemainder = exact.map((value, i) => [value - Math.floor(value), i] as const).sort((a, b) => b[0] - a[0])
  for (const [, i] of byRemainder) {
    if (left <= 0) break
    shares[i] += 1
    left -= 1
  }
  return shares
}
