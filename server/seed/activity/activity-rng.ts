/** A source of uniform numbers in `[0, 1)`. */
export type Rng = () => number

/**
 * Seeded pseudo-random generator (mulberry32): the same seed gives the same
 * sequence on every run and platform.
 */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * An independent generator for one named part of the activity (FNV-1a of the
 * label mixed with the seed), so that drawing more numbers in one part never
 * shifts the numbers of another.
 */
export function deriveRng(seed: number, label: string): Rng {
  let hash = 2166136261 ^ seed
  for (let i = 0; i < label.length; i++) hash = Math.imul(hash ^ label.charCodeAt(i), 16777619)
  return mulberry32(hash >>> 0)
}
