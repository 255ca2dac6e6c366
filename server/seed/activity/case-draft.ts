import type { CaseKind, CaseSource, DisputeTier, HazardSeverity } from '../../core/db/tables/case.ts'
import { deriveRng, type Rng } from './activity-rng.ts'
import type { ActivityModel, CategoryModel } from './activity.ts'
import { sampleInstant } from './activity-window.ts'
import type { CategoryProfile, Placement } from './category-profile.ts'
import { DEFAULT_DEPARTMENT, DEPARTMENTS } from './departments.ts'
import type { DisputeProfile } from './dispute-categories.ts'
import { fakeName, fakePhone } from './fake-identity.ts'
import { samplePointInGrid } from './grid-point.ts'
import type { HazardProfile } from './hazard-categories.ts'
import { intBetween, pick, weightedKey } from './random-draw.ts'

const MINUTE_MS = 60_000

/** A case as drawn, before it is located and its history is played. */
export interface CaseDraft {
  /** The case's own random stream (its history continues it). */
  rng: Rng
  kind: CaseKind
  category: string
  profile: HazardProfile | DisputeProfile
  severity: HazardSeverity | null
  tier: DisputeTier | null
  source: CaseSource
  description: string
  reporterName: string
  reporterPhone: string | null
  lon: number
  lat: number
  reportedAt: Date
  registeredAt: Date
  /** Index in `model.grids` of the grid the point was drawn in. */
  gridIndex: number
  /** For a cross-village dispute, the other village the parties come from. */
  otherVillageId: number | null
  partyCount: number
  leadId: number | null
}

const HAZARD_SOURCES: Record<Exclude<CaseSource, 'lead'>, number> = { grid_worker: 72, hotline: 10, walk_in: 6, department: 12 }
const DISPUTE_SOURCES: Record<Exclude<CaseSource, 'lead'>, number> = { walk_in: 38, grid_worker: 35, hotline: 15, department: 12 }

/** The department that hands over cases of a category. */
export function departmentFor(rng: Rng, category: string): string {
  return pick(rng, DEPARTMENTS[category] ?? [DEFAULT_DEPARTMENT])
}

function describe(rng: Rng, profile: CategoryProfile, setting: Placement['setting'], place: string): string {
  const list = profile.descriptions[setting] ?? profile.descriptions.default
  return pick(rng, list).replace('{place}', place)
}

/**
 * Where a case of the category happens (a village-boundary grid for a
 * cross-village dispute), drawn from `rng` alone: geometry computed by
 * PostGIS can differ in its last bits between builds, and the draws that
 * depend on it must not shift any other draw.
 */
function drawPlace(rng: Rng, model: ActivityModel, category: CategoryModel<CategoryProfile>, crossVillage: boolean) {
  const cross = crossVillage && category.borderGrids !== null
  const gridIndex = (cross ? category.borderGrids! : category.grids).draw(rng)
  const grid = model.grids[gridIndex]
  let placement: Placement
  let otherVillageId: number | null = null
  let place = grid.name
  if (cross) {
    const neighbour = pick(rng, grid.neighbours)
    otherVillageId = neighbour.villageId
    placement = { anchor: neighbour.anchor, sigmaMetres: 90, setting: 'default' }
    place = `${grid.villageName}与${model.villages.get(neighbour.villageId)?.name ?? '邻村'}交界处（${grid.name}）`
  } else {
    placement = category.profile.placement(rng, grid, model.hotspots[gridIndex])
  }
  const [lon, lat] = samplePointInGrid(rng, grid, placement.anchor, placement.sigmaMetres)
  return { gridIndex, grid, otherVillageId, lon, lat, setting: placement.setting, place }
}

/**
 * Draws case number `index` of `kind` from its own random streams: category
 * by share, day by its season, then (from a separate stream) grid by the
 * category's affinity (a village-boundary grid for a cross-village dispute)
 * and point by its placement, then description, grade, source and reporter. `fixedAt`, for a case registered
 * when a lead is converted, replaces the drawn time.
 */
export function draftCase(model: ActivityModel, kind: CaseKind, index: number, fixedAt?: Date, streamLabel = 'case'): CaseDraft {
  const label = `${streamLabel}:${kind}:${index}`
  const rng = deriveRng(model.seed, label)
  const kindModel = kind === 'hazard' ? model.hazards : model.disputes
  const category = kindModel.categories[kindModel.shares.draw(rng)] as CategoryModel<CategoryProfile>
  const profile = category.profile as HazardProfile | DisputeProfile
  const crossVillage = kind === 'dispute' && rng() < (profile as DisputeProfile).crossVillage
  const drawnAt = sampleInstant(rng, model.window, category.days)
  const place = drawPlace(deriveRng(model.seed, `${label}:place`), model, category, crossVillage)
  const description = describe(rng, profile, place.setting, place.place)
  const source = weightedKey(rng, kind === 'hazard' ? HAZARD_SOURCES : DISPUTE_SOURCES)
  const reportedAt = fixedAt ?? drawnAt
  const delay = fixedAt ? 0 : intBetween(rng, source === 'grid_worker' ? 5 : 2, source === 'grid_worker' ? 90 : 40) * MINUTE_MS
  const registeredAt = new Date(Math.min(reportedAt.getTime() + delay, model.asOf.getTime()))
  let reporterName: string
  let reporterPhone: string | null = null
  if (source === 'grid_worker') reporterName = place.grid.worker?.name ?? '网格员'
  else if (source === 'department') reporterName = departmentFor(rng, profile.category).slice(0, 50)
  else {
    reporterName = fakeName(rng)
    reporterPhone = fakePhone(rng)
  }
  return {
    rng,
    kind,
    category: profile.category,
    profile,
    severity: kind === 'hazard' ? weightedKey(rng, (profile as HazardProfile).severity) : null,
    tier: kind === 'dispute' ? weightedKey(rng, (profile as DisputeProfile).tier) : null,
    source,
    description,
    reporterName,
    reporterPhone,
    lon: place.lon,
    lat: place.lat,
    reportedAt,
    registeredAt,
    gridIndex: place.gridIndex,
    otherVillageId: place.otherVillageId,
    partyCount: Number(weightedKey(rng, { '2': 70, '3': 20, '4': 10 })),
    leadId: null,
  }
}
