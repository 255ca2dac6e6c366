import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { area, booleanPointInPolygon, multiPolygon, point } from '@turf/turf'
import type { AreaRecord } from './geodata/area.ts'
import type { Position } from '../server/core/postgis/geometry.ts'
import { allocateIntegers } from './geodata/allocate-integers.ts'
import { areaCode } from './geodata/area-code.ts'
import { areaFeature } from './geodata/area-feature.ts'
import { buildBasemap } from './geodata/basemap.ts'
import { buildBaseGrids } from './geodata/build-base-grids.ts'
import { buildFineGrids } from './geodata/build-fine-grids.ts'
import { buildVillages } from './geodata/build-villages.ts'
import { intersectAreas, subtractAreas } from './geodata/clip.ts'
import { assignDedicatedGrids, type AnchorPoints } from './geodata/dedicated-grids.ts'
import { deriveRng } from './geodata/derive-rng.ts'
import { buildErhaiLake } from './geodata/erhai-lake.ts'
import { hillsideArea } from './geodata/hillside.ts'
import { latticeWeights } from './geodata/lattice-weights.ts'
import { multiPolygonBBox } from './geodata/multipolygon-bbox.ts'
import { DEDICATED, VILLAGES } from './geodata/names.ts'
import { planarCentroid } from './geodata/planar-centroid.ts'
import { createDensity } from './geodata/population-density.ts'
import { geodataReadme } from './geodata/readme.ts'
import { buildStaff } from './geodata/staff.ts'
import { createTerrain, type Terrain } from './geodata/terrain.ts'
import { buildTownOutline } from './geodata/town-outline.ts'
import { writeFeatureCollection } from './geodata/write-feature-collection.ts'

/** Seed of every random choice; change it to get another (equally valid) township. */
const SEED = 20250101

/** Residents of the whole town. */
const TOTAL_POPULATION = 60_240

/** Centre of 喜洲古镇, the town centre and heart of 喜洲村. */
const TOWN_CENTRE: Position = [100.135, 25.853]

/** Resident share of a dedicated grid's area compared with an ordinary one. */
const KIND_FACTOR = { standard: 1, school: 0.12, market: 0.25, scenic: 0.6, enterprise: 0.15 } as const

const OUT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../geodata/xizhou')

