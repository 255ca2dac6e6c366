import type { Rng } from './activity-rng.ts'

/** Draws indices with probability proportional to fixed weights (binary search on the running sum). */
export interface CumulativeSampler {
  /** An index whose weight is positive. */
  draw(rng: Rng): number
  /** Sum of the weights. */
  total: number
}

/** A sampler over `weights`; throws when no weight is positive. */
export function cumulativeSampler(weights: readonly number[]): CumulativeSampler {
  const running = new Float64Array(weights.length)
  let total = 0
  weights.forEach((weight, index) => {
    total += Math.max(0, weight)
    running[index] = total
  })
  if (!(total > 0)) throw new Error('cumulativeSampler: no positive weight')
  return {
    total,
    draw(rng) {
      const target = rng() * total
      let low = 0
      let high = running.length - 1
      while (low < high) {
        const mid = (low + high) >> 1
        if (running[mid] > target) high = mid
        else low = mid + 1
      }
      return low
    },
  }
}
