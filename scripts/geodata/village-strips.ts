import type { Position, Ring } from '../../server/core/postgis/geometry.ts'
import { cleanRing } from './clean-ring.ts'
import { deriveRng } from './derive-rng.ts'
import { makeWiggle } from './wiggle.ts'
import { roundCoord } from './round-coord.ts'
import { sampleRange } from './sample-range.ts'

/** West and east ends of the separators, well outside the town. */
const WEST = 100.04
const EAST = 100.21

/**
 * East–west strips, north to south, one per weight: the strip boundaries are
 * wavy lines from beyond the town's west edge to beyond its east edge, placed
 * so each strip's share of `[south, north]` follows its weight. Neighbouring
 * strips share the very same boundary points. The first and last strips reach
 * far beyond `north` and `south` so clipping to the town gives their outer
 * edges.
 */
export function buildVillageStrips(seed: number, weights: number[], north: number, south: number): Ring[] {
  const rng = deriveRng(seed, 'village-strips')
  const total = weights.reduce((sum, w) => sum + w, 0)
  const separators: Position[][] = []
  let cumulative = 0
  for (let i = 0; i < weights.length - 1; i++) {
    cumulative += weights[i]
    const baseLat = north - ((north - south) * cumulative) / total
    const wiggle = makeWiggle(rng, 0.0022, [0.07, 0.03, 0.012, 0.005, 0.0021])
    const tilt = (rng() - 0.5) * 0.03
    separators.push(
      sampleRange(WEST, EAST, 0.001).map((lon) => [
        roundCoord(lon),
        roundCoord(baseLat + wiggle(lon) + tilt * (lon - (WEST + EAST) / 2)),
      ]),
    )
  }
  const top: Position[] = [[WEST, north + 0.1], [EAST, north + 0.1]]
  const bottom: Position[] = [[WEST, south - 0.1], [EAST, south - 0.1]]
  const lines = [top, ...separators, bottom]
  const strips: Ring[] = []
  for (let i = 0; i < weights.length; i++) {
    const upper = lines[i]
    const lower = lines[i + 1]
    const ring = [...lower, ...[...upper].reverse()]
    ring.push(ring[0])
    const cleaned = cleanRing(ring, true)
    if (!cleaned) throw new Error(`strip ${i} degenerated`)
    strips.push(cleaned)
  }
  return strips
}
