import { mulberry32, type Rng } from './prng.ts'

/**
 * Independent generator for one named part of the data, so that changing how
 * much randomness one part draws never shifts the numbers of another.
 */
export function deriveRng(seed: number, label: string): Rng {
  let hash = 2166136261 ^ seed
  for (let i = 0; i < label.length; i++) {
    hash = Math.imul(hash ^ label.charCodeAt(i), 16777619)
  }
  return mulberry32(hash >>> 0)
}
