import type { Position } from '../../server/core/postgis/geometry.ts'
import type { Terrain } from './terrain.ts'
import { metreDistance } from './metre-distance.ts'

/** A cluster of houses and its relative size. */
export interface Settlement {
  position: Position
  weight: number
}

/** Spread of a house cluster (metres). */
const CLUSTER_SIGMA = 480

/**
 * Relative density of residents at a point: none on the mountain, a thin belt
 * of hamlets at the mountain foot, farmland density across the plain thinning
 * to nothing at the lake shore, plus the village house clusters and a strip
 * along the main road.
 */
export function createDensity(terrain: Terrain, settlements: Settlement[]): (p: Position) => number {
  return ([lon, lat]) => {
    const foot = terrain.footLon(lat)
    const shore = terrain.shoreLon(lat)
    if (lon < foot - 0.004 || lon > shore) return 0
    if (lon < foot) return (0.06 * (lon - (foot - 0.004))) / 0.004
    let density = 0.3 * Math.min(1, (shore - lon) / 0.0015)
    density += 0.4 * Math.exp(-(((lon - terrain.roadLon(lat)) / 0.0012) ** 2) / 2)
    for (const { position, weight } of settlements) {
      const d = metreDistance([lon, lat], position)
      if (d < 4 * CLUSTER_SIGMA) density += weight * Math.exp(-((d / CLUSTER_SIGMA) ** 2) / 2)
    }
    return density
  }
}
