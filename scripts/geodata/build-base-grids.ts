import { area, multiPolygon } from '@turf/turf'
import type { AreaRecord } from './area.ts'
import type { MultiPolygonCoords } from '../../server/core/postgis/geometry.ts'
import type { Rng } from './prng.ts'
import type { Terrain } from './terrain.ts'
import { intersectAreas, subtractAreas } from './clip.ts'
import { gridRecord } from './grid-record.ts'
import { sampleSeeds } from './sample-seeds.ts'
import { subdivide } from './subdivide.ts'

/** Plain area (km²) per base grid the seeding aims at. */
const PLAIN_KM2_PER_GRID = 1.35

/**
 * Base grids (基础网格) of one village, 5–10, numbered in reading order: one
 * or two large seeds on the hillside, four to eight in the plain (one more
 * for a large house cluster), so grids are small where people live. Cell
 * edges get vertices every 100 m because fine grids are cut from them.
 */
export function buildBaseGrids(
  rng: Rng,
  village: AreaRecord,
  terrain: Terrain,
  hillside: MultiPolygonCoords,
  bigCluster: boolean,
): AreaRecord[] {
  const hill = intersectAreas(village.coords, hillside)
  const plain = subtractAreas(village.coords, hillside)
  const hillKm2 = hill.length ? area(multiPolygon(hill)) / 1e6 : 0
  const plainKm2 = area(multiPolygon(plain)) / 1e6
  const hillCount = hillKm2 > 4.2 ? 2 : 1
  const plainCount = Math.min(10 - hillCount, Math.max(4, Math.round(plainKm2 / PLAIN_KM2_PER_GRID) + (bigCluster ? 1 : 0)))
  const hillGap = 0.55 * Math.sqrt((hillKm2 * 1e6) / hillCount)
  const plainGap = 0.55 * Math.sqrt((plainKm2 * 1e6) / plainCount)
  const pieces = subdivide(rng, village.coords, {
    minShare: 0.3,
    densifyMetres: 100,
    drawSeeds: (r) => {
      const onHill = sampleSeeds(r, hill, hillCount, hillGap, [], ([lon, lat]) => lon < terrain.footLon(lat) - 0.002)
      if (!onHill) return null
      const inPlain = sampleSeeds(
        r,
        plain,
        plainCount,
        plainGap,
        onHill,
        ([lon, lat]) => lon > terrain.footLon(lat) + 0.002 && lon < terrain.shoreLon(lat) - 0.0008,
      )
      return inPlain ? [...onHill, ...inPlain] : null
    },
  })
  return pieces.map((coords, i) => gridRecord(village, i + 1, null, coords))
}
