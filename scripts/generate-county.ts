import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { area, multiPolygon } from '@turf/turf'
import type { MultiPolygonCoords, Ring } from '../server/core/postgis/geometry.ts'
import { areaFeature } from './geodata/area-feature.ts'
import { COUNTY_CODE } from './geodata/area-code.ts'
import { subtractAreas } from './geodata/clip.ts'
import { deriveRng } from './geodata/derive-rng.ts'
import { writeFeatureCollection } from './geodata/write-feature-collection.ts'
import { buildCountyOutline } from './geodata/county/county-outline.ts'
import { buildTown, type GeneratedTown } from './geodata/county/build-town.ts'
import { partitionTowns } from './geodata/county/town-partition.ts'
import { COUNTY_TOWNS, VILLAGE_STEMS } from './geodata/county/towns.ts'
import { countyReadme, type CountyManifest } from './geodata/county/manifest.ts'

/** Seed of every random choice of the county (Xizhou keeps its own). */
const SEED = 20250513

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const XIZHOU_DIR = `${ROOT}/geodata/xizhou`
const OUT_DIR = `${ROOT}/geodata/county`

interface TownFile {
  features: Array<{ properties: { code: string; name: string; nameEn: string; population: number; households: number }; geometry: { coordinates: MultiPolygonCoords } }>
}

function shuffled<T>(seed: number, items: T[]): T[] {
  const rng = deriveRng(seed, 'village-names')
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

function main(): void {
  const xizhouFile = JSON.parse(readFileSync(`${XIZHOU_DIR}/town.geojson`, 'utf8')) as TownFile
  const xizhou = xizhouFile.features[0]
  if (xizhou.geometry.coordinates.length !== 1 || xizhou.geometry.coordinates[0].length !== 1) throw new Error('Xizhou is not one polygon without holes')
  const xizhouRing: Ring = xizhou.geometry.coordinates[0][0]
  const county: MultiPolygonCoords = [[buildCountyOutline(SEED, xizhouRing)]]
  const rest = subtractAreas(county, [[xizhouRing]])
  if (rest.length !== 1) throw new Error(`the county without Xizhou is ${rest.length} polygons`)
  const pieces = partitionTowns(deriveRng(SEED, 'towns'), rest, xizhouRing, COUNTY_TOWNS.map((t) => t.seed))

  const names = shuffled(SEED, VILLAGE_STEMS)
  const towns: GeneratedTown[] = []
  COUNTY_TOWNS.forEach((spec, i) => {
    const town = buildTown(SEED, spec, pieces[i], names.splice(0, 12))
    towns.push(town)
    const dir = `${OUT_DIR}/${spec.slug}`
    mkdirSync(dir, { recursive: true })
    writeFeatureCollection(`${dir}/town.geojson`, [areaFeature(town.town)])
    writeFeatureCollection(`${dir}/villages.geojson`, town.villages.map(areaFeature))
    writeFeatureCollection(`${dir}/base-grids.geojson`, town.baseGrids.map(areaFeature))
    writeFeatureCollection(`${dir}/fine-grids.geojson`, town.fineGrids.map(areaFeature))
    writeFeatureCollection(`${dir}/exempt.geojson`, [])
    writeFileSync(`${dir}/staff.json`, `[\n${town.staff.map((s) => JSON.stringify(s)).join(',\n')}\n]\n`)
    console.log(
      `${spec.name} ${town.town.code}: ${(area(multiPolygon(town.town.coords)) / 1e6).toFixed(1)} km², ` +
        `${town.villages.length} villages, ${town.baseGrids.length} base grids, ${town.fineGrids.length} fine grids, ` +
        `population ${town.town.population}, staff ${town.staff.length}`,
    )
  })

  const xp = xizhou.properties
  const manifest: CountyManifest = {
    countyCode: COUNTY_CODE,
    name: '大理市（示例县）',
    nameEn: 'Dali City (sample county)',
    seed: SEED,
    towns: [
      { dir: '../xizhou', slug: 'xizhou', code: xp.code, name: xp.name, nameEn: xp.nameEn, population: xp.population, households: xp.households },
      ...towns.map((t, i) => ({
        dir: COUNTY_TOWNS[i].slug,
        slug: COUNTY_TOWNS[i].slug,
        code: t.town.code,
        name: t.town.name,
        nameEn: t.town.nameEn,
        population: t.town.population,
        households: t.town.households,
      })),
    ],
  }
  mkdirSync(OUT_DIR, { recursive: true })
  writeFileSync(`${OUT_DIR}/county.json`, `${JSON.stringify(manifest, null, 2)}\n`)
  writeFeatureCollection(`${OUT_DIR}/county.geojson`, [
    {
      type: 'Feature',
      properties: { code: `${COUNTY_CODE}000000`, countyCode: COUNTY_CODE, name: manifest.name, nameEn: manifest.nameEn, synthetic: true },
      geometry: { type: 'MultiPolygon', coordinates: county },
    },
  ])
  const countyKm2 = area(multiPolygon(county)) / 1e6
  writeFileSync(`${OUT_DIR}/README.md`, countyReadme(manifest, countyKm2))
  console.log(`county ${countyKm2.toFixed(1)} km², ${manifest.towns.length} towns, written to ${OUT_DIR}`)
}

main()
