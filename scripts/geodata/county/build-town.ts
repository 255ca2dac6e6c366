import { area, multiPolygon } from '@turf/turf'
import type { AreaRecord } from '../area.ts'
import type { MultiPolygonCoords } from '../../../server/core/postgis/geometry.ts'
import type { Rng } from '../prng.ts'
import { allocateIntegers } from '../allocate-integers.ts'
import { areaCode } from '../area-code.ts'
import { deriveRng } from '../derive-rng.ts'
import { gridRecord } from '../grid-record.ts'
import { planarCentroid } from '../planar-centroid.ts'
import { sampleSeeds } from '../sample-seeds.ts'
import { buildStaff, type StaffEntry } from '../staff.ts'
import { subdivide } from '../subdivide.ts'
import { DEDICATED_KINDS, type CountyTownSpec } from './towns.ts'

/** First village sequence number (村委会 use 200–399 in the national scheme, as in Xizhou). */
const FIRST_VILLAGE_SEQ = 201
/** Land per village and per base grid the counts aim at (km²). */
const KM2_PER_VILLAGE = 16
const KM2_PER_BASE_GRID = 2.8
/** Residents' share of a dedicated grid compared with an ordinary one (as in Xizhou). */
const KIND_FACTOR = { standard: 1, school: 0.12, market: 0.25, scenic: 0.6, enterprise: 0.15 } as const

/** One generated town with everything under it. */
export interface GeneratedTown {
  town: AreaRecord
  villages: AreaRecord[]
  baseGrids: AreaRecord[]
  fineGrids: AreaRecord[]
  staff: StaffEntry[]
}

const km2 = (coords: MultiPolygonCoords) => area(multiPolygon(coords)) / 1e6
const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(max, value))

/**
 * Splits `parent` into `count` children (Voronoi, reading order) with seeds at
 * least half an equal share's side apart.
 */
function split(rng: Rng, parent: MultiPolygonCoords, count: number, densifyMetres?: number): MultiPolygonCoords[] {
  const gap = 0.5 * Math.sqrt((km2(parent) * 1e6) / count)
  return subdivide(rng, parent, { minShare: 0.3, densifyMetres, drawSeeds: (r) => sampleSeeds(r, parent, count, gap) })
}

/**
 * Villages (about one per 16 km², 6–12), base grids (about one per 2.8 km²,
 * 4–8 per village) and fine grids (3–6 per base grid, more in urban towns) of
 * one town, numbered in reading order like Xizhou's; one or two dedicated
 * grids per village; residents spread over fine grids by a random weight and
 * their kind; staff as in Xizhou, keys `s<township><serial>`.
 */
export function buildTown(seed: number, spec: CountyTownSpec, coords: MultiPolygonCoords, villageNames: Array<[string, string]>): GeneratedTown {
  const rng = deriveRng(seed, `town-${spec.slug}`)
  const town: AreaRecord = {
    code: areaCode(null, null, null, spec.townshipSeq),
    level: 'town',
    villageSeq: null,
    gridSeq: null,
    fineSeq: null,
    parentCode: null,
    name: spec.name,
    nameEn: spec.nameEn,
    kind: 'standard',
    households: 0,
    population: 0,
    coords,
    centroid: planarCentroid(coords),
    townshipSeq: spec.townshipSeq,
  }
  const villageCount = clamp(Math.round(km2(coords) / KM2_PER_VILLAGE), 6, 12)
  if (villageNames.length < villageCount) throw new Error(`${spec.name}: not enough village names`)
  const villages = split(rng, coords, villageCount, 150).map((piece, i): AreaRecord => {
    const seq = FIRST_VILLAGE_SEQ + i
    const [stem, pinyin] = villageNames[i]
    return {
      code: areaCode(seq, null, null, spec.townshipSeq),
      level: 'village',
      villageSeq: seq,
      gridSeq: null,
      fineSeq: null,
      parentCode: town.code,
      name: `${stem}村`,
      nameEn: `${pinyin} Village`,
      kind: 'standard',
      households: 0,
      population: 0,
      coords: piece,
      centroid: planarCentroid(piece),
      townshipSeq: spec.townshipSeq,
    }
  })
  const baseGrids: AreaRecord[] = []
  const fineGrids: AreaRecord[] = []
  for (const village of villages) {
    const baseCount = clamp(Math.round(km2(village.coords) / KM2_PER_BASE_GRID), 4, 8)
    const bases = split(rng, village.coords, baseCount, 150).map((piece, i) => gridRecord(village, i + 1, null, piece))
    baseGrids.push(...bases)
    for (const base of bases) {
      const fineCount = 3 + Math.min(3, Math.floor(rng() * 2 + spec.urban * 2))
      fineGrids.push(...split(rng, base.coords, fineCount).map((piece, i) => gridRecord(village, base.gridSeq!, i + 1, piece)))
    }
  }
  villages.forEach((village, i) => assignDedicated(rng, village, villageNames[i], fineGrids))
  distributePopulation(rng, spec.population, fineGrids)
  const byCode = new Map([town, ...villages, ...baseGrids].map((a) => [a.code, a]))
  for (const level of [fineGrids, baseGrids, villages]) {
    for (const child of level) {
      const parent = byCode.get(child.parentCode!)!
      parent.population += child.population
      parent.households += child.households
    }
  }
  const staff = buildStaff(deriveRng(seed, `staff-${spec.slug}`), villages, baseGrids, fineGrids, {
    keyPrefix: `s${spec.townshipSeq}`,
    phonePrefix: `138${spec.townshipSeq}0`,
  })
  return { town, villages, baseGrids, fineGrids, staff }
}

/** Makes one or two fine grids of the village dedicated grids, never more than half of one base grid's. */
function assignDedicated(rng: Rng, village: AreaRecord, [stem, pinyin]: [string, string], fineGrids: AreaRecord[]): void {
  const own = fineGrids.filter((f) => f.code.startsWith(village.code))
  const count = rng() < 0.4 ? 2 : 1
  const taken = new Map<string, number>()
  const kinds = new Set<string>()
  for (let n = 0; n < count; n++) {
    const total = DEDICATED_KINDS.reduce((sum, k) => sum + k.weight, 0)
    let pickAt = rng() * total
    const kind = DEDICATED_KINDS.find((k) => (pickAt -= k.weight) < 0) ?? DEDICATED_KINDS[0]
    if (kinds.has(kind.kind)) continue
    const free = own.filter((f) => {
      if (f.kind !== 'standard') return false
      const siblings = own.filter((g) => g.parentCode === f.parentCode).length
      return (taken.get(f.parentCode!) ?? 0) < Math.floor(siblings / 2)
    })
    if (free.length === 0) return
    const grid = free[Math.floor(rng() * free.length)]
    grid.kind = kind.kind
    grid.name = `${stem}${kind.zh}`
    grid.nameEn = `${pinyin} ${kind.en}`
    kinds.add(kind.kind)
    taken.set(grid.parentCode!, (taken.get(grid.parentCode!) ?? 0) + 1)
  }
}

/** Residents and households (about 3.0–3.6 people each) of every fine grid, summing to `population`. */
function distributePopulation(rng: Rng, population: number, fineGrids: AreaRecord[]): void {
  const weights = fineGrids.map((grid) => (0.3 + rng() * rng() * 2.5) * KIND_FACTOR[grid.kind])
  const people = allocateIntegers(weights, population)
  fineGrids.forEach((grid, i) => {
    grid.population = people[i]
    grid.households = people[i] === 0 ? 0 : Math.max(1, Math.round(people[i] / (3.0 + rng() * 0.6)))
  })
}