function main(): void {
  const terrain = createTerrain(SEED)
  const townCoords = [[buildTownOutline(SEED)]]
  const lake = buildErhaiLake(terrain)
  const water = intersectAreas([[lake]], townCoords)
  const land = subtractAreas(townCoords, [[lake]])
  if (land.length !== 1) throw new Error(`town land is ${land.length} polygons`)
  const town: AreaRecord = {
    code: areaCode(null),
    level: 'town',
    villageSeq: null,
    gridSeq: null,
    fineSeq: null,
    parentCode: null,
    name: '喜洲镇',
    nameEn: 'Xizhou Town',
    kind: 'standard',
    households: 0,
    population: 0,
    coords: townCoords,
    centroid: planarCentroid(townCoords),
  }

  const villages = buildVillages(SEED, land, town.code)
  const settlements = villages.map((village, i) => settlementOf(terrain, village, VILLAGES[i].settlementFrac))
  const density = createDensity(
    terrain,
    settlements.map((position, i) => ({ position, weight: VILLAGES[i].clusterWeight })),
  )
  const [, south, , north] = multiPolygonBBox(townCoords)
  const hillside = hillsideArea(terrain, south - 0.01, north + 0.01)

  const baseGrids: AreaRecord[] = []
  const fineGrids: AreaRecord[] = []
  villages.forEach((village, i) => {
    const rng = deriveRng(SEED, `grids-${village.code}`)
    const bases = buildBaseGrids(rng, village, terrain, hillside, VILLAGES[i].clusterWeight >= 2)
    baseGrids.push(...bases)
    for (const base of bases) fineGrids.push(...buildFineGrids(rng, village, base, hillside, density))
  })

  const anchors = new Map<string, AnchorPoints>()
  villages.forEach((village, i) => {
    const [lon, lat] = settlements[i]
    anchors.set(village.code, {
      settlement: [lon, lat],
      road: [terrain.roadLon(lat), lat],
      shore: [terrain.shoreLon(lat) - 0.001, lat],
      foot: [terrain.footLon(lat) + 0.002, lat],
      'town-centre': TOWN_CENTRE,
    })
  })
  const isPlain = ({ centroid: [lon, lat] }: AreaRecord) =>
    lon > terrain.footLon(lat) + 0.001 && lon < terrain.shoreLon(lat) - 0.0005
  assignDedicatedGrids(DEDICATED, villages, fineGrids, anchors, isPlain)

  distributePopulation(fineGrids, density)
  const byCode = new Map([town, ...villages, ...baseGrids].map((a) => [a.code, a]))
  for (const level of [fineGrids, baseGrids, villages]) {
    for (const child of level) {
      const parent = byCode.get(child.parentCode!)!
      parent.population += child.population
      parent.households += child.households
    }
  }

  const staff = buildStaff(deriveRng(SEED, 'staff'), villages, baseGrids, fineGrids)
  const basemap = buildBasemap(deriveRng(SEED, 'basemap'), { terrain, lake, villages, settlements })

  mkdirSync(OUT_DIR, { recursive: true })
  writeFeatureCollection(`${OUT_DIR}/town.geojson`, [areaFeature(town)])
  writeFeatureCollection(`${OUT_DIR}/villages.geojson`, villages.map(areaFeature))
  writeFeatureCollection(`${OUT_DIR}/base-grids.geojson`, baseGrids.map(areaFeature))
  writeFeatureCollection(`${OUT_DIR}/fine-grids.geojson`, fineGrids.map(areaFeature))
  writeFeatureCollection(`${OUT_DIR}/exempt.geojson`, [
    {
      type: 'Feature',
      properties: { parentCode: town.code, reason: 'water' },
      geometry: { type: 'MultiPolygon', coordinates: water },
    },
  ])
  writeFeatureCollection(`${OUT_DIR}/basemap.geojson`, basemap)
  writeFileSync(`${OUT_DIR}/staff.json`, `[\n${staff.map((s) => JSON.stringify(s)).join(',\n')}\n]\n`)

  const townKm2 = area(multiPolygon(townCoords)) / 1e6
  const landKm2 = area(multiPolygon(land)) / 1e6
  const dedicated = fineGrids.filter((f) => f.kind !== 'standard').length
  writeFileSync(
    `${OUT_DIR}/README.md`,
    geodataReadme({ seed: SEED, townKm2, landKm2, population: town.population, households: town.households }),
  )
  console.log(
    [
      `town ${town.code} ${townKm2.toFixed(1)} km² (land ${landKm2.toFixed(1)} km²)`,
      `villages ${villages.length}, base grids ${baseGrids.length}, fine grids ${fineGrids.length} (dedicated ${dedicated})`,
      `population ${town.population}, households ${town.households}, staff ${staff.length}`,
      `written to ${OUT_DIR}`,
    ].join('\n'),
  )
}

/** Where a village's houses cluster: on its centroid's latitude, part way from mountain foot to shore. */
function settlementOf(terrain: Terrain, village: AreaRecord, frac: number): Position {
  const lat = village.name === '喜洲村' ? TOWN_CENTRE[1] : village.centroid[1]
  const lon =
    village.name === '喜洲村'
      ? TOWN_CENTRE[0]
      : terrain.footLon(lat) + frac * (terrain.shoreLon(lat) - terrain.footLon(lat))
  if (!booleanPointInPolygon(point([lon, lat]), multiPolygon(village.coords))) {
    throw new Error(`settlement of ${village.name} falls outside it`)
  }
  return [lon, lat]
}

/** Gives each fine grid its residents and households (about 3.3 people each). */
function distributePopulation(fineGrids: AreaRecord[], density: (p: Position) => number): void {
  const weights = latticeWeights(
    fineGrids.map((f) => f.coords),
    fineGrids.map((f) => f.centroid),
    density,
    0.0006,
  ).map((w, i) => w * KIND_FACTOR[fineGrids[i].kind])
  const people = allocateIntegers(weights, TOTAL_POPULATION)
  const rng = deriveRng(SEED, 'households')
  fineGrids.forEach((grid, i) => {
    const perHousehold = 3.0 + rng() * 0.6
    grid.population = people[i]
    grid.households = people[i] === 0 ? 0 : Math.max(1, Math.round(people[i] / perHousehold))
  })
}

main()
