/**
 * Evenly spaced values from `from` to `to` (both included), with steps no
 * longer than `maxStep`.
 */
export function sampleRange(from: number, to: number, maxStep: number): number[] {
  const steps = Math.max(1, Math.ceil(Math.abs(to - from) / maxStep))
  const values: number[] = []
  for (let i = 0; i <= steps; i++) values.push(i === steps ? to : from + ((to - from) * i) / steps)
  return values
}
