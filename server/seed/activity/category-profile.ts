import type { Rng } from './activity-rng.ts'
import type { ActivityGrid, LonLat } from './activity-grids.repository.ts'

/** Averages that put a grid's figures on a common scale. */
export interface GridScale {
  meanPopulation: number
  meanAreaKm2: number
}

/** Where in a grid a case of a category happens: around an anchor, or anywhere (anchor null). */
export interface Placement {
  anchor: LonLat | null
  sigmaMetres: number
  /** Which description list fits the place (`default` when no special one). */
  setting: 'default' | 'hill' | 'lake' | 'road' | 'market' | 'school'
}

/** How cases of one category arise: how many, when, where, and how they are described. */
export interface CategoryProfile {
  category: string
  /** Relative share among the cases of its kind. */
  share: number
  /** Relative weight of each local month, January first. */
  months: readonly number[]
  /** Relative weight of Saturdays and Sundays (fewer grid-worker rounds). */
  weekend: number
  /** Spatial weight of a fine grid (0 = never there). */
  affinity(grid: ActivityGrid, scale: GridScale): number
  /** Where in the chosen grid; `hotspot` is the grid's busiest spot. */
  placement(rng: Rng, grid: ActivityGrid, hotspot: LonLat): Placement
  /** Descriptions by setting; `{place}` is replaced by the place name. */
  descriptions: Partial<Record<Placement['setting'], readonly string[]>> & { default: readonly string[] }
}

/** Relative population and area of a grid. */
export function gridMeasures(grid: ActivityGrid, scale: GridScale): { pop: number; area: number } {
  return { pop: grid.population / scale.meanPopulation, area: grid.areaKm2 / scale.meanAreaKm2 }
}

/** The usual placement: around the grid's hotspot most of the time, else anywhere in it. */
export function settlementPlacement(rng: Rng, grid: ActivityGrid, hotspot: LonLat): Placement {
  if (grid.kind === 'market') return { anchor: hotspot, sigmaMetres: 45, setting: 'market' }
  if (grid.kind === 'school') return { anchor: hotspot, sigmaMetres: 60, setting: 'school' }
  if (grid.kind !== 'standard') return { anchor: hotspot, sigmaMetres: 80, setting: 'default' }
  return rng() < 0.65 ? { anchor: hotspot, sigmaMetres: 140, setting: 'default' } : { anchor: null, sigmaMetres: 0, setting: 'default' }
}
