import type { Rng } from './activity-rng.ts'

/** One element of `list`, uniformly. */
export function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)]
}

/** A uniform number in `[min, max)`. */
export function between(rng: Rng, min: number, max: number): number {
  return min + (max - min) * rng()
}

/** An integer in `[min, max]`, uniformly. */
export function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1))
}

/** A standard normal number (Box–Muller). */
export function gaussian(rng: Rng): number {
  const u = 1 - rng()
  const v = rng()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

/** A log-normal number with the given median and log-space spread. */
export function logNormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * gaussian(rng))
}

/** The key of `weights` drawn with probability proportional to its weight. */
export function weightedKey<K extends string>(rng: Rng, weights: Readonly<Record<K, number>>): K {
  const entries = Object.entries(weights) as Array<[K, number]>
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0)
  let target = rng() * total
  for (const [key, weight] of entries) {
    target -= weight
    if (target < 0) return key
  }
  return entries[entries.length - 1][0]
}
