import type { Rng } from './prng.ts'

/** A smooth, seeded 1-D noise function. */
export type Wiggle = (t: number) => number

/**
 * Smooth noise as a sum of sines, one per given wavelength (each jittered by
 * up to ±25 %), amplitudes shrinking by 0.6 from one term to the next, random
 * phases. Values stay within ±`amplitude`.
 */
export function makeWiggle(rng: Rng, amplitude: number, wavelengths: number[]): Wiggle {
  const weights = wavelengths.map((_, i) => 0.6 ** i)
  const total = weights.reduce((sum, w) => sum + w, 0)
  const terms = wavelengths.map((wavelength, i) => ({
    k: (2 * Math.PI) / (wavelength * (0.75 + 0.5 * rng())),
    phase: rng() * 2 * Math.PI,
    amp: (amplitude * weights[i]) / total,
  }))
  return (t) => terms.reduce((sum, term) => sum + term.amp * Math.sin(term.k * t + term.phase), 0)
}
