import { area, multiPolygon } from '@turf/turf'
import type { AreaRecord } from './area.ts'
import type { MultiPolygonCoords, Position } from '../../server/core/postgis/geometry.ts'
import type { Rng } from './prng.ts'
import { intersectAreas } from './clip.ts'
import { gridRecord } from './grid-record.ts'
import { sampleSeeds } from './sample-seeds.ts'
import { subdivide } from './subdivide.ts'

/**
 * Fine grids (精细网格) of one base grid, 3–6, numbered in reading order:
 * three for a mostly hillside grid, more where the resident density at the
 * grid's centroid is higher.
 */
export function buildFineGrids(
  rng: Rng,
  village: AreaRecord,
  base: AreaRecord,
  hillside: MultiPolygonCoords,
  density: (p: Position) => number,
): AreaRecord[] {
  const baseM2 = area(multiPolygon(base.coords))
  const hill = intersectAreas(base.coords, hillside)
  const hillShare = hill.length ? area(multiPolygon(hill)) / baseM2 : 0
  const count = hillShare > 0.6 ? 3 : 3 + Math.min(3, Math.floor(density(base.centroid) * 1.2 + rng() * 1.5))
  const gap = 0.5 * Math.sqrt(baseM2 / count)
  const pieces = subdivide(rng, base.coords, {
    minShare: 0.3,
    drawSeeds: (r) => sampleSeeds(r, base.coords, count, gap),
  })
  return pieces.map((coords, i) => gridRecord(village, base.gridSeq!, i + 1, coords))
}
