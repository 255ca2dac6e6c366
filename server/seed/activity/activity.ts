import type { CaseKind } from '../../core/db/tables/case.ts'
import { deriveRng, type Rng } from './activity-rng.ts'
import type { ActivityGrid, LonLat } from './activity-grids.repository.ts'
import type { ActivityWindow } from './activity-window.ts'
import type { CategoryProfile, GridScale } from './category-profile.ts'
import { cumulativeSampler, type CumulativeSampler } from './cumulative-sampler.ts'
import { DISPUTE_PROFILES, type DisputeProfile } from './dispute-categories.ts'
import { samplePointInGrid } from './grid-point.ts'
import { HAZARD_PROFILES, type HazardProfile } from './hazard-categories.ts'

/** A category ready to draw from: where (grids, and grids on a village boundary) and when (days). */
export interface CategoryModel<P extends CategoryProfile> {
  profile: P
  grids: CumulativeSampler
  /** Grids next to another village, weighted the same way (null when there are none). */
  borderGrids: CumulativeSampler | null
  days: CumulativeSampler
}

/** Case settings read from the database. */
export interface CaseSettings {
  /** Default station by `kind:category`. */
  routing: Map<string, string>
  /** Allowed hours by `kind:grade`. */
  deadlineHours: Map<string, number>
}

/** Everything the generators draw from, built once per run. */
export interface ActivityModel {
  seed: number
  asOf: Date
  window: ActivityWindow
  grids: ActivityGrid[]
  scale: GridScale
  /** The busiest spot of each grid (same index as `grids`). */
  hotspots: LonLat[]
  /** Villages by area id, with their names and base grids. */
  villages: Map<number, { id: number; name: string; baseGridIds: number[] }>
  settings: CaseSettings
  hazards: { categories: CategoryModel<HazardProfile>[]; shares: CumulativeSampler }
  disputes: { categories: CategoryModel<DisputeProfile>[]; shares: CumulativeSampler }
}

/** Relative activity over the year: use of the system grows a little (×0.85 at the start to ×1.15 at the end). */
function trend(index: number, count: number): number {
  return 0.85 + (0.3 * index) / Math.max(1, count - 1)
}

function categoryModel<P extends CategoryProfile>(profile: P, grids: ActivityGrid[], scale: GridScale, window: ActivityWindow): CategoryModel<P> | undefined {
  const weights = grids.map((grid) => Math.max(0, profile.affinity(grid, scale)))
  if (!weights.some((weight) => weight > 0)) return undefined
  const border = weights.map((weight, index) => (grids[index].neighbours.length > 0 ? weight : 0))
  const days = window.days.map(
    (day) => profile.months[day.month - 1] * (day.weekday === 0 || day.weekday === 6 ? profile.weekend : 1) * trend(day.index, window.days.length),
  )
  return {
    profile,
    grids: cumulativeSampler(weights),
    borderGrids: border.some((weight) => weight > 0) ? cumulativeSampler(border) : null,
    days: cumulativeSampler(days),
  }
}

function kindModels<P extends CategoryProfile>(kind: CaseKind, profiles: readonly P[], settings: CaseSettings, grids: ActivityGrid[], scale: GridScale, window: ActivityWindow) {
  const categories = profiles
    .filter((profile) => settings.routing.has(`${kind}:${profile.category}`))
    .map((profile) => categoryModel(profile, grids, scale, window))
    .filter((model): model is CategoryModel<P> => model !== undefined)
  if (categories.length === 0) throw new Error(`sample activity: no ${kind} category of the sample exists in case_routing_rules`)
  return { categories, shares: cumulativeSampler(categories.map((model) => model.profile.share)) }
}

function hotspotOf(rng: Rng, grid: ActivityGrid): LonLat {
  return grid.kind === 'standard' ? samplePointInGrid(rng, grid) : grid.surface
}

function villagesOf(grids: ActivityGrid[]): ActivityModel['villages'] {
  const villages: ActivityModel['villages'] = new Map()
  for (const grid of grids) {
    const village = villages.get(grid.villageId) ?? { id: grid.villageId, name: grid.villageName, baseGridIds: [] }
    if (!village.baseGridIds.includes(grid.baseId)) village.baseGridIds.push(grid.baseId)
    villages.set(grid.villageId, village)
  }
  return villages
}

/** Builds the samplers of every sample category that the database still has. */
export function buildActivityModel(seed: number, window: ActivityWindow, grids: ActivityGrid[], settings: CaseSettings): ActivityModel {
  if (grids.length === 0) throw new Error('sample activity: no fine grids in force; load the sample township first')
  const scale: GridScale = {
    meanPopulation: Math.max(1, grids.reduce((sum, grid) => sum + grid.population, 0) / grids.length),
    meanAreaKm2: grids.reduce((sum, grid) => sum + grid.areaKm2, 0) / grids.length,
  }
  return {
    seed,
    asOf: window.to,
    window,
    grids,
    scale,
    hotspots: grids.map((grid) => hotspotOf(deriveRng(seed, `hotspot:${grid.fineId}`), grid)),
    villages: villagesOf(grids),
    settings,
    hazards: kindModels('hazard', HAZARD_PROFILES, settings, grids, scale, window),
    disputes: kindModels('dispute', DISPUTE_PROFILES, settings, grids, scale, window),
  }
}
